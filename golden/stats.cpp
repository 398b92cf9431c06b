#include "golden/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "util/hash.h"

namespace rlvr::stats {

namespace {

// log P(X = k), X ~ Binomial(n, 1/2).
double log_binom_half(int64_t n, int64_t k) {
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) - n * std::log(2.0);
}

// P(X <= k) and P(X = k) for X ~ Binomial(n, 1/2), summed in log space so n in the thousands is fine.
std::pair<double, double> binom_half_cdf(int64_t n, int64_t k) {
  double cdf = 0;
  for (int64_t i = 0; i <= k; ++i) cdf += std::exp(log_binom_half(n, i));
  return {cdf, std::exp(log_binom_half(n, k))};
}

}  // namespace

double mcnemar_exact_p(int64_t b, int64_t c) {
  if (b + c == 0) return 1.0;
  auto [cdf, pk] = binom_half_cdf(b + c, std::min(b, c));
  return std::min(1.0, 2 * cdf);
}

double mcnemar_midp(int64_t b, int64_t c) {
  if (b + c == 0) return 1.0;
  auto [cdf, pk] = binom_half_cdf(b + c, std::min(b, c));
  return std::min(1.0, 2 * (cdf - 0.5 * pk));
}

double bootstrap_se_mean(const std::vector<double>& x, int64_t resamples, uint64_t seed) {
  const uint64_t n = x.size();
  if (n < 2 || resamples < 2) return 0.0;
  std::mt19937_64 rng(seed);
  // Largest multiple of n that fits: draws at or above it are rejected, so every index is equally likely.
  const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % n;
  std::vector<double> means(resamples);
  for (int64_t r = 0; r < resamples; ++r) {
    double s = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t u;
      do u = rng(); while (u >= limit);
      s += x[u % n];
    }
    means[r] = s / n;
  }
  return sd(means);
}

double t_crit95(int64_t df) {
  static constexpr double kTable[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                                      2.2010,  2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                                      2.0796,  2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
  constexpr double z = 1.959963985;
  if (df <= 0) return z;
  if (df <= 30) return kTable[df - 1];
  const double d = static_cast<double>(df), z3 = z * z * z, z5 = z3 * z * z;
  return z + (z3 + z) / (4 * d) + (5 * z5 + 16 * z3 + 3 * z) / (96 * d * d);
}

int64_t welch_df(double v1, int64_t df1, double v2, int64_t df2) {
  df1 = std::max<int64_t>(df1, 1);
  df2 = std::max<int64_t>(df2, 1);
  const double den = v1 * v1 / df1 + v2 * v2 / df2;
  if (!(den > 0)) return df1 + df2;
  return std::max<int64_t>(1, static_cast<int64_t>(std::floor((v1 + v2) * (v1 + v2) / den)));
}

namespace {

// Continued fraction of the incomplete beta function (modified Lentz): converges fast for
// x < (a + 1) / (a + b + 2); betainc_reg() uses the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
double betacf(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEps = 1e-15;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1.0 + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1.0 + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

double betainc_reg(double a, double b, double x) {
  if (x <= 0) return 0.0;
  if (x >= 1) return 1.0;
  const double lbt = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(lbt) * betacf(a, b, x) / a;
  return 1.0 - std::exp(lbt) * betacf(b, a, 1.0 - x) / b;
}

}  // namespace

double t_two_sided_p(double t, double df) {
  if (std::isnan(t)) return NAN;
  if (std::isinf(t)) return 0.0;
  if (!(df > 0) || df > 1e7) return std::erfc(std::fabs(t) / std::sqrt(2.0));
  return betainc_reg(df / 2.0, 0.5, df / (df + t * t));
}

double t_crit(double p, double df) {
  if (!(p > 0 && p < 1)) return NAN;
  double lo = 0, hi = 1;
  while (t_two_sided_p(hi, df) > p) hi *= 2;  // p falls as t grows
  for (int i = 0; i < 200 && hi - lo > 1e-10; ++i) {
    double mid = 0.5 * (lo + hi);
    (t_two_sided_p(mid, df) > p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

std::vector<bool> holm_reject(const std::vector<double>& p, double alpha) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<bool> out(p.size(), false);
  const size_t m = idx.size();
  for (size_t k = 0; k < m; ++k) {
    if (p[idx[k]] > alpha / static_cast<double>(m - k)) break;
    out[idx[k]] = true;
  }
  return out;
}

double binomial_se(double p, int64_t n) { return n > 0 ? std::sqrt(std::max(0.0, p * (1 - p)) / n) : 0.0; }

double mean(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  double s = 0;
  for (double v : x) s += v;
  return s / x.size();
}

double sd(const std::vector<double>& x) {
  if (x.size() < 2) return 0.0;
  // Equal values have no spread: exactly 0, not the rounding residue of (x - mean)^2.
  if (std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; })) return 0.0;
  const double m = mean(x);
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / (x.size() - 1));
}

uint64_t claim_seed(std::string_view label) { return fnv1a64(label, kClaimSeedBasis); }

}  // namespace rlvr::stats
