// golden_toml_fuzz: a hostile golden TOML (golden/golden_parse.cpp): claims of every kind, bands,
// alpha, versions, provenance. A golden that loads must render (golden_render) to one that loads.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "golden/golden.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::fuzz_temp_file(fuzz::fuzz_text(data, size), "golden.toml");
  std::string rendered;
  if (!fuzz::fuzz_expect_input_error([&] {
        Golden g = golden_load(path);
        golden_statistical_claims(g);
        rendered = golden_render(g);
      }))
    return 0;
  const std::string again = fuzz::fuzz_temp_file(rendered, "golden_rendered.toml");
  if (!fuzz::fuzz_expect_input_error([&] { golden_load(again); }))
    fuzz::fuzz_fail("a golden that loads renders to one that does not", rendered);
  return 0;
}
