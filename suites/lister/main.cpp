// rlvr_suite_lister SUITE.toml OUT.cmake: CMake's configure step runs this (built as a tiny
// torch-free sub-project, cmake/Suites.cmake) to expand a suite into rlvr_suite_cell() calls,
// because CMake cannot read TOML. Bad input: exit 2 with the one-line "FILE: FIELD: what".
#include <cstdio>
#include <exception>

#include "suites/suite.h"
#include "util/error.h"
#include "util/file.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: rlvr_suite_lister SUITE.toml OUT.cmake\n");
    return rlvr::kExitBadInput;
  }
  try {
    rlvr::file_write_atomic(argv[2], rlvr::suite_render_cmake(rlvr::suite_load(argv[1])));
  } catch (const rlvr::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return rlvr::kExitBadInput;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rlvr_suite_lister: internal error: %s\n", e.what());
    return rlvr::kExitInternal;
  }
  return rlvr::kExitOk;
}
