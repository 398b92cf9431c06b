#include "rewards/number.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace rlvr::rewards {

namespace {

// Magnitudes stay below 2^125 so that negation and one addition can never overflow silently.
constexpr i128 kRatLimit = static_cast<i128>(1) << 125;
// Exact powers only for exponents up to this size; larger ones go approximate at once (fast).
constexpr i128 kMaxExactExponent = 4096;
// Exact k-th roots are tried for k up to this.
constexpr i128 kMaxExactRootDegree = 64;

i128 iabs(i128 v) { return v < 0 ? -v : v; }

i128 gcd(i128 a, i128 b) {
  a = iabs(a), b = iabs(b);
  while (b) { i128 t = a % b; a = b; b = t; }
  return a;
}

bool fits(i128 v) { return v < kRatLimit && v > -kRatLimit; }

std::optional<i128> mul(i128 a, i128 b) {
  i128 r;
  if (__builtin_mul_overflow(a, b, &r) || !fits(r)) return std::nullopt;
  return r;
}

std::optional<Rat> make(i128 n, i128 d) {
  if (d == 0) return std::nullopt;
  if (d < 0) n = -n, d = -d;
  i128 g = gcd(n, d);
  if (g > 1) n /= g, d /= g;
  if (!fits(n) || !fits(d)) return std::nullopt;
  return Rat{n, d};
}

long double to_ld(i128 v) { return static_cast<long double>(v); }
long double rat_ld(Rat q) { return to_ld(q.n) / to_ld(q.d); }

std::optional<Rat> rat_add(Rat a, Rat b) {
  auto x = mul(a.n, b.d), y = mul(b.n, a.d), d = mul(a.d, b.d);
  if (!x || !y || !d) return std::nullopt;
  return make(*x + *y, *d);
}

std::optional<Rat> rat_mul(Rat a, Rat b) {
  // Cross-reduce first so that products stay small.
  i128 g1 = gcd(a.n, b.d), g2 = gcd(b.n, a.d);
  if (g1 == 0) g1 = 1;
  if (g2 == 0) g2 = 1;
  auto n = mul(a.n / g1, b.n / g2), d = mul(a.d / g2, b.d / g1);
  if (!n || !d) return std::nullopt;
  return make(*n, *d);
}

std::optional<i128> ipow(i128 b, i128 e) {  // e >= 0
  i128 r = 1;
  while (e > 0) {
    if (e & 1) {
      auto t = mul(r, b);
      if (!t) return std::nullopt;
      r = *t;
    }
    e >>= 1;
    if (e > 0) {
      auto t = mul(b, b);
      if (!t) return std::nullopt;
      b = *t;
    }
  }
  return r;
}

// Exact integer k-th root of v >= 0, if v is a perfect k-th power.
std::optional<i128> iroot(i128 v, i128 k) {
  if (v < 2 || k == 1) return v;
  long double est = std::pow(to_ld(v), 1.0L / to_ld(k));
  auto r0 = static_cast<i128>(std::llround(est));
  for (i128 r = r0 > 1 ? r0 - 1 : 0; r <= r0 + 1; ++r) {
    auto p = ipow(r, k);
    if (p && *p == v) return r;
  }
  return std::nullopt;
}

cplx approx_of(const Num& a) { return a.kind == Num::exact ? cplx(rat_ld(a.q), 0.0L) : a.z; }

}  // namespace

Num num_exact(Rat q) {
  Num r;
  r.kind = Num::exact;
  r.q = q;
  r.z = cplx(rat_ld(q), 0.0L);
  return r;
}

Num num_undef() { return Num{}; }

Num num_approx(cplx z, Domain dom) {
  if (!std::isfinite(z.real()) || !std::isfinite(z.imag())) return num_undef();
  if (dom == Domain::real) {
    // Rounding can leave a tiny imaginary part on real results; anything larger is non-real.
    if (std::fabs(z.imag()) > 1e-15L * std::max(1.0L, std::fabs(z.real()))) return num_undef();
    z = cplx(z.real(), 0.0L);
  }
  Num r;
  r.kind = Num::approx;
  r.z = z;
  return r;
}

Num num_int(int64_t v) { return num_exact(Rat{v, 1}); }

Num num_parse_decimal(const char* b, const char* e, Domain dom) {
  i128 n = 0, d = 1;
  bool exact = true;
  const char* p = b;
  for (; p < e && *p >= '0' && *p <= '9'; ++p) {
    if (exact) {
      auto t = mul(n, 10);
      if (!t) exact = false; else n = *t + (*p - '0');
    }
  }
  if (p < e && *p == '.') {
    for (++p; p < e && *p >= '0' && *p <= '9'; ++p) {
      if (exact) {
        auto t = mul(n, 10), u = mul(d, 10);
        if (!t || !u) exact = false; else n = *t + (*p - '0'), d = *u;
      }
    }
  }
  long long ex = 0;
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    bool neg = false;
    if (p < e && (*p == '+' || *p == '-')) neg = *p++ == '-';
    for (; p < e && *p >= '0' && *p <= '9'; ++p) ex = ex < 100000 ? ex * 10 + (*p - '0') : ex;
    if (neg) ex = -ex;
  }
  if (exact && ex != 0 && ex > -40 && ex < 40) {
    auto t = ipow(10, ex < 0 ? -ex : ex);
    if (!t) exact = false;
    else if (ex > 0) { auto u = mul(n, *t); if (!u) exact = false; else n = *u; }
    else { auto u = mul(d, *t); if (!u) exact = false; else d = *u; }
  } else if (ex != 0) {
    exact = false;
  }
  if (exact) {
    if (auto q = make(n, d)) return num_exact(*q);
  }
  std::string s(b, e);
  return num_approx(cplx(std::strtold(s.c_str(), nullptr), 0.0L), dom);
}

Num num_neg(const Num& a) {
  if (a.kind == Num::exact) return num_exact(Rat{-a.q.n, a.q.d});
  Num r = a;
  r.z = -a.z;
  return r;
}

Num num_add(const Num& a, const Num& b, Domain dom) {
  if (a.kind == Num::undef || b.kind == Num::undef) return num_undef();
  if (a.kind == Num::exact && b.kind == Num::exact)
    if (auto q = rat_add(a.q, b.q)) return num_exact(*q);
  return num_approx(approx_of(a) + approx_of(b), dom);
}

Num num_sub(const Num& a, const Num& b, Domain dom) { return num_add(a, num_neg(b), dom); }

Num num_mul(const Num& a, const Num& b, Domain dom) {
  if (a.kind == Num::undef || b.kind == Num::undef) return num_undef();
  if (a.kind == Num::exact && b.kind == Num::exact)
    if (auto q = rat_mul(a.q, b.q)) return num_exact(*q);
  // 0 times anything finite is exactly 0 (keeps 0*pi exact, as sympy does).
  if ((a.kind == Num::exact && a.q.n == 0) || (b.kind == Num::exact && b.q.n == 0)) return num_int(0);
  return num_approx(approx_of(a) * approx_of(b), dom);
}

Num num_div(const Num& a, const Num& b, Domain dom) {
  if (a.kind == Num::undef || b.kind == Num::undef) return num_undef();
  if (b.kind == Num::exact && b.q.n == 0) return num_undef();
  if (a.kind == Num::exact && b.kind == Num::exact)
    if (auto q = rat_mul(a.q, Rat{b.q.n < 0 ? -b.q.d : b.q.d, iabs(b.q.n)})) return num_exact(*q);
  cplx den = approx_of(b);
  if (den == cplx(0.0L, 0.0L)) return num_undef();
  return num_approx(approx_of(a) / den, dom);
}

bool num_is_integer(const Num& a) { return a.kind == Num::exact && a.q.d == 1; }

Num num_root(const Num& a, const Num& n, Domain dom) {
  if (a.kind == Num::undef || n.kind == Num::undef) return num_undef();
  if (num_is_integer(n) && n.q.n >= 1 && n.q.n <= kMaxExactRootDegree && a.kind == Num::exact) {
    i128 k = n.q.n;
    bool neg = a.q.n < 0;
    if (!neg || (k % 2 == 1 && dom == Domain::real)) {
      auto rn = iroot(iabs(a.q.n), k), rd = iroot(a.q.d, k);
      if (rn && rd) return num_exact(Rat{neg ? -*rn : *rn, *rd});
    }
    if (neg && k % 2 == 1 && dom == Domain::real)  // real odd root of a negative number
      return num_approx(cplx(-std::pow(-rat_ld(a.q), 1.0L / to_ld(k)), 0.0L), dom);
  }
  if (num_is_integer(n) && n.q.n % 2 == 1 && dom == Domain::real && a.kind == Num::approx &&
      a.z.real() < 0)
    return num_approx(cplx(-std::pow(-a.z.real(), 1.0L / to_ld(n.q.n)), 0.0L), dom);
  cplx base = approx_of(a), deg = approx_of(n);
  if (deg == cplx(0.0L, 0.0L)) return num_undef();
  if (base == cplx(0.0L, 0.0L)) return num_int(0);
  return num_approx(std::pow(base, 1.0L / deg), dom);
}

Num num_pow(const Num& a, const Num& b, Domain dom) {
  if (a.kind == Num::undef || b.kind == Num::undef) return num_undef();
  if (a.kind == Num::exact && b.kind == Num::exact) {
    Rat base = a.q, ex = b.q;
    if (ex.n == 0) return num_int(1);  // sympy: 0**0 == 1
    if (base.n == 0) return ex.n > 0 ? num_int(0) : num_undef();
    if (base.n == 1 && base.d == 1) return num_int(1);
    if (iabs(ex.n) <= kMaxExactExponent && ex.d <= kMaxExactRootDegree) {
      Num root = ex.d == 1 ? a : num_root(a, num_exact(Rat{ex.d, 1}), dom);
      if (root.kind == Num::exact) {
        i128 e = iabs(ex.n);
        auto pn = ipow(root.q.n, e), pd = ipow(root.q.d, e);
        if (pn && pd) {
          auto q = ex.n > 0 ? make(*pn, *pd) : make(*pd, *pn);
          if (q) return num_exact(*q);
        }
      } else if (root.kind == Num::approx && dom == Domain::real) {
        return num_approx(std::pow(root.z, static_cast<long double>(to_ld(ex.n))), dom);
      }
    }
    if (dom == Domain::real && base.n < 0 && ex.d % 2 == 1) {  // (-8)^(2/3) etc. in the reals
      long double m = std::pow(-rat_ld(base), rat_ld(ex));
      bool odd_num = iabs(ex.n) % 2 == 1;
      return num_approx(cplx(odd_num ? -m : m, 0.0L), dom);
    }
  }
  cplx base = approx_of(a), ex = approx_of(b);
  if (base == cplx(0.0L, 0.0L)) return ex.real() > 0 ? num_int(0) : num_undef();
  if (dom == Domain::real && ex.imag() == 0 && base.imag() == 0) {
    long double x = base.real(), y = ex.real();
    if (x < 0 && y != std::floor(y)) return num_undef();
    return num_approx(cplx(std::pow(x, y), 0.0L), dom);
  }
  return num_approx(std::pow(base, ex), dom);
}

Num num_factorial(const Num& a, Domain dom) {
  if (!num_is_integer(a) || a.q.n < 0) return num_undef();
  i128 r = 1;
  for (i128 k = 2; k <= a.q.n; ++k) {
    auto t = mul(r, k);
    if (!t) return num_approx(cplx(std::tgamma(to_ld(a.q.n) + 1.0L), 0.0L), dom);
    r = *t;
  }
  return num_exact(Rat{r, 1});
}

Num num_binom(const Num& n, const Num& k, Domain dom) {
  if (!num_is_integer(n) || !num_is_integer(k)) return num_undef();
  if (k.q.n < 0 || n.q.n < 0 || k.q.n > n.q.n) return num_int(0);
  i128 kk = k.q.n < n.q.n - k.q.n ? k.q.n : n.q.n - k.q.n, r = 1;
  for (i128 j = 1; j <= kk; ++j) {
    auto t = mul(r, n.q.n - kk + j);
    if (!t) return num_undef();
    r = *t / j;  // exact: r * (n-k+j) is divisible by j here
  }
  return num_exact(Rat{r, 1});
}

Cmp num_compare(const Num& a, const Num& b, long double rel_eq, long double rel_ne) {
  if (a.kind == Num::undef || b.kind == Num::undef) return Cmp::unknown;
  if (a.kind == Num::exact && b.kind == Num::exact)
    return a.q.n == b.q.n && a.q.d == b.q.d ? Cmp::equal : Cmp::not_equal;
  cplx x = approx_of(a), y = approx_of(b);
  long double scale = std::max({1.0L, std::abs(x), std::abs(y)});
  long double diff = std::abs(x - y);
  if (diff <= rel_eq * scale) return Cmp::equal;
  if (diff >= rel_ne * scale) return Cmp::not_equal;
  return Cmp::unknown;
}

}  // namespace rlvr::rewards
