// model_hf_parity_test.cpp: rlvrbench's model core against HF transformers on every family and shape
// that tools/make_hf_fixtures.py builds (Qwen2, Llama-3.x with llama3 rope scaling, OLMo-2; GQA 1 to
// 8, head dims 8 to 32, rope theta 1e4 to 1e6, tied and untied embeddings). The fixtures are made at
// test time from the project environment's transformers (CTest hf/fixtures, into the build folder;
// ci/gpu/check.sh on a GPU machine). RLVR_HF_FIXTURES names their folder; RLVR_PARITY_DEVICE
// (cpu | cuda) and RLVR_PARITY_DTYPE (float32 | bfloat16 | float16) pick where and how rlvrbench runs.
// The same checks hold every zoo member as `rlvrbench zoo build` exports it: make_hf_fixtures.py
// --check-dir --parity-test writes a folder of the same form whose cases name the member's folder
// (model_dir) and runs this binary on it in fp32 (CTest hf/zoo_export, hf/zoo_micro_in_transformers).
//
// What is compared, against transformers' numbers in fp32:
//   Logits          forward over 2 rows of 320 tokens (a zoo member: at most its max positions, 256 for
//                   the micro members), in one pass and through the KV cache
//                   (prefill half, then one token at a time)
//   ResponseLogprobs teacher-forced log-probs of given completions (what GRPO's ratio uses),
//                   rlvrbench's batched, left/right-padded rows against each row alone
//   Greedy          64 greedy tokens per prompt (two prompts, batched and left padded on our side,
//                   each alone in transformers' generate()): identical ids, and the sampler's
//                   log-probs of them
// Bounds, with S = the case's logit scale (max |reference logit|):
//   fp32     logits within 1e-5 S (the manifest's fp32_rel_tol); log-probs within 2e-5 S, since a
//            log-prob is z_i - logsumexp(z) and each term moves by at most max |dz|; greedy ids equal.
//   16-bit   transformers' own bf16 run of the same model on the same ids (fixture logits_bf16) lands
//            E = max |bf16 - fp32| from its fp32 logits: with these random weights (std 0.2, norms
//            jittered, two layers) that is 2-9% of S, bf16's 8-bit mantissa compounding through the
//            layers. rlvrbench in 16 bits is held to kHalfVsHf * E of the fp32 reference (log-probs:
//            kHalfVsHf times transformers' bf16 log-prob error, fixture lp_logprobs_bf16): it may round
//            differently (fp32 norms, another matmul order) but must not be more than that factor
//            worse than transformers' bf16 on CPU (measured on CPU with transformers 5.18: 0.6-0.9 E
//            for logits, 0.9-1.0 times for log-probs; a wrong mask, position or weight is off by
//            the whole logit scale). Greedy ids are not compared in 16 bits (a rounding step flips
//            near-tied tokens, and the rest of the row follows).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "models/logprobs.h"
#include "models/model.h"
#include "models/safetensors_read.h"
#include "models/sampler.h"
#include "util/file.h"

namespace rlvr {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string fixtures() { return env_or("RLVR_HF_FIXTURES", ""); }

// 16 bits: at most this many times transformers' own bf16 error (see the file comment).
constexpr double kHalfVsHf = 1.5;

torch::Tensor read(const SafetensorsFile& f, const std::string& name, torch::ScalarType t) {
  const auto* info = f.find(name);
  if (!info) throw std::runtime_error(f.path() + ": no " + name);
  return torch::from_blob(const_cast<uint8_t*>(f.bytes(*info)), info->shape, t).clone();
}

// Rows stored concatenated (ids) with their lengths.
std::vector<std::vector<int32_t>> split_rows(const torch::Tensor& flat, const torch::Tensor& lens) {
  std::vector<std::vector<int32_t>> out;
  int64_t at = 0;
  for (int64_t i = 0; i < lens.size(0); ++i) {
    int64_t n = lens[i].item<int64_t>();
    auto r = flat.narrow(0, at, n).to(torch::kInt32).contiguous();
    out.emplace_back(r.data_ptr<int32_t>(), r.data_ptr<int32_t>() + n);
    at += n;
  }
  return out;
}

struct Case {
  std::string name;
  Model model;
  std::shared_ptr<SafetensorsFile> expected;
  double scale = 0;       // max |fp32 reference logit|
  double hf_bf16 = 0;     // max |transformers bf16 - transformers fp32| on the same ids
  double hf_bf16_lp = 0;  // the same for the given completions' log-probs
  torch::Tensor get(const std::string& n, torch::ScalarType t) const { return read(*expected, n, t); }
};

class HfParity : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(fixtures().empty()) << "RLVR_HF_FIXTURES is not set (tools/make_hf_fixtures.py makes the folder)";
    manifest_ = nlohmann::json::parse(file_read(fixtures() + "/manifest.json"));
    ASSERT_FALSE(manifest_["cases"].empty());
    device_ = parse_device(env_or("RLVR_PARITY_DEVICE", "cpu"));
    dtype_name_ = env_or("RLVR_PARITY_DTYPE", "float32");
    dtype_ = parse_dtype(dtype_name_, device_);
    fp32_rel_ = manifest_.value("fp32_rel_tol", 1e-5);
  }

  Case load(const nlohmann::json& c) const {
    std::string dir = fixtures() + "/" + c["dir"].get<std::string>();
    // A zoo member is checked where rlvrbench wrote it (model_dir); its case folder holds only expected.safetensors.
    std::string model_dir = c.value("model_dir", dir);
    Case k{c["name"].get<std::string>(), model_load(model_dir, device_, dtype_), SafetensorsFile::open(dir + "/expected.safetensors")};
    auto want = k.get("logits", torch::kFloat32);
    k.scale = want.abs().max().item<double>();
    k.hf_bf16 = (k.get("logits_bf16", torch::kFloat32) - want).abs().max().item<double>();
    k.hf_bf16_lp = (k.get("lp_logprobs_bf16", torch::kFloat32) - k.get("lp_logprobs", torch::kFloat32)).abs().max().item<double>();
    return k;
  }
  bool fp32() const { return dtype_ == torch::kFloat32; }
  // The bounds for a case (see the file comment).
  double bound(const Case& k) const { return fp32() ? fp32_rel_ * k.scale : kHalfVsHf * k.hf_bf16; }
  double lp_bound(const Case& k) const { return fp32() ? 2 * fp32_rel_ * k.scale : kHalfVsHf * k.hf_bf16_lp; }
  std::string where() const { return device_.str() + " " + dtype_name_; }

  nlohmann::json manifest_;
  torch::Device device_ = torch::kCPU;
  std::string dtype_name_;
  torch::ScalarType dtype_ = torch::kFloat32;
  double fp32_rel_ = 1e-5;
};

torch::Tensor cpu32(const torch::Tensor& t) { return t.to(torch::kCPU, torch::kFloat32); }

TEST_F(HfParity, Logits) {
  torch::NoGradGuard g;
  for (const auto& c : manifest_["cases"]) {
    Case k = load(c);
    auto ids = k.get("input_ids", torch::kInt64);  // (B, T)
    auto want = k.get("logits", torch::kFloat32);  // (B, T, V)
    int64_t B = ids.size(0), T = ids.size(1);
    double tol = bound(k);
    TokenBatch x{ids.to(device_), torch::arange(T).repeat({B, 1}).to(device_), torch::ones({B, T}, torch::kBool).to(device_)};
    auto got = cpu32(model_forward(k.model, x));
    double full = (got - want).abs().max().item<double>();
    EXPECT_LE(full, tol) << k.name;
    // The KV-cache path too: prefill half, then one token at a time.
    KVCache cache = kv_cache_new(k.model, B, T);
    int64_t P = T / 2;
    auto first = cpu32(model_forward(k.model, {x.ids.narrow(1, 0, P), x.pos.narrow(1, 0, P), x.valid.narrow(1, 0, P)}, &cache));
    double inc = (first - want.narrow(1, 0, P)).abs().max().item<double>();
    for (int64_t t = P; t < T; ++t) {
      auto l = cpu32(model_forward(k.model, {x.ids.narrow(1, t, 1), x.pos.narrow(1, t, 1), x.valid.narrow(1, t, 1)}, &cache));
      inc = std::max(inc, (l - want.narrow(1, t, 1)).abs().max().item<double>());
    }
    EXPECT_LE(inc, tol) << k.name << " (KV cache)";
    // One line per case that ci/gpu/check.sh collects into its summary.
    std::printf("parity %s %s logits (%lld x %lld tokens): max |diff| full %.2e, kv-cache %.2e = %.2e of the logit scale %.3f "
                "(bound %.2e; transformers' own bf16: %.2e)\n",
                k.name.c_str(), where().c_str(), static_cast<long long>(B), static_cast<long long>(T), full, inc,
                std::max(full, inc) / k.scale, k.scale, tol, k.hf_bf16);
  }
}

TEST_F(HfParity, ResponseLogprobs) {
  torch::NoGradGuard g;
  for (const auto& c : manifest_["cases"]) {
    Case k = load(c);
    auto prompts = split_rows(k.get("lp_prompt_ids", torch::kInt64), k.get("lp_prompt_lens", torch::kInt64));
    auto resps = split_rows(k.get("lp_resp_ids", torch::kInt64), k.get("lp_resp_lens", torch::kInt64));
    auto want = k.get("lp_logprobs", torch::kFloat32);
    auto got = response_logprobs_vec(k.model, prompts, resps);
    ASSERT_EQ(got.size(), resps.size()) << k.name;
    double diff = 0;
    int64_t at = 0, n = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].size(), resps[i].size()) << k.name << " row " << i;
      for (float v : got[i]) diff = std::max(diff, std::abs(static_cast<double>(v) - want[at++].item<double>()));
      n += static_cast<int64_t>(got[i].size());
    }
    double tol = lp_bound(k);
    EXPECT_LE(diff, tol) << k.name;
    std::printf("parity %s %s log-probs (%lld given completion tokens in %zu rows): max |diff| %.2e (bound %.2e; transformers' own "
                "bf16: %.2e)\n",
                k.name.c_str(), where().c_str(), static_cast<long long>(n), got.size(), diff, tol, k.hf_bf16_lp);
  }
}

TEST_F(HfParity, Greedy) {
  if (!fp32()) GTEST_SKIP() << "greedy ids are compared in float32 only (see the file comment)";
  torch::NoGradGuard g;
  for (const auto& c : manifest_["cases"]) {
    Case k = load(c);
    auto prompts = split_rows(k.get("gen_prompt_ids", torch::kInt64), k.get("gen_prompt_lens", torch::kInt64));
    auto want = k.get("gen_ids", torch::kInt64);          // (P, N)
    auto want_lp = k.get("gen_logprobs", torch::kFloat32);  // (P, N)
    int64_t N = want.size(1);
    SamplingParams p;
    p.temperature = 0;
    p.max_new_tokens = N;
    // transformers generated with EOS off: an EOS id that never comes up does the same here.
    for (int32_t e = 0; e < k.model.config.vocab_size && p.eos_ids.empty(); ++e)
      if (!(want == e).any().item<bool>()) p.eos_ids = {e};
    ASSERT_FALSE(p.eos_ids.empty());
    std::vector<SamplePrompt> sp;
    for (size_t i = 0; i < prompts.size(); ++i) sp.push_back({std::to_string(i), prompts[i]});
    auto samples = sample(k.model, sp, p);
    ASSERT_EQ(samples.size(), prompts.size()) << k.name;
    int64_t same = 0;
    double lp_diff = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
      const auto& s = samples[i];
      std::vector<int32_t> w;
      for (int64_t t = 0; t < N; ++t) w.push_back(static_cast<int32_t>(want[i][t].item<int64_t>()));
      EXPECT_EQ(s.ids, w) << k.name << " prompt " << i;
      EXPECT_EQ(s.finish, FinishReason::length) << k.name << " prompt " << i;
      for (size_t t = 0; t < std::min(s.ids.size(), w.size()) && s.ids[t] == w[t]; ++t, ++same)
        lp_diff = std::max(lp_diff, std::abs(static_cast<double>(s.logprobs[t]) - want_lp[i][t].item<double>()));
    }
    double tol = lp_bound(k);
    EXPECT_LE(lp_diff, tol) << k.name << " (sampler log-probs)";
    std::printf("parity %s %s greedy: %lld of %lld tokens identical (%zu prompts x %lld, min top-1/top-2 margin %.2e); "
                "sampler log-probs max |diff| %.2e (bound %.2e)\n",
                k.name.c_str(), where().c_str(), static_cast<long long>(same),
                static_cast<long long>(N * static_cast<int64_t>(samples.size())), samples.size(), static_cast<long long>(N),
                c.value("greedy_min_margin", 0.0), lp_diff, tol);
  }
}

}  // namespace
}  // namespace rlvr
