// decode_attention.h: attention of one new token per row over a KV cache, on the CPU in fp32.
//
// A decode step asks, per (row, kv head), for G dot products against S cached keys and a weighted
// sum of S values: (B*K) matrix products of (G x D) by (D x S). Through torch::matmul those go to
// ATen's batched loop, which pays three `select`s and one OpenBLAS call per (row, kv head), more
// than the arithmetic (measured on bench/step_bench: 640 bmm calls with 420k selects per step).
// This is the same computation in one pass over the cache, in a fixed order:
//   score[s] = (sum over d in lanes of 8, then the 8 lanes in order) * scale, slots with
//   key_valid false skipped (the additive -inf mask of model_forward.cpp), a max-subtracted
//   softmax in fp32, out[d] = sum over s of p[s] * v[s][d] (s ascending).
// The bits differ from the matmul path (another summation order), so a rollout through it
// samples other tokens than one through matmul; reruns are bit-identical.
#pragma once
#include <torch/torch.h>

#include <cstdint>

namespace rlvr {

// q (B, H, 1, D) fp32 after RoPE; k_cache, v_cache (B, K, capacity, D) fp32 contiguous, slots
// [0, S) filled; key_valid (B, capacity) bool. Returns (B, H, 1, D). H = K * G, query head
// j*G + g reads kv head j (HF's repeat_kv order).
torch::Tensor decode_attention(const torch::Tensor& q, const torch::Tensor& k_cache, const torch::Tensor& v_cache,
                               const torch::Tensor& key_valid, int64_t S, double scale);

// Tests: off takes the baseline-instruction-set loops where the CPU has AVX2 (the two builds of
// the same loops give the same bits; model_components_test compares them).
void decode_attention_use_avx2(bool on);

// Whether decode_attention serves a cached step of T new tokens of a model on `device` in `dtype`:
// CPU, fp32, T = 1, no autograd (the sampler's inference mode).
bool decode_attention_applies(torch::Device device, torch::ScalarType dtype, int64_t T);

}  // namespace rlvr
