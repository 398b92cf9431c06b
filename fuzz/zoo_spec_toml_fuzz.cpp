// zoo_spec_toml_fuzz: a hostile zoo spec TOML (synth/prior_spec.cpp): architecture, tokenizer and
// chat template names, the planted priors (code rate, answer styles, slips), corpus sizes. A spec
// that loads must give the same canonical form (the JSON whose hash is the zoo's cache key) when
// parsed again.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "synth/prior_spec.h"

using namespace rlvr;
using namespace rlvr::synth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz::fuzz_text(data, size);
  std::string canon;
  if (!fuzz::fuzz_expect_input_error([&] { canon = zoo_spec_canonical(zoo_spec_parse(text, "spec.toml")); })) return 0;
  if (zoo_spec_canonical(zoo_spec_parse(text, "spec.toml")) != canon) fuzz::fuzz_fail("canonical form differs between two parses", canon);
  return 0;
}
