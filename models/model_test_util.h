// model_test_util.h: tiny configurations of every family and a scratch folder, for the model tests.
#pragma once
#include <string>

#include "models/model.h"

namespace rlvr::test {

// V=61, C=32, L=2, H=4, K=2 (GQA), D=8, F=40. Llama gets llama3 rope scaling whose three regimes
// (kept, smoothed, divided) all occur at D=8; Qwen2 gets q/k/v biases; OLMo-2 post-norm + qk-norm.
ModelConfig tiny_config(Family f);
// A seeded random model with jittered norms (so norm weights matter in every check).
Model tiny_model(Family f, uint64_t seed = 1);

// A fresh empty folder under the test temp dir, removed by the destructor.
struct TempDir {
  std::string path;
  TempDir();
  ~TempDir();
};

inline const Family kFamilies[] = {Family::qwen2, Family::llama, Family::olmo2};

}  // namespace rlvr::test
