// tokenizer_json_fuzz: loading a hostile tokenizer.json (models/tokenizer_load.cpp), then encoding
// and decoding with whatever loaded. The input is the whole tokenizer.json.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "models/tokenizer.h"

using namespace rlvr;

// Texts every tokenizer that loads must encode and decode without crashing.
static const char* const kTexts[] = {"", "Hello world 123", " \n\t x  y", "<|im_start|>user\n1+1=?<|im_end|>",
                                     "\xc3\xa9t\xc3\xa9 \xe2\x88\x9a" "2 \xf0\x9f\x98\x80", "\xff\xfe bad utf-8 \xc3"};

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string json = fuzz::fuzz_text(data, size);
  fuzz::fuzz_expect_input_error([&] {
    Tokenizer t = Tokenizer::from_json(json, "tokenizer.json");
    for (const char* text : kTexts) {
      for (bool special : {false, true}) {
        std::vector<int32_t> ids = t.encode(text, special);
        for (int32_t id : ids)
          if (id < 0 || id >= t.vocab_size()) fuzz::fuzz_fail("encode gave an id outside the vocabulary", std::to_string(id));
        t.decode(ids, /*skip_special_tokens=*/false);
        t.decode(ids, /*skip_special_tokens=*/true);
      }
    }
    std::vector<int32_t> all;
    for (int32_t id = 0; id < t.vocab_size() && id < 64; ++id) all.push_back(id);
    t.decode(all);
  });
  return 0;
}
