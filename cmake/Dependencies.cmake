# Every dependency but LibTorch comes from Debian's packages; LibTorch from PyTorch's own wheel in
# the project environment (cmake/TorchFind.cmake). ci/setup.sh installs them all.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(SQLite3 REQUIRED)
# PCRE2 through pkg-config where there is one; else (a GPU machine with the deps of
# ci/gpu/prepare.sh and no pkg-config) by header and library, as the same imported target.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(PCRE2 QUIET IMPORTED_TARGET libpcre2-8)
endif()
if(NOT TARGET PkgConfig::PCRE2)
  find_path(PCRE2_INCLUDE_DIR pcre2.h)
  find_library(PCRE2_LIBRARY NAMES pcre2-8)
  if(NOT PCRE2_INCLUDE_DIR OR NOT PCRE2_LIBRARY)
    message(FATAL_ERROR "rlvrbench: PCRE2 (libpcre2-8) not found (apt install libpcre2-dev; ci/setup.sh does)")
  endif()
  add_library(PkgConfig::PCRE2 UNKNOWN IMPORTED)
  set_target_properties(PkgConfig::PCRE2 PROPERTIES
    IMPORTED_LOCATION "${PCRE2_LIBRARY}" INTERFACE_INCLUDE_DIRECTORIES "${PCRE2_INCLUDE_DIR}")
endif()

# utf8proc ships no CMake or pkg-config file on Debian 12.
find_path(UTF8PROC_INCLUDE_DIR utf8proc.h REQUIRED)
find_library(UTF8PROC_LIBRARY NAMES utf8proc REQUIRED)
add_library(utf8proc::utf8proc UNKNOWN IMPORTED)
set_target_properties(utf8proc::utf8proc PROPERTIES
  IMPORTED_LOCATION "${UTF8PROC_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${UTF8PROC_INCLUDE_DIR}")

include(TorchFind)
# A LibTorch built with CUDA (TorchConfig.cmake lists its CUDA libraries): the NCCL process group
# and the CUDA paths of the benchmarks are compiled in (RLVR_TORCH_CUDA).
if(TORCH_CUDA_LIBRARIES OR TARGET torch_cuda)
  set(RLVR_TORCH_CUDA ON)
else()
  set(RLVR_TORCH_CUDA OFF)
endif()
message(STATUS "rlvrbench: LibTorch ${Torch_VERSION}, CUDA ${RLVR_TORCH_CUDA}")
if(RLVR_TORCH_CUDA)
  # PyTorch's CUDA wheel: libtorch_cuda.so needs libcublas.so.13, libnccl.so.2, ... of the nvidia-*
  # wheels beside torch/ (site-packages/nvidia/*/lib), which it finds through its $ORIGIN RPATH.
  # Name those folders to the linker too, so linking an executable resolves them on any linker.
  file(GLOB _rlvr_nvidia_libs LIST_DIRECTORIES true "${TORCH_INSTALL_PREFIX}/../nvidia/*/lib")
  if(_rlvr_nvidia_libs)
    string(REPLACE ";" ":" _rlvr_nvidia_libs "${_rlvr_nvidia_libs}")
    add_link_options("LINKER:-rpath-link,${_rlvr_nvidia_libs}")
  endif()
endif()

if(RLVR_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(RLVR_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
