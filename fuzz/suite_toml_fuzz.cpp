// suite_toml_fuzz: a hostile suite TOML (suites/suite_parse.cpp): defaults, cell matrices, seeds,
// mutants, runner templates, ranks. The file lies in a scratch folder, so the files it names are
// absent; a suite that loads must render as CMake and JSON.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "suites/suite.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::fuzz_temp_file(fuzz::fuzz_text(data, size), "suite.toml");
  fuzz::fuzz_expect_input_error([&] {
    Suite s = suite_load(path);
    suite_render_cmake(s);
    suite_render_json(s);
    for (const SuiteCell& c : s.cells) {
      suite_cell_set_args(c);
      suite_cell_run_toml(c);
    }
  });
  return 0;
}
