// report_fixture PATH MODE: writes the report tests' database (test_fixture.h) for the CLI and
// Chromium tests. MODE: good, partial, empty, noevals, newer, notadb.
#include <cstdio>
#include <exception>

#include "report/test_fixture.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: report_fixture PATH MODE\n");
    return 2;
  }
  try {
    rlvr::report::test::fixture_write(argv[1], rlvr::report::test::fixture_mode_parse(argv[2]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "report_fixture: %s\n", e.what());
    return 1;
  }
  return 0;
}
