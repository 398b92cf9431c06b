// fused_ops.h: RoPE on the fused q|k|v projection, the SwiGLU gate and RMSNorm with fewer passes
// over memory, forward and backward, for fp32 on the CPU.
//
// Through ATen ops, RoPE is chunk, neg, cat, two broadcast muls and an add per q and k, and its
// backward as many again plus the cat that joins q, k and v's gradients; the gate's backward is
// two muls, silu_backward and the cat joining gate and up. Each is a pass over the activations.
// These functions do the same float operations in the same order, without FMA (the baseline
// x86-64 instruction set):
//   qkv_rope forward:  y1 = x1*c1 + (-x2)*s1, y2 = x2*c2 + x1*s2  (rope_apply's mul, mul, add)
//   qkv_rope backward: dx1 = dy1*c1 + dy2*s2, dx2 = dy2*c2 + (-(dy1*s1))  (autograd's terms; a sum
//                      of two terms is the same in either order)
//   swiglu forward:    silu(g) * u with ATen's silu
//   swiglu backward:   ATen's mul and silu_backward written into the two halves of one buffer
//   rms_norm forward:  ATen's pow and mean, then per row 1/sqrt(ms + eps), y = w * (x * rs)
//   rms_norm backward: autograd's terms of that composition, elementwise fused, ATen's sums, and
//                      x's two gradient terms handed to autograd separately so that they are
//                      added to x's other gradients in the same order
// so their bits equal the ATen composition's (fused_ops_test checks it, forward and
// backward). Elsewhere (bf16, CUDA) the callers use the ATen composition.
#pragma once
#include <torch/torch.h>

#include <array>
#include <cstdint>

namespace rlvr {

// Whether the fused kernels serve `x`: fp32 on the CPU (and not switched off).
bool fused_ops_apply(const torch::Tensor& x);
// Tests: off makes model_forward.cpp take the ATen composition, to compare the two.
void fused_ops_enable(bool on);

// rms_norm(x, w, eps) of model_forward.cpp for fp32: w * (x * rsqrt(mean(x^2) + eps)) over the
// last dim. Differentiable in x and w.
torch::Tensor rms_norm_fused(const torch::Tensor& x, const torch::Tensor& w, double eps);

// qkv (B, T, H*D + 2*K*D) -> {q (B, H, T, D) and k (B, K, T, D) rotated by cos/sin (B, 1, T, D),
// v (B, K, T, D)}; the outputs are transposed views of (B, T, heads, D) buffers. Differentiable
// in qkv (one gradient buffer, no cat).
std::array<torch::Tensor, 3> qkv_rope(const torch::Tensor& qkv, const torch::Tensor& cos, const torch::Tensor& sin,
                                      int64_t H, int64_t K, int64_t D);

// gu (..., 2F) rows gate | up -> silu(gate) * up (..., F). Differentiable in gu.
torch::Tensor swiglu(const torch::Tensor& gu);

}  // namespace rlvr
