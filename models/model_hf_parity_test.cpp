// model_hf_parity_test.cpp: logits equal to HF transformers' within 1e-4 (fp32) on every family.
// The fixtures (tests/data/hf_fixtures) are made by tools/make_hf_fixtures.py with transformers;
// this test is only registered when they exist. RLVR_PARITY_DEVICE (cpu | cuda) and
// RLVR_PARITY_DTYPE (float32 | bfloat16 | float16) run it on another device or dtype (ci/gpu/check.sh):
// fp32 is held to the manifest's tolerance (1e-4) everywhere; a 16-bit dtype, whose own rounding is
// ~3 significant digits, to 2% of the largest reference logit.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "models/safetensors_read.h"
#include "util/file.h"

namespace rlvr {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string fixtures() { return env_or("RLVR_HF_FIXTURES", ""); }

// A 16-bit dtype's bound, relative to the largest reference logit (see the file comment).
constexpr double kHalfRelTol = 0.02;

torch::Tensor read(const SafetensorsFile& f, const std::string& name, torch::ScalarType t) {
  const auto* info = f.find(name);
  if (!info) throw std::runtime_error(f.path() + ": no " + name);
  return torch::from_blob(const_cast<uint8_t*>(f.bytes(*info)), info->shape, t).clone();
}

TEST(HfParity, LogitsMatchTransformers) {
  auto manifest = nlohmann::json::parse(file_read(fixtures() + "/manifest.json"));
  double fp32_tol = manifest.value("tolerance", 1e-4);
  ASSERT_FALSE(manifest["cases"].empty());
  torch::Device device = parse_device(env_or("RLVR_PARITY_DEVICE", "cpu"));
  std::string dtype_name = env_or("RLVR_PARITY_DTYPE", "float32");
  torch::ScalarType dtype = parse_dtype(dtype_name, device);
  torch::NoGradGuard g;
  for (const auto& c : manifest["cases"]) {
    std::string dir = fixtures() + "/" + c["dir"].get<std::string>();
    Model m = model_load(dir, device, dtype);
    auto f = SafetensorsFile::open(dir + "/expected.safetensors");
    auto ids = read(*f, "input_ids", torch::kInt64);  // (B, T)
    auto want = read(*f, "logits", torch::kFloat32);  // (B, T, V)
    int64_t B = ids.size(0), T = ids.size(1);
    double tol = dtype == torch::kFloat32 ? fp32_tol : kHalfRelTol * want.abs().max().item<double>();
    TokenBatch x{ids.to(device), torch::arange(T).repeat({B, 1}).to(device), torch::ones({B, T}, torch::kBool).to(device)};
    auto logits_of = [&](const torch::Tensor& l) { return l.to(torch::kCPU, torch::kFloat32); };
    auto got = logits_of(model_forward(m, x));
    double full = (got - want).abs().max().item<double>();
    EXPECT_LE(full, tol) << c["name"];
    // The KV-cache path too: prefill half, then one token at a time.
    KVCache cache = kv_cache_new(m, B, T);
    int64_t P = T / 2;
    auto first = logits_of(model_forward(m, {x.ids.narrow(1, 0, P), x.pos.narrow(1, 0, P), x.valid.narrow(1, 0, P)}, &cache));
    double inc = (first - want.narrow(1, 0, P)).abs().max().item<double>();
    for (int64_t t = P; t < T; ++t) {
      auto l = logits_of(model_forward(m, {x.ids.narrow(1, t, 1), x.pos.narrow(1, t, 1), x.valid.narrow(1, t, 1)}, &cache));
      inc = std::max(inc, (l - want.narrow(1, t, 1)).abs().max().item<double>());
    }
    EXPECT_LE(inc, tol) << c["name"] << " (KV cache)";
    // One line per case that ci/gpu/check.sh collects into its summary.
    std::printf("parity %s %s %s: max |diff| full %.2e, kv-cache %.2e (bound %.2e)\n", c["name"].get<std::string>().c_str(),
                device.str().c_str(), dtype_name.c_str(), full, inc, tol);
  }
}

}  // namespace
}  // namespace rlvr
