// tokenizer_encode_fuzz: the real Llama-3.1 and Qwen2.5 tokenizer.json files (npm test data) on
// hostile text. Findings: a crash, an id outside the vocabulary, or Llama-3.1 (byte-level, no
// normalizer) not giving back valid UTF-8 input byte for byte from decode(encode(text)).
// The files: $RLVR_FUZZ_LLAMA3 / $RLVR_FUZZ_QWEN, else the node_modules paths baked in at build time.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.h"
#include "models/tokenizer.h"
#include "models/utf8.h"

using namespace rlvr;

namespace {

std::unique_ptr<Tokenizer> g_llama, g_qwen;

std::unique_ptr<Tokenizer> tokenizer_from(const char* env, const char* baked) {
  const char* p = std::getenv(env);
  return std::make_unique<Tokenizer>(Tokenizer::load(p && *p ? p : baked));
}

}  // namespace

// Loading two 7-9 MB tokenizer.json files under ASan takes seconds: once, before any input is timed.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  g_llama = tokenizer_from("RLVR_FUZZ_LLAMA3", RLVR_FUZZ_LLAMA3_DEFAULT);
  g_qwen = tokenizer_from("RLVR_FUZZ_QWEN", RLVR_FUZZ_QWEN_DEFAULT);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text = fuzz::fuzz_text(data, size);
  for (const Tokenizer* t : {g_llama.get(), g_qwen.get()}) {
    for (bool special : {false, true}) {
      std::vector<int32_t> ids = t->encode(text, special);
      for (int32_t id : ids)
        if (id < 0 || id >= t->vocab_size()) fuzz::fuzz_fail("encode gave an id outside the vocabulary", std::to_string(id));
      std::string back = t->decode(ids);
      if (t == g_llama.get() && !special && utf8_valid(text) && back != text)
        fuzz::fuzz_fail("llama3 decode(encode(text)) != text", text);
    }
  }
  return 0;
}
