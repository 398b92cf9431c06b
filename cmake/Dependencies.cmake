# Every dependency comes from Debian's packages (ci/setup.sh installs them).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)

# utf8proc ships no CMake or pkg-config file on Debian 12.
find_path(UTF8PROC_INCLUDE_DIR utf8proc.h REQUIRED)
find_library(UTF8PROC_LIBRARY NAMES utf8proc REQUIRED)
add_library(utf8proc::utf8proc UNKNOWN IMPORTED)
set_target_properties(utf8proc::utf8proc PROPERTIES
  IMPORTED_LOCATION "${UTF8PROC_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${UTF8PROC_INCLUDE_DIR}")

find_package(Torch REQUIRED)   # LibTorch 1.13 (Debian, CPU) or 2.x (CUDA) via CMAKE_PREFIX_PATH

if(RLVR_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(RLVR_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
