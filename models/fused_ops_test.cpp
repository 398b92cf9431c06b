// fused_ops_test.cpp: the fused RoPE, SwiGLU and RMSNorm give the ATen composition's bits, forward
// and backward, over shapes with odd sizes, several batch rows and both thread counts, alone and
// inside every family's whole forward and backward (residual gradients included).
#include <gtest/gtest.h>

#include "models/fused_ops.h"
#include "models/model.h"
#include "models/model_test_util.h"

namespace rlvr {
namespace {

// q|k|v through split, rope_apply and reshape (model_forward.cpp's unfused path).
std::array<torch::Tensor, 3> qkv_rope_aten(const torch::Tensor& qkv, const torch::Tensor& cos, const torch::Tensor& sin,
                                           int64_t H, int64_t K, int64_t D) {
  const int64_t B = qkv.size(0), T = qkv.size(1);
  auto p = qkv.split_with_sizes({H * D, K * D, K * D}, -1);
  return {rope_apply(p[0].reshape({B, T, H, D}).transpose(1, 2), cos, sin),
          rope_apply(p[1].reshape({B, T, K, D}).transpose(1, 2), cos, sin), p[2].reshape({B, T, K, D}).transpose(1, 2)};
}

// Random rotary tables for positions of a (B, T) batch, as model_hidden makes them.
std::pair<torch::Tensor, torch::Tensor> tables(int64_t B, int64_t T, int64_t D) {
  auto inv = 1.0 / torch::pow(10000.0, torch::arange(0, D, 2, torch::kInt64).to(torch::kFloat32) / static_cast<double>(D));
  auto pos = torch::randint(0, 300, {B, T}, torch::kInt64);
  return rope_cos_sin(inv, pos, torch::kFloat32);
}

class FusedOps : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    threads_ = at::get_num_threads();
    at::set_num_threads(GetParam());
  }
  void TearDown() override { at::set_num_threads(threads_); }
  int threads_ = 1;
};

TEST_P(FusedOps, QkvRopeBitsEqualAten) {
  torch::manual_seed(7);
  for (auto [B, T, H, K, D] : {std::array<int64_t, 5>{3, 37, 4, 2, 16}, {2, 5, 6, 3, 32}, {64, 1, 4, 2, 32}, {1, 9, 2, 2, 8}}) {
    auto [cos, sin] = tables(B, T, D);
    auto x0 = torch::randn({B, T, (H + 2 * K) * D});
    auto xa = x0.clone().requires_grad_(true), xf = x0.clone().requires_grad_(true);
    auto ya = qkv_rope_aten(xa, cos, sin, H, K, D);
    auto yf = qkv_rope(xf, cos, sin, H, K, D);
    torch::Tensor loss_a = torch::zeros({}), loss_f = torch::zeros({});
    for (int i = 0; i < 3; ++i) {
      ASSERT_EQ(ya[i].sizes(), yf[i].sizes()) << i;
      EXPECT_TRUE(torch::equal(ya[i], yf[i])) << "output " << i << " B=" << B << " T=" << T;
      auto wgt = torch::randn(ya[i].sizes());  // a gradient with every element distinct
      loss_a = loss_a + (ya[i] * wgt).sum();
      loss_f = loss_f + (yf[i] * wgt).sum();
    }
    loss_a.backward();
    loss_f.backward();
    EXPECT_TRUE(torch::equal(xa.grad(), xf.grad())) << "B=" << B << " T=" << T;
    {
      torch::NoGradGuard no_grad;  // the inference path: the same kernel without autograd
      auto yn = qkv_rope(x0, cos, sin, H, K, D);
      for (int i = 0; i < 3; ++i) EXPECT_TRUE(torch::equal(ya[i], yn[i])) << i;
    }
  }
}

TEST_P(FusedOps, QkvRopeUnusedOutputGetsZeroGradient) {
  torch::manual_seed(8);
  auto [cos, sin] = tables(2, 4, 8);
  auto x = torch::randn({2, 4, 4 * 8}).requires_grad_(true);
  auto y = qkv_rope(x, cos, sin, 2, 1, 8);
  y[0].sum().backward();  // k and v unused
  EXPECT_TRUE(torch::equal(x.grad().narrow(-1, 16, 16), torch::zeros({2, 4, 16})));
  EXPECT_GT(x.grad().narrow(-1, 0, 16).abs().sum().item<float>(), 0.0f);
}

TEST_P(FusedOps, SwiGluBitsEqualAten) {
  torch::manual_seed(9);
  for (auto shape : {std::vector<int64_t>{3, 37, 2 * 192}, {64, 1, 2 * 384}, {5, 2 * 7}}) {
    auto x0 = torch::randn(shape) * 4;  // reaches silu's saturated tails
    auto xa = x0.clone().requires_grad_(true), xf = x0.clone().requires_grad_(true);
    const int64_t F = shape.back() / 2;
    auto gu = xa.split(F, -1);
    auto ya = torch::silu(gu[0]) * gu[1];
    auto yf = swiglu(xf);
    EXPECT_TRUE(torch::equal(ya, yf));
    auto wgt = torch::randn(ya.sizes());
    (ya * wgt).sum().backward();
    (yf * wgt).sum().backward();
    EXPECT_TRUE(torch::equal(xa.grad(), xf.grad())) << shape.size();
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(torch::equal(ya, swiglu(x0)));
  }
}

TEST_P(FusedOps, RmsNormBitsEqualAten) {
  torch::manual_seed(10);
  for (auto shape : {std::vector<int64_t>{3, 37, 64}, {64, 1, 128}, {5, 24}}) {
    auto x0 = torch::randn(shape) * 3, w0 = 1 + 0.1 * torch::randn({shape.back()});
    torch::Tensor y[2], gx[2], gw[2];
    for (int fused = 0; fused < 2; ++fused) {
      fused_ops_enable(fused == 1);
      auto x = x0.clone().requires_grad_(true), w = w0.clone().requires_grad_(true);
      // x also feeds a residual, as in a pre-norm block: three gradient terms meet at x
      auto h = x * 1.5f + rms_norm(x, w, 1e-6, false).sin();
      torch::manual_seed(12);  // the same loss weights in both passes
      (h * torch::randn(h.sizes())).sum().backward();
      y[fused] = rms_norm(x0, w0, 1e-6, false);
      gx[fused] = x.grad();
      gw[fused] = w.grad();
    }
    fused_ops_enable(true);
    EXPECT_TRUE(torch::equal(y[0], y[1]));
    EXPECT_TRUE(torch::equal(gx[0], gx[1]));
    EXPECT_TRUE(torch::equal(gw[0], gw[1]));
  }
}

// Every family's logits and every parameter's gradient, fused vs the ATen composition, on a
// left-padded batch.
TEST_P(FusedOps, WholeModelBitsEqualAten) {
  for (Family f : test::kFamilies) {
    Model m = test::tiny_model(f, 3);
    for (auto& p : m.parameters()) p.requires_grad_(true);
    auto x = batch_left_padded({{3, 5, 7, 9, 11, 13, 2}, {4, 6, 8}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}});
    torch::Tensor logits[2];
    std::vector<torch::Tensor> grads[2];
    for (int fused = 0; fused < 2; ++fused) {
      fused_ops_enable(fused == 1);
      for (auto& p : m.parameters()) p.mutable_grad() = torch::Tensor();
      logits[fused] = model_forward(m, x);
      torch::manual_seed(11);
      (logits[fused] * torch::randn(logits[fused].sizes())).sum().backward();
      for (auto& p : m.parameters()) grads[fused].push_back(p.grad().clone());
    }
    fused_ops_enable(true);
    EXPECT_TRUE(torch::equal(logits[0], logits[1])) << family_model_type(f);
    for (size_t i = 0; i < grads[0].size(); ++i)
      EXPECT_TRUE(torch::equal(grads[0][i], grads[1][i])) << family_model_type(f) << " parameter " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, FusedOps, ::testing::Values(1, 2));

TEST(FusedOpsApply, Fp32CpuOnly) {
  EXPECT_TRUE(fused_ops_apply(torch::zeros({2})));
  EXPECT_FALSE(fused_ops_apply(torch::zeros({2}, torch::kBFloat16)));
  EXPECT_FALSE(fused_ops_apply(torch::zeros({2}, torch::kFloat64)));
}

}  // namespace
}  // namespace rlvr
