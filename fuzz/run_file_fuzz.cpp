// run_file_fuzz: a hostile run file for `rlvrbench ingest` (results/run_file.cpp, docs/run-format.md):
// the header, graded sample lines, step metrics and eval means, lines out of order or repeated.
// Read twice: without a dataset, and against a dataset of problem ids p0..p9.
#include <cstdint>
#include <set>
#include <string>

#include "results/run_file.h"
#include "fuzz/fuzz_util.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::set<std::string> ids = [] {
    std::set<std::string> s;
    for (int i = 0; i < 10; ++i) s.insert("p" + std::to_string(i));
    return s;
  }();
  const std::string path = fuzz::fuzz_temp_file(fuzz::fuzz_text(data, size), "run.jsonl");
  fuzz::fuzz_expect_input_error([&] { run_file_read(path, nullptr); });
  fuzz::fuzz_expect_input_error([&] { run_file_read(path, &ids); });
  return 0;
}
