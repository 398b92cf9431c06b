#include "golden/permutation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

namespace rlvr::stats {

namespace {

// Per claim: the values centered on their mean over all units (sums of squares stay well
// conditioned), their total, total square and overall sd (the scale of "no difference").
struct Pooled {
  std::vector<std::vector<double>> y;
  std::vector<double> t1, t2, sd, floor;
  size_t n = 0;
};

Pooled pooled_of(const std::vector<std::vector<double>>& x, const std::vector<std::vector<double>>& se) {
  Pooled p;
  if (x.empty()) return p;
  p.n = x[0].size();
  if (!se.empty() && se.size() != x.size()) throw std::invalid_argument("max_permutation: standard errors for other claims");
  for (size_t j = 0; j < se.size(); ++j) {
    if (se[j].size() != p.n) throw std::invalid_argument("max_permutation: standard errors for other seeds");
    double v = 0;
    for (double e : se[j]) v += e * e;
    p.floor.push_back(std::sqrt(v / static_cast<double>(p.n)));
  }
  if (se.empty()) p.floor.assign(x.size(), 0.0);
  for (const auto& row : x) {
    if (row.size() != p.n) throw std::invalid_argument("max_permutation: claims with different numbers of seeds");
    double s = 0;
    for (double v : row) s += v;
    const double m = s / static_cast<double>(p.n);
    std::vector<double> y;
    double t1 = 0, t2 = 0;
    for (double v : row) y.push_back(v - m), t1 += v - m, t2 += (v - m) * (v - m);
    p.y.push_back(std::move(y));
    p.t1.push_back(t1);
    p.t2.push_back(t2);
    p.sd.push_back(p.n > 1 ? std::sqrt(t2 / static_cast<double>(p.n - 1)) : 0.0);
  }
  return p;
}

// d_j for the units in `b`: (mean over b - mean over the rest) / sd over the rest. The rest's sd,
// not the pooled one: with the pooled sd one seed's |d| could never exceed sqrt(N) however far it
// went (a clip fraction of 0 against 25 seeds near 0.002 read 5.1), and a heavy-tailed claim's
// golden outlier matched it. Sums in index order of sorted `b`: the observed subset gives the same
// bits whichever pass computes it.
double d_of(const Pooled& p, size_t j, const std::vector<size_t>& b) {
  if (!(p.sd[j] > 0)) return 0.0;
  const std::vector<double>& y = p.y[j];
  double s1 = 0, s2 = 0;
  for (size_t u : b) s1 += y[u], s2 += y[u] * y[u];
  const double k = static_cast<double>(b.size()), nr = static_cast<double>(p.n) - k;
  const double mean_b = s1 / k, mean_r = (p.t1[j] - s1) / nr;
  const double var_r = nr > 1 ? std::max(0.0, ((p.t2[j] - s2) - nr * mean_r * mean_r) / (nr - 1)) : 0.0;
  // Floor: the within-run noise of the claim over all N units. Without it a golden seed that alone
  // moves a claim (an adv_zero_frac of 0.005 where 24 seeds read exactly 0) reads |d| = inf and no
  // fresh seed could ever be more extreme. Without any noise at all: +-inf when b differs.
  const double diff = mean_b - mean_r, scale = std::max(std::sqrt(var_r), p.floor[j]), tiny = 1e-12 * p.sd[j];
  if (scale <= tiny) return std::fabs(diff) <= tiny ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), diff);
  return diff / scale;
}

double s_of(const Pooled& p, const std::vector<size_t>& b) {
  double s = 0;
  for (size_t j = 0; j < p.y.size(); ++j) s = std::max(s, std::fabs(d_of(p, j, b)));
  return s;
}

// C(n, k), saturating at `cap` + 1.
int64_t choose_capped(size_t n, size_t k, int64_t cap) {
  double c = 1;
  for (size_t i = 1; i <= k; ++i) {
    c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
    if (c > static_cast<double>(cap)) return cap + 1;
  }
  return static_cast<int64_t>(std::llround(c));
}

// S over every k-subset (lexicographic), or over kPermutationSubsets drawn ones (k distinct units
// by a partial Fisher-Yates shuffle with unbiased draws from a fixed seed).
std::vector<double> s_distribution(const Pooled& p, size_t k, bool& exhaustive) {
  std::vector<double> out;
  const size_t n = p.n;
  exhaustive = choose_capped(n, k, kPermutationSubsets) <= kPermutationSubsets;
  std::vector<size_t> b(k);
  if (exhaustive) {
    for (size_t i = 0; i < k; ++i) b[i] = i;
    while (true) {
      out.push_back(s_of(p, b));
      size_t i = k;
      while (i > 0 && b[i - 1] == n - k + i - 1) --i;
      if (i == 0) break;
      ++b[i - 1];
      for (size_t t = i; t < k; ++t) b[t] = b[t - 1] + 1;
    }
    return out;
  }
  std::mt19937_64 rng(kPermutationSeed);
  std::vector<size_t> idx(n);
  for (int64_t r = 0; r < kPermutationSubsets; ++r) {
    for (size_t i = 0; i < n; ++i) idx[i] = i;
    for (size_t i = 0; i < k; ++i) {
      const uint64_t range = n - i;
      const uint64_t limit = std::numeric_limits<uint64_t>::max() - std::numeric_limits<uint64_t>::max() % range;
      uint64_t u;
      do u = rng(); while (u >= limit);
      std::swap(idx[i], idx[i + u % range]);
    }
    b.assign(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k));
    std::sort(b.begin(), b.end());
    out.push_back(s_of(p, b));
  }
  return out;
}

}  // namespace

double MaxPermutation::level(double alpha) const {
  if (!exhaustive || subsets <= 0) return alpha;
  return std::floor(alpha * static_cast<double>(subsets) + 1e-9) / static_cast<double>(subsets);
}

MaxPermutation max_permutation_test(const std::vector<std::vector<double>>& x, const std::vector<std::vector<double>>& se,
                                    const std::vector<size_t>& judged) {
  MaxPermutation r;
  if (x.empty()) return r;
  Pooled p = pooled_of(x, se);
  std::vector<size_t> b = judged;
  std::sort(b.begin(), b.end());
  if (b.empty() || b.size() >= p.n || std::adjacent_find(b.begin(), b.end()) != b.end() || b.back() >= p.n)
    throw std::invalid_argument("max_permutation: the judged units must be distinct, at least one, and fewer than all");
  for (size_t j = 0; j < x.size(); ++j) r.d.push_back(d_of(p, j, b));
  std::vector<double> s = s_distribution(p, b.size(), r.exhaustive);
  std::sort(s.begin(), s.end());
  // Sampled: the observed subset is one more relabeling, with S >= each of its own |d_j|.
  const int64_t extra = r.exhaustive ? 0 : 1;
  r.subsets = static_cast<int64_t>(s.size()) + extra;
  for (double d : r.d) {
    const auto ge = static_cast<int64_t>(s.end() - std::lower_bound(s.begin(), s.end(), std::fabs(d)));
    r.p.push_back(static_cast<double>(ge + extra) / static_cast<double>(r.subsets));
  }
  return r;
}

double max_permutation_crit(const std::vector<std::vector<double>>& x, const std::vector<std::vector<double>>& se, size_t k,
                            double alpha) {
  if (x.empty() || k == 0) return std::numeric_limits<double>::infinity();
  Pooled p = pooled_of(x, se);
  if (k >= p.n) return std::numeric_limits<double>::infinity();
  bool exhaustive = true;
  std::vector<double> s = s_distribution(p, k, exhaustive);
  std::sort(s.begin(), s.end());
  const double m = static_cast<double>(s.size());
  const auto rank = static_cast<size_t>(std::ceil((1 - alpha) * (m + 1) - 1e-9));
  return rank > s.size() ? std::numeric_limits<double>::infinity() : s[rank - 1];
}

double binomial_upper_bound(int64_t x, int64_t n, double conf) {
  if (n <= 0 || x >= n) return 1.0;
  auto cdf = [&](double q) {  // P(X <= x | n, q), summed in log space
    double c = 0;
    for (int64_t i = 0; i <= x; ++i)
      c += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) + i * std::log(q) +
                    (n - i) * std::log1p(-q));
    return c;
  };
  double lo = 0, hi = 1;
  for (int it = 0; it < 200; ++it) {
    double mid = 0.5 * (lo + hi);
    (cdf(mid) > 1 - conf ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace rlvr::stats
