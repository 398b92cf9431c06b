# Use ccache when present. PCH-friendly sloppiness so precompiled LibTorch headers still hit the cache;
# CCACHE_BASEDIR makes the paths under the checkout relative (LibTorch's headers included: they sit in
# .venv), so a fresh clone in another folder (CI's) reuses what a build of this one compiled.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      "${CMAKE_COMMAND};-E;env;CCACHE_BASEDIR=${CMAKE_SOURCE_DIR};CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;${CCACHE_PROGRAM}")
  message(STATUS "rlvrbench: using ccache ${CCACHE_PROGRAM}")
endif()
