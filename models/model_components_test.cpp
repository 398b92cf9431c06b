// model_components_test.cpp: components against values computed by hand, and the whole forward
// against a naive re-implementation written from the HF formulas (separate q/k/v/gate/up matrices,
// explicit repeat_kv, per-head loops), which pins down norm placement per family.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "models/decode_attention.h"
#include "models/model.h"
#include "models/model_test_util.h"

namespace rlvr {
namespace {

TEST(Components, RmsNormByHand) {
  auto x = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f});
  auto w = torch::tensor({1.0f, 1.0f, 2.0f, 0.5f});
  double r = 1.0 / std::sqrt(30.0 / 4.0 + 1e-6);
  auto y = rms_norm(x, w, 1e-6, false);
  double want[4] = {1 * r, 2 * r, 2 * 3 * r, 0.5 * 4 * r};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(y[i].item<float>(), want[i], 1e-6);
  auto y2 = rms_norm(x, w, 1e-6, true);
  EXPECT_TRUE(torch::allclose(y, y2));
}

TEST(Components, RopeByHand) {
  ModelConfig c = test::tiny_config(Family::qwen2);
  c.head_dim = 4;
  c.rope_theta = 100.0;
  auto inv = rope_inv_freq(c);  // 1 / 100^(0/4), 1 / 100^(2/4) = 1, 0.1
  ASSERT_EQ(inv.size(0), 2);
  EXPECT_FLOAT_EQ(inv[0].item<float>(), 1.0f);
  EXPECT_NEAR(inv[1].item<float>(), 0.1f, 1e-7);
  auto [cos, sin] = rope_cos_sin(inv, torch::tensor({3}, torch::kInt64).view({1, 1}), torch::kFloat32);
  auto x = torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({1, 1, 1, 4});
  auto y = rope_apply(x, cos, sin).view({4});
  // Non-interleaved halves: pairs (x0, x2) rotate by 3 * 1, (x1, x3) by 3 * 0.1.
  double a = 3.0, b = 0.3;
  double want[4] = {1 * std::cos(a) - 3 * std::sin(a), 2 * std::cos(b) - 4 * std::sin(b), 3 * std::cos(a) + 1 * std::sin(a),
                    4 * std::cos(b) + 2 * std::sin(b)};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(y[i].item<float>(), want[i], 1e-5) << i;
}

TEST(Components, Llama3RopeScalingByHand) {
  ModelConfig c = test::tiny_config(Family::llama);  // D=8, theta 1e4, factor 8, low 1, high 4, orig 64
  auto inv = rope_inv_freq(c);
  const double factor = 8, low = 1, high = 4, orig = 64;
  for (int i = 0; i < 4; ++i) {
    double f = 1.0 / std::pow(10000.0, 2.0 * i / 8.0);
    double wavelen = 2 * M_PI / f, want;
    if (wavelen < orig / high) want = f;                   // high frequency: kept (i=0: 6.3 < 16)
    else if (wavelen > orig / low) want = f / factor;      // low frequency: divided (i=2, 3)
    else {                                                 // in between: interpolated (i=1: 62.8)
      double s = (orig / wavelen - low) / (high - low);
      want = (1 - s) * f / factor + s * f;
    }
    EXPECT_NEAR(inv[i].item<float>(), want, 1e-6 * f) << i;
  }
  // All three regimes occur in this config.
  EXPECT_FLOAT_EQ(inv[0].item<float>(), 1.0f);
  EXPECT_NEAR(inv[3].item<float>(), 1e-3 / 8, 1e-9);
  double f1 = 0.1, s1 = (64 / (2 * M_PI / f1) - 1) / 3;
  EXPECT_NEAR(inv[1].item<float>(), (1 - s1) * f1 / 8 + s1 * f1, 1e-7);
}

// decode_attention against the matmul formula it replaces: GQA order, masked slots, a capacity
// larger than the filled slots. Another summation order, so equal within float rounding.
TEST(Components, DecodeAttentionMatchesMatmulAttention) {
  torch::manual_seed(3);
  const int64_t B = 3, K = 2, G = 2, H = K * G, D = 16, cap = 11, S = 7;
  auto q = torch::randn({B, H, 1, D});
  auto kc = torch::randn({B, K, cap, D}), vc = torch::randn({B, K, cap, D});
  auto valid = torch::ones({B, cap}, torch::kBool);
  valid.index_put_({0, 2}, false);
  valid.index_put_({1, 0}, false);
  valid.index_put_({1, 5}, false);
  torch::NoGradGuard no_grad;
  ASSERT_TRUE(decode_attention_applies(torch::kCPU, torch::kFloat32, 1));
  EXPECT_FALSE(decode_attention_applies(torch::kCPU, torch::kFloat32, 2));
  EXPECT_FALSE(decode_attention_applies(torch::kCPU, torch::kBFloat16, 1));
  const double scale = 1.0 / std::sqrt(static_cast<double>(D));
  auto got = decode_attention(q, kc, vc, valid, S, scale);  // (B, H, 1, D)
  auto keys = repeat_kv(kc.narrow(2, 0, S), G), values = repeat_kv(vc.narrow(2, 0, S), G);
  auto scores = torch::matmul(q, keys.transpose(-1, -2)) * scale;  // (B, H, 1, S)
  scores = scores.masked_fill(valid.narrow(1, 0, S).logical_not().view({B, 1, 1, S}), -INFINITY);
  auto want = torch::matmul(torch::softmax(scores, -1), values);
  ASSERT_EQ(got.sizes(), want.sizes());
  EXPECT_LT((got - want).abs().max().item<double>(), 1e-5);
  // Deterministic: the same inputs give the same bits.
  EXPECT_TRUE(torch::equal(got, decode_attention(q, kc, vc, valid, S, scale)));
}

// The baseline and AVX2 builds of the loops give the same bits (head dims with and without a tail
// past the 8 lanes, many slots).
TEST(Components, DecodeAttentionSameBitsBaselineAndAvx2) {
  torch::manual_seed(4);
  torch::NoGradGuard no_grad;
  for (auto [D, S] : {std::pair<int64_t, int64_t>{16, 7}, {32, 111}, {13, 40}, {64, 300}}) {
    const int64_t B = 5, K = 2, H = 4, cap = S + 3;
    auto q = torch::randn({B, H, 1, D});
    auto kc = torch::randn({B, K, cap, D}), vc = torch::randn({B, K, cap, D});
    auto valid = torch::rand({B, cap}) > 0.2;
    for (int64_t b = 0; b < B; ++b) valid.index_put_({b, S - 1}, true);  // a row's own slot
    decode_attention_use_avx2(false);
    auto base = decode_attention(q, kc, vc, valid, S, 0.125);
    decode_attention_use_avx2(true);
    auto avx2 = decode_attention(q, kc, vc, valid, S, 0.125);
    EXPECT_TRUE(torch::equal(base, avx2)) << "D=" << D << " S=" << S;
  }
}

TEST(Components, RepeatKvOrder) {
  auto x = torch::arange(2 * 3).to(torch::kFloat32).view({1, 2, 3, 1});  // kv heads [0 1 2], [3 4 5]
  auto y = repeat_kv(x, 3);                                                // heads 0,0,0,1,1,1
  ASSERT_EQ(y.size(1), 6);
  for (int h = 0; h < 6; ++h)
    for (int s = 0; s < 3; ++s) EXPECT_EQ(y[0][h][s][0].item<float>(), (h / 3) * 3 + s);
}

// GQA with K kv heads equals MHA whose k/v projections repeat each kv head's rows G times.
TEST(Components, GqaEqualsMhaWithRepeatedKvWeights) {
  torch::NoGradGuard g;
  Model gqa = test::tiny_model(Family::qwen2, 5);
  const auto& c = gqa.config;
  ModelConfig mc = c;
  mc.num_kv_heads = c.num_heads;
  Model mha = model_init(mc, 9);
  int64_t Q = c.q_dim(), KV = c.kv_dim(), D = c.head_dim, G = c.num_heads / c.num_kv_heads;
  auto rep = [&](const torch::Tensor& t) {  // (L, KV, ...) -> (L, Q, ...) heads repeated G times
    auto s = t.sizes().vec();
    auto v = t.reshape({s[0], c.num_kv_heads, 1, D, -1}).expand({s[0], c.num_kv_heads, G, D, t.numel() / (s[0] * KV)});
    s[1] = Q;
    return v.reshape(s);
  };
  auto qw = gqa.w.qkv_w.narrow(1, 0, Q), kw = gqa.w.qkv_w.narrow(1, Q, KV), vw = gqa.w.qkv_w.narrow(1, Q + KV, KV);
  mha.w = gqa.w;
  mha.w.qkv_w = torch::cat({qw, rep(kw), rep(vw)}, 1);
  auto qb = gqa.w.qkv_b.narrow(1, 0, Q), kb = gqa.w.qkv_b.narrow(1, Q, KV), vb = gqa.w.qkv_b.narrow(1, Q + KV, KV);
  mha.w.qkv_b = torch::cat({qb, rep(kb.unsqueeze(-1)).squeeze(-1), rep(vb.unsqueeze(-1)).squeeze(-1)}, 1);
  auto x = batch_left_padded({{1, 5, 9, 13, 2, 40}, {7, 3}});
  EXPECT_LE((model_forward(gqa, x) - model_forward(mha, x)).abs().max().item<float>(), 1e-5);
}

// A naive forward from the HF formulas, one row, no padding.
torch::Tensor naive_forward(const Model& m, const std::vector<int64_t>& ids) {
  const auto& c = m.config;
  std::map<std::string, torch::Tensor> W;
  for (auto& [n, t] : m.named_hf_tensors()) W[n] = t;
  int64_t T = ids.size(), H = c.num_heads, K = c.num_kv_heads, D = c.head_dim;
  auto norm = [&](const torch::Tensor& x, const torch::Tensor& w) {
    return w * (x / torch::sqrt(x.pow(2).mean(-1, true) + c.rms_norm_eps));
  };
  auto inv = rope_inv_freq(c);
  auto rope = [&](const torch::Tensor& x) {  // (N, T, D)
    auto out = torch::empty_like(x);
    for (int64_t t = 0; t < T; ++t)
      for (int64_t i = 0; i < D / 2; ++i) {
        double ang = t * inv[i].item<double>();
        auto a = x.select(1, t).select(1, i), b = x.select(1, t).select(1, i + D / 2);
        out.select(1, t).select(1, i).copy_(a * std::cos(ang) - b * std::sin(ang));
        out.select(1, t).select(1, i + D / 2).copy_(b * std::cos(ang) + a * std::sin(ang));
      }
    return out;
  };
  auto lin = [&](const torch::Tensor& x, const std::string& n) {
    auto y = torch::matmul(x, W.at(n + ".weight").t());
    if (W.count(n + ".bias")) y = y + W.at(n + ".bias");
    return y;
  };
  auto h = W.at("model.embed_tokens.weight").index_select(0, torch::tensor(ids));  // (T, C)
  auto causal = torch::ones({T, T}).tril().logical_not();
  for (int64_t l = 0; l < c.num_layers; ++l) {
    std::string p = "model.layers." + std::to_string(l) + ".";
    bool post = c.family == Family::olmo2;
    auto xin = post ? h : norm(h, W.at(p + "input_layernorm.weight"));
    auto q = lin(xin, p + "self_attn.q_proj"), k = lin(xin, p + "self_attn.k_proj"), v = lin(xin, p + "self_attn.v_proj");
    if (post) {
      q = norm(q, W.at(p + "self_attn.q_norm.weight"));  // over all heads at once
      k = norm(k, W.at(p + "self_attn.k_norm.weight"));
    }
    q = rope(q.view({T, H, D}).transpose(0, 1));
    k = repeat_kv(rope(k.view({T, K, D}).transpose(0, 1)).unsqueeze(0), H / K)[0];
    v = repeat_kv(v.view({T, K, D}).transpose(0, 1).unsqueeze(0), H / K)[0];
    std::vector<torch::Tensor> heads;
    for (int64_t i = 0; i < H; ++i) {
      auto s = torch::matmul(q[i], k[i].t()) / std::sqrt((double)D);
      heads.push_back(torch::matmul(torch::softmax(s.masked_fill(causal, -1e30), -1), v[i]));
    }
    auto a = lin(torch::cat(heads, -1), p + "self_attn.o_proj");
    if (post) {
      h = h + norm(a, W.at(p + "post_attention_layernorm.weight"));
    } else {
      h = h + a;
    }
    auto xm = post ? h : norm(h, W.at(p + "post_attention_layernorm.weight"));
    auto mlp = lin(torch::silu(lin(xm, p + "mlp.gate_proj")) * lin(xm, p + "mlp.up_proj"), p + "mlp.down_proj");
    h = h + (post ? norm(mlp, W.at(p + "post_feedforward_layernorm.weight")) : mlp);
  }
  h = norm(h, W.at("model.norm.weight"));
  auto head = c.tie_word_embeddings ? W.at("model.embed_tokens.weight") : W.at("lm_head.weight");
  return torch::matmul(h, head.t());
}

class NaiveTest : public ::testing::TestWithParam<Family> {};

TEST_P(NaiveTest, ForwardMatchesNaiveHfFormulas) {
  torch::NoGradGuard g;
  Model m = test::tiny_model(GetParam(), 11);
  std::vector<int64_t> ids = {3, 17, 42, 8, 8, 0, 55, 21, 13, 34, 1, 2};
  std::vector<int32_t> ids32(ids.begin(), ids.end());
  auto got = model_forward(m, batch_left_padded({ids32}))[0];
  auto want = naive_forward(m, ids);
  EXPECT_LE((got - want).abs().max().item<float>(), 1e-4);
  EXPECT_GT(want.abs().max().item<float>(), 0.5);  // logits are not trivially small
}

// Moving OLMo-2's norms to the pre-norm places (or dropping q/k norm) must change the output,
// so the check above really pins the placement.
TEST(NaiveTestOlmo2, NormPlacementMatters) {
  torch::NoGradGuard g;
  Model m = test::tiny_model(Family::olmo2, 11);
  Model pre = m;
  pre.config.family = Family::llama;  // same tensors, pre-norm placement, no q/k norm
  auto x = batch_left_padded({{3, 17, 42, 8, 8, 0}});
  EXPECT_GT((model_forward(m, x) - model_forward(pre, x)).abs().max().item<float>(), 1e-2);
}

INSTANTIATE_TEST_SUITE_P(Families, NaiveTest, ::testing::ValuesIn(test::kFamilies),
                         [](const auto& info) { return std::string(family_model_type(info.param)); });

}  // namespace
}  // namespace rlvr
