// fused_ops.cpp: see fused_ops.h. Rows are independent and each element's arithmetic is fixed, so
// the bits do not depend on how at::parallel_for splits the rows over threads.
#include "models/fused_ops.h"

#include <ATen/Parallel.h>

#include <atomic>
#include <cmath>
#include <cstring>

namespace rlvr {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Rows per parallel chunk for rows of `width` floats: ~32k elements, ATen's grain.
int64_t grain_rows(int64_t width) { return std::max<int64_t>(1, 32768 / std::max<int64_t>(1, width)); }

// n heads of D floats at x (heads D apart) rotated into y: y1 = x1*c1 + (-x2)*s1, y2 = x2*c2 + x1*s2.
void rope_rows(const float* x, const float* c, const float* s, float* y, int64_t n, int64_t D) {
  const int64_t h2 = D / 2;
  for (int64_t h = 0; h < n; ++h, x += D, y += D) {
    for (int64_t i = 0; i < h2; ++i) y[i] = x[i] * c[i] + (-x[i + h2]) * s[i];
    for (int64_t i = h2; i < D; ++i) y[i] = x[i] * c[i] + x[i - h2] * s[i];
  }
}

// The gradient of rope_rows: dx1 = dy1*c1 + dy2*s2, dx2 = dy2*c2 + (-(dy1*s1)).
void rope_rows_backward(const float* dy, const float* c, const float* s, float* dx, int64_t n, int64_t D) {
  const int64_t h2 = D / 2;
  for (int64_t h = 0; h < n; ++h, dy += D, dx += D) {
    for (int64_t i = 0; i < h2; ++i) dx[i] = dy[i] * c[i] + dy[i + h2] * s[i + h2];
    for (int64_t i = h2; i < D; ++i) dx[i] = dy[i] * c[i] + (-(dy[i - h2] * s[i - h2]));
  }
}

// (B, T, W) rows of q | k | v -> q (B, T, H, D), k and v (B, T, K, D), contiguous.
std::array<torch::Tensor, 3> qkv_rope_forward(const torch::Tensor& qkv, const torch::Tensor& cos, const torch::Tensor& sin,
                                              int64_t H, int64_t K, int64_t D) {
  const int64_t B = qkv.size(0), T = qkv.size(1), W = qkv.size(2), Q = H * D, KV = K * D;
  auto x = qkv.contiguous();
  auto c = cos.contiguous(), s = sin.contiguous();
  auto q = torch::empty({B, T, H, D}, qkv.options()), k = torch::empty({B, T, K, D}, qkv.options());
  auto v = torch::empty({B, T, K, D}, qkv.options());
  const float *xp = x.data_ptr<float>(), *cp = c.data_ptr<float>(), *sp = s.data_ptr<float>();
  float *qp = q.data_ptr<float>(), *kp = k.data_ptr<float>(), *vp = v.data_ptr<float>();
  at::parallel_for(0, B * T, grain_rows(W), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {  // cos/sin (B, 1, T, D): row r = b*T + t sits at r*D
      const float* xr = xp + r * W;
      rope_rows(xr, cp + r * D, sp + r * D, qp + r * Q, H, D);
      rope_rows(xr + Q, cp + r * D, sp + r * D, kp + r * KV, K, D);
      std::memcpy(vp + r * KV, xr + Q + KV, sizeof(float) * static_cast<size_t>(KV));
    }
  });
  return {q, k, v};
}

struct QkvRope : torch::autograd::Function<QkvRope> {
  static variable_list forward(AutogradContext* ctx, const torch::Tensor& qkv, const torch::Tensor& cos,
                               const torch::Tensor& sin, int64_t H, int64_t K, int64_t D) {
    ctx->save_for_backward({cos, sin});
    ctx->saved_data["H"] = H;
    ctx->saved_data["K"] = K;
    ctx->saved_data["D"] = D;
    ctx->saved_data["W"] = qkv.size(2);
    auto out = qkv_rope_forward(qkv, cos, sin, H, K, D);
    return {out[0], out[1], out[2]};
  }

  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto saved = ctx->get_saved_variables();
    auto c = saved[0].contiguous(), s = saved[1].contiguous();
    const int64_t H = ctx->saved_data["H"].toInt(), K = ctx->saved_data["K"].toInt();
    const int64_t D = ctx->saved_data["D"].toInt(), W = ctx->saved_data["W"].toInt();
    const int64_t B = c.size(0), T = c.size(2), Q = H * D, KV = K * D;
    auto grad = [&](size_t i, int64_t heads) {  // (B, T, heads, D) contiguous, zeros when unused
      return g[i].defined() ? g[i].contiguous() : torch::zeros({B, T, heads, D}, c.options());
    };
    auto gq = grad(0, H), gk = grad(1, K), gv = grad(2, K);
    auto dx = torch::empty({B, T, W}, c.options());
    const float *cp = c.data_ptr<float>(), *sp = s.data_ptr<float>();
    const float *qp = gq.data_ptr<float>(), *kp = gk.data_ptr<float>(), *vp = gv.data_ptr<float>();
    float* dp = dx.data_ptr<float>();
    at::parallel_for(0, B * T, grain_rows(W), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        float* dr = dp + r * W;
        rope_rows_backward(qp + r * Q, cp + r * D, sp + r * D, dr, H, D);
        rope_rows_backward(kp + r * KV, cp + r * D, sp + r * D, dr + Q, K, D);
        std::memcpy(dr + Q + KV, vp + r * KV, sizeof(float) * static_cast<size_t>(KV));
      }
    });
    return {dx, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

struct SwiGlu : torch::autograd::Function<SwiGlu> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& gu) {
    const int64_t F = gu.size(-1) / 2;
    auto a = torch::silu(gu.narrow(-1, 0, F));
    ctx->save_for_backward({gu, a});
    return a * gu.narrow(-1, F, F);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    const torch::Tensor &gu = saved[0], &a = saved[1];
    const int64_t F = gu.size(-1) / 2;
    auto dy = grads[0];
    // ATen's own kernels, written into the halves of one buffer (no cat): silu_backward's
    // vectorized arithmetic is not reproduced by a plain loop (another rounding in its last bits).
    auto dx = torch::empty_like(gu, at::MemoryFormat::Contiguous);
    auto dgate = dx.narrow(-1, 0, F), dup = dx.narrow(-1, F, F);
    at::silu_backward_out(dgate, dy * gu.narrow(-1, F, F), gu.narrow(-1, 0, F));
    at::mul_out(dup, dy, a);
    return {dx};
  }
};


// rs (..., 1) = rsqrt(mean(x^2) + eps): ATen's pow and mean (their reduction order), then the add
// (eps as a float, as ATen adds a scalar to a float tensor) and 1/sqrt per row.
torch::Tensor rms_rsqrt(const torch::Tensor& x, double eps) {
  auto rs = x.pow(2).mean(-1, /*keepdim=*/true).contiguous();
  float* p = rs.data_ptr<float>();
  const auto e = static_cast<float>(eps);
  for (int64_t i = 0, n = rs.numel(); i < n; ++i) p[i] = 1.0f / std::sqrt(p[i] + e);
  return rs;
}

// y = w * (x * rs), rows of C.
torch::Tensor rms_scale(const torch::Tensor& x, const torch::Tensor& rs, const torch::Tensor& w) {
  const int64_t C = x.size(-1), N = x.numel() / std::max<int64_t>(1, C);
  auto xc = x.contiguous(), wc = w.contiguous();
  auto y = torch::empty(x.sizes(), x.options());
  const float *xp = xc.data_ptr<float>(), *rp = rs.data_ptr<float>(), *wp = wc.data_ptr<float>();
  float* yp = y.data_ptr<float>();
  at::parallel_for(0, N, grain_rows(C), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t i = 0; i < C; ++i) yp[r * C + i] = wp[i] * (xp[r * C + i] * rp[r]);
  });
  return y;
}

// x enters twice (its gradient through x * rs, then through x^2) so that autograd adds the two
// terms to x's other gradients (a residual's) in the order the ATen composition's backward does:
// MulBackward before PowBackward.
struct RmsNorm : torch::autograd::Function<RmsNorm> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& /*x again*/,
                               const torch::Tensor& w, double eps) {
    auto rs = rms_rsqrt(x, eps);
    ctx->save_for_backward({x, w, rs});
    return rms_scale(x, rs, w);
  }

  // The ATen composition's backward term by term: y = w*n (dw = sum_to(dy*n), dn = dy*w),
  // n = x*rs (dx_a = dn*rs, drs = sum_to(dn*x)), rs = rsqrt(v) (dv = (-0.5*drs) * (rs*rs*rs)),
  // v = mean(x^2) + eps (dx_b = (dv / C) * (2*x)). The sums are ATen's, on tensors of the shapes
  // autograd reduces.
  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto x = saved[0].contiguous(), w = saved[1], rs = saved[2];
    auto wc = w.contiguous();
    auto dy = grads[0].contiguous();
    const int64_t C = x.size(-1), N = x.numel() / std::max<int64_t>(1, C);
    auto p1 = torch::empty(x.sizes(), x.options()), p2 = torch::empty(x.sizes(), x.options());
    const float *xp = x.data_ptr<float>(), *wp = wc.data_ptr<float>(), *rp = rs.data_ptr<float>();
    const float* gp = dy.data_ptr<float>();
    float *p1p = p1.data_ptr<float>(), *p2p = p2.data_ptr<float>();
    at::parallel_for(0, N, grain_rows(C), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t i = 0, k = r * C; i < C; ++i, ++k) {
          p1p[k] = gp[k] * (xp[k] * rp[r]);
          p2p[k] = (gp[k] * wp[i]) * xp[k];
        }
    });
    auto dw = at::sum_to(p1, w.sizes());
    auto drs = at::sum_to(p2, rs.sizes()).contiguous();
    auto dxa = torch::empty(x.sizes(), x.options()), dxb = torch::empty(x.sizes(), x.options());
    const float* dp = drs.data_ptr<float>();
    float *ap = dxa.data_ptr<float>(), *bp = dxb.data_ptr<float>();
    const auto Cf = static_cast<float>(C);
    at::parallel_for(0, N, grain_rows(C), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        const float rr = rp[r], dv = (dp[r] * -0.5f) * (rr * rr * rr), dx2 = dv / Cf;
        for (int64_t i = 0, k = r * C; i < C; ++i, ++k) {
          ap[k] = (gp[k] * wp[i]) * rr;
          bp[k] = dx2 * (xp[k] * 2.0f);
        }
      }
    });
    return {dxa, dxb, dw, torch::Tensor()};
  }
};
}  // namespace

namespace {
std::atomic<bool> g_enabled{true};
}  // namespace

void fused_ops_enable(bool on) { g_enabled = on; }

bool fused_ops_apply(const torch::Tensor& x) {
  return g_enabled && x.device().is_cpu() && x.scalar_type() == torch::kFloat32;
}

torch::Tensor rms_norm_fused(const torch::Tensor& x, const torch::Tensor& w, double eps) {
  if (torch::GradMode::is_enabled() && (x.requires_grad() || w.requires_grad())) return RmsNorm::apply(x, x, w, eps);
  return rms_scale(x, rms_rsqrt(x, eps), w);
}

std::array<torch::Tensor, 3> qkv_rope(const torch::Tensor& qkv, const torch::Tensor& cos, const torch::Tensor& sin,
                                      int64_t H, int64_t K, int64_t D) {
  std::array<torch::Tensor, 3> out;
  if (torch::GradMode::is_enabled() && qkv.requires_grad()) {
    auto r = QkvRope::apply(qkv, cos, sin, H, K, D);
    out = {r[0], r[1], r[2]};
  } else {
    out = qkv_rope_forward(qkv, cos, sin, H, K, D);
  }
  for (auto& t : out) t = t.transpose(1, 2);  // (B, heads, T, D)
  return out;
}

torch::Tensor swiglu(const torch::Tensor& gu) {
  const int64_t F = gu.size(-1) / 2;
  if (torch::GradMode::is_enabled() && gu.requires_grad()) return SwiGlu::apply(gu);
  return torch::silu(gu.narrow(-1, 0, F)) * gu.narrow(-1, F, F);
}

}  // namespace rlvr
