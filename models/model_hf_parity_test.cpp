// model_hf_parity_test.cpp: logits equal to HF transformers' within 1e-4 (fp32) on every family.
// The fixtures (tests/data/hf_fixtures) are made by tools/make_hf_fixtures.py with transformers;
// this test is only registered when they exist.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "models/safetensors_read.h"
#include "util/file.h"

namespace rlvr {
namespace {

std::string fixtures() {
  const char* d = std::getenv("RLVR_HF_FIXTURES");
  return d ? d : "";
}

torch::Tensor read(const SafetensorsFile& f, const std::string& name, torch::ScalarType t) {
  const auto* info = f.find(name);
  if (!info) throw std::runtime_error(f.path() + ": no " + name);
  return torch::from_blob(const_cast<uint8_t*>(f.bytes(*info)), info->shape, t).clone();
}

TEST(HfParity, LogitsMatchTransformers) {
  auto manifest = nlohmann::json::parse(file_read(fixtures() + "/manifest.json"));
  double tol = manifest.value("tolerance", 1e-4);
  ASSERT_FALSE(manifest["cases"].empty());
  torch::NoGradGuard g;
  for (const auto& c : manifest["cases"]) {
    std::string dir = fixtures() + "/" + c["dir"].get<std::string>();
    Model m = model_load(dir);
    auto f = SafetensorsFile::open(dir + "/expected.safetensors");
    auto ids = read(*f, "input_ids", torch::kInt64);  // (B, T)
    auto want = read(*f, "logits", torch::kFloat32);  // (B, T, V)
    int64_t B = ids.size(0), T = ids.size(1);
    TokenBatch x{ids, torch::arange(T).repeat({B, 1}), torch::ones({B, T}, torch::kBool)};
    auto got = model_forward(m, x);
    double full = (got - want).abs().max().item<double>();
    EXPECT_LE(full, tol) << c["name"];
    // The KV-cache path too: prefill half, then one token at a time.
    KVCache cache = kv_cache_new(m, B, T);
    int64_t P = T / 2;
    auto first = model_forward(m, {x.ids.narrow(1, 0, P), x.pos.narrow(1, 0, P), x.valid.narrow(1, 0, P)}, &cache);
    double inc = (first - want.narrow(1, 0, P)).abs().max().item<double>();
    for (int64_t t = P; t < T; ++t) {
      auto l = model_forward(m, {x.ids.narrow(1, t, 1), x.pos.narrow(1, t, 1), x.valid.narrow(1, t, 1)}, &cache);
      inc = std::max(inc, (l - want.narrow(1, t, 1)).abs().max().item<double>());
    }
    EXPECT_LE(inc, tol) << c["name"] << " (KV cache)";
    std::printf("%s: max |diff| full %.2e, kv-cache %.2e\n", c["name"].get<std::string>().c_str(), full, inc);
  }
}

}  // namespace
}  // namespace rlvr
