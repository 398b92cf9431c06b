// number.h: the values the expression evaluator computes with.
//
// A Num is exact (a rational with 128-bit numerator and denominator) while every operation stays
// rational and fits; otherwise it is an approximation (complex long double, ~19 significant digits),
// or undefined (division by zero, overflow, a real-domain sqrt of a negative number, ...).
// Exactness matters for answers like 1/2^99 vs 1/2^98 or 10^20+1 vs 10^20, which a double cannot
// tell apart; approximations cover sqrt(2), pi and friends.
#pragma once
#include <complex>
#include <cstdint>

namespace rlvr::rewards {

using i128 = __int128;
using cplx = std::complex<long double>;

struct Rat {
  i128 n = 0, d = 1;  // d > 0, gcd(n, d) == 1
};

// Domain of symbols and of multi-valued functions:
// Complex follows sympy's generic symbols and principal branches (paper mode);
// Real treats anything non-real as undefined (strict mode).
enum class Domain : uint8_t { complex, real };

struct Num {
  enum Kind : uint8_t { exact, approx, undef } kind = undef;
  Rat q;    // when Exact
  cplx z;   // when Approx; for Exact, the same value approximately (filled by num_exact)
};

Num num_exact(Rat q);
Num num_approx(cplx z, Domain dom);  // Undef when not finite, or not real in the Real domain
Num num_int(int64_t v);
Num num_undef();
// Parses "123", "12.50", "1.5e-3" (ASCII) exactly when it fits, approximately otherwise.
Num num_parse_decimal(const char* b, const char* e, Domain dom);

Num num_add(const Num& a, const Num& b, Domain dom);
Num num_sub(const Num& a, const Num& b, Domain dom);
Num num_mul(const Num& a, const Num& b, Domain dom);
Num num_div(const Num& a, const Num& b, Domain dom);
Num num_neg(const Num& a);
Num num_pow(const Num& a, const Num& b, Domain dom);
Num num_root(const Num& a, const Num& n, Domain dom);  // a^(1/n), real odd roots of negatives in Real
Num num_factorial(const Num& a, Domain dom);
Num num_binom(const Num& n, const Num& k, Domain dom);
bool num_is_integer(const Num& a);

// Equality of two values: Equal, NotEqual, or Unknown (undefined, or too close to call).
enum class Cmp : uint8_t { equal, not_equal, unknown };
// Exact values compare exactly. Approximate ones are Equal within rel_eq * max(1, |a|, |b|) and
// NotEqual beyond rel_ne * max(1, |a|, |b|).
Cmp num_compare(const Num& a, const Num& b, long double rel_eq, long double rel_ne);

}  // namespace rlvr::rewards
