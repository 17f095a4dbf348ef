# cmake --install: the program, the core and simulation libraries with their
# public headers, a pkg-config file and a CMake package, all relocatable (the
# prefix is found from where the files are, so --prefix works at install time).
#
#   bin/futurescope
#   lib/libfuturescope_<part>.a              core, base, json, scenario, world,
#                                            trace, export, sim
#   include/futurescope/core/*.h             the poll/wake model, executors
#   include/futurescope/sim/*.h, sim/<part>/ the simulation, one folder per part
#   lib/pkgconfig/futurescope.pc
#   lib/cmake/futurescope/                   futurescope::core ... futurescope::sim
#   share/futurescope/                       the viewer's assets
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The libraries from the bottom up (the order a linker wants them reversed).
set(FS_LIB_PARTS core base json scenario world trace export sim)
# Headers only the library's own files include.
set(FS_PRIVATE_HEADERS exec_common.h exec_policies.h world_state.h trace_rec.h)

function(fs__install_headers dir dest)
  file(GLOB hdrs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${dir}/*.h)
  foreach(h ${hdrs})
    get_filename_component(n ${h} NAME)
    if(NOT n IN_LIST FS_PRIVATE_HEADERS)
      install(FILES ${h} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/futurescope/${dest})
    endif()
  endforeach()
endfunction()

set(FS_PC_CFLAGS "")
set(FS_PC_LIBS "")
foreach(part ${FS_LIB_PARTS})
  # libfuturescope_<part>.a: a name that cannot clash in a shared lib/
  set_target_properties(fs_${part} PROPERTIES OUTPUT_NAME futurescope_${part} EXPORT_NAME ${part})
  if(part STREQUAL "core")
    set(dir core)
  elseif(part STREQUAL "sim")
    set(dir sim)
  else()
    set(dir sim/${part})
  endif()
  fs__install_headers(${dir} ${dir})
  string(APPEND FS_PC_CFLAGS " -I\${includedir}/futurescope/${dir}")
  string(PREPEND FS_PC_LIBS " -lfuturescope_${part}")
endforeach()
list(TRANSFORM FS_LIB_PARTS PREPEND fs_ OUTPUT_VARIABLE FS_LIB_TARGETS)

install(TARGETS futurescope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${FS_LIB_TARGETS} EXPORT futurescopeTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})

# pkg-config: ${pcfiledir} makes the file relocatable.
file(RELATIVE_PATH FS_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
string(REGEX REPLACE "/$" "" FS_PC_TO_PREFIX "${FS_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/futurescope.pc.in ${PROJECT_BINARY_DIR}/futurescope.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/futurescope.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# CMake: find_package(futurescope [0.1]) gives futurescope::core ... ::sim.
set(FS_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/futurescope)
install(EXPORT futurescopeTargets NAMESPACE futurescope:: DESTINATION ${FS_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/futurescopeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/futurescopeConfig.cmake INSTALL_DESTINATION ${FS_CMAKE_DIR})
# 0.x: a minor version may change the API, so only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/futurescopeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/futurescopeConfig.cmake
              ${PROJECT_BINARY_DIR}/futurescopeConfigVersion.cmake
        DESTINATION ${FS_CMAKE_DIR})
