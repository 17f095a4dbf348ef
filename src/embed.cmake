# Turns a file into a C source defining a NUL-terminated byte array.
# cmake -DIN=file -DOUT=out.c -DSYM=name -DLABEL=text -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "/* generated from ${LABEL} by embed.cmake */\n"
  "const char ${SYM}[] = {${bytes}0x00};\n"
  "const unsigned long ${SYM}_len = ${len};\n"
  "const char ${SYM}_name[] = \"${LABEL}\";\n")
