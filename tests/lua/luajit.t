#!/bin/sh
# The whole Lua suite (tests/lua/suite.sh) under luajit, with its own module build.
LC_LUA=luajit
. "$LC_TOP/tests/lua/suite.sh"
