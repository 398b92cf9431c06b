// stats.h: the paired statistics compare judges with (golden/README.md explains the method).
// Pure functions, no I/O; the bootstrap is seeded and bit-for-bit deterministic on every platform.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace rlvr::stats {

// McNemar's test on paired binary outcomes: b = pairs 0 -> 1, c = pairs 1 -> 0 (the discordant
// pairs; concordant ones carry no information). Two-sided exact p-value 2 P(X <= min(b, c)) with
// X ~ Binomial(b + c, 1/2), capped at 1; and the mid-p variant, which subtracts P(X = min(b, c))
// once and is closer to nominal size (Fagerland et al. 2013). b = c = 0 gives 1.
double mcnemar_exact_p(int64_t b, int64_t c);
double mcnemar_midp(int64_t b, int64_t c);

// Standard error of the mean of `x` by the nonparametric bootstrap: `resamples` draws of
// x.size() indices with replacement (mt19937_64 seeded with `seed`, unbiased rejection sampling,
// so no implementation-defined std:: distribution is involved), sd (n - 1) of the draw means.
double bootstrap_se_mean(const std::vector<double>& x, int64_t resamples, uint64_t seed);

// Two-sided 95% critical value of Student's t with `df` degrees of freedom (exact table to 30,
// Cornish-Fisher expansion above, error < 1e-4); df <= 0 -> the normal 1.959964.
double t_crit95(int64_t df);

// Welch-Satterthwaite degrees of freedom of a sum of two variance estimates v1 (df1) and v2
// (df2): (v1 + v2)^2 / (v1^2/df1 + v2^2/df2), rounded down (conservative), at least 1. When
// one term dominates, its df wins: many problems but seeds that agree -> large df; seeds that
// disagree -> n_seeds - 1. Both zero -> df1 + df2.
int64_t welch_df(double v1, int64_t df1, double v2, int64_t df2);

// Two-sided p-value of Student's t: P(|T| >= |t|) with `df` degrees of freedom (df > 0, may be
// fractional), from the regularized incomplete beta function I_x(df/2, 1/2) with x = df/(df + t^2)
// (Lentz's continued fraction, relative error < 1e-12). df = +inf (or > 1e7): the normal's.
double t_two_sided_p(double t, double df);

// The t with t_two_sided_p(t, df) = p, for p in (0, 1): the critical value of a two-sided test at
// level p (bisection on t_two_sided_p, |error| < 1e-9).
double t_crit(double p, double df);

// Holm's step-down over p-values: rejected[i] is true when p[i] is rejected at family-wise level
// `alpha` (sort ascending; reject p_(k) while p_(k) <= alpha / (m - k + 1), k = 1..m; stop at
// the first that is not). NaN p-values are never rejected and do not count in m.
std::vector<bool> holm_reject(const std::vector<double>& p, double alpha);

// sqrt(p (1 - p) / n): the binomial standard error of a proportion over n problems.
double binomial_se(double p, int64_t n);

// A claim's bootstrap seed: FNV-1a of its label, so it does not depend on the claim's position.
// QUIRK kept: the basis is the FNV offset basis with its last digit missing (1469598103934665603,
// not ...6037), as the goldens on file were measured with; a proper basis would move every
// stored bootstrap interval.
inline constexpr uint64_t kClaimSeedBasis = 1469598103934665603ull;
uint64_t claim_seed(std::string_view label);

double mean(const std::vector<double>& x);
double sd(const std::vector<double>& x);  // sample sd (n - 1); 0 for fewer than 2 values

}  // namespace rlvr::stats
