// dataset_jsonl_fuzz: a hostile math dataset file (eval/dataset.cpp): MATH-500 JSONL and the AMC,
// AIME, GSM8K and the paper scripts' test.json forms, duplicate ids, non-string answers.
#include <cstdint>
#include <string>

#include "eval/dataset.h"
#include "fuzz/fuzz_util.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::fuzz_temp_file(fuzz::fuzz_text(data, size), "eval.jsonl");
  fuzz::fuzz_expect_input_error([&] {
    DatasetReport r = dataset_load_report(path);
    for (const DatasetItem& d : r.items)
      if (d.id.empty()) fuzz::fuzz_fail("a dataset item without an id", d.problem);
  });
  return 0;
}
