# assets/: what the viewer loads at run time. The program looks for them in
# $FS_ASSETS, then beside itself (<bindir>/assets: the build tree), then under
# its prefix (<bindir>/../share/futurescope: an installed copy).
# configure_file copies each into the build tree and re-runs when one changes.
include(GNUInstallDirs)
file(GLOB FS_ASSET_FILES CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}/assets
     ${PROJECT_SOURCE_DIR}/assets/*)
foreach(f ${FS_ASSET_FILES})
  configure_file(${PROJECT_SOURCE_DIR}/assets/${f} ${PROJECT_BINARY_DIR}/assets/${f} COPYONLY)
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/ DESTINATION ${CMAKE_INSTALL_DATADIR}/futurescope)
