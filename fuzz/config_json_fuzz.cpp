// config_json_fuzz: a hostile HF config.json (models/model_config.cpp): model_type and
// architectures, sizes, rope_theta / rope_scaling (llama3, linear, dynamic...), tie flags, special
// token ids, dtypes. A config that loads must render (config_to_json) to one that loads again to
// the same rendering.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "models/model_config.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz::fuzz_text(data, size);
  std::string rendered;
  if (!fuzz::fuzz_expect_input_error([&] { rendered = config_to_json(config_parse(text, "config.json")); })) return 0;
  std::string again;
  if (!fuzz::fuzz_expect_input_error([&] { again = config_to_json(config_parse(rendered, "rendered config.json")); }))
    fuzz::fuzz_fail("a config that loads renders to one that does not", rendered);
  if (again != rendered) fuzz::fuzz_fail("config render is not a fixed point", rendered + " vs " + again);
  generation_config_to_json(config_parse(text, "config.json"));
  return 0;
}
