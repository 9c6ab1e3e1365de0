#!/bin/sh
# The whole Lua suite (tests/lua/suite.sh) under lua5.2, with its own module build.
LC_LUA=lua5.2
. "$LC_TOP/tests/lua/suite.sh"
