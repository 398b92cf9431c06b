// bench_model.h: the model shape the benchmarks share when none is given: the synthetic zoo's
// scale (a Llama-family decoder, 4 layers of width 256, GQA 4/2 heads, vocabulary 2048).
#pragma once
#include "models/model_config.h"

namespace rlvr::bench {

inline ModelConfig bench_config() {
  ModelConfig c;
  c.family = Family::llama;
  c.vocab_size = 2048;
  c.hidden_size = 256;
  c.intermediate_size = 688;
  c.num_layers = 4;
  c.num_heads = 4;
  c.num_kv_heads = 2;
  c.head_dim = 64;
  c.eos_token_ids = {};
  return c;
}

}  // namespace rlvr::bench
