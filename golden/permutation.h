// permutation.h: the seed-permutation test of statistic v3 (golden/README.md, "Verdict"): every
// claim's standardized deviation of a set of judged seeds from the rest, calibrated against the
// largest deviation over all claims under every relabeling of the seeds. Distribution-free: with
// exchangeable seeds (unchanged code) the chance that any claim fails is at most alpha, for any
// number of claims and any shape of the seed spread; no constant is fitted. Pure, no I/O;
// deterministic (the sampled case draws from a fixed seed).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rlvr::stats {

// Relabelings enumerated exhaustively up to this many k-subsets; above it, this many are drawn.
inline constexpr int64_t kPermutationSubsets = 100000;
inline constexpr uint64_t kPermutationSeed = 0x5eed5eedULL;

struct MaxPermutation {
  // Per claim: (mean over the judged units - mean over the rest) / the rest's sample sd, at least
  // the claim's within-run noise (0 for a claim no seed moves).
  std::vector<double> d;
  // Per claim: the share of k-subsets B with max_j |d_j(B)| >= |d_j| (the observed subset counts).
  std::vector<double> p;
  int64_t subsets = 0;      // k-subsets counted (sampled: draws + the observed one)
  bool exhaustive = true;   // every k-subset enumerated
  // The family-wise false-alarm rate the test holds at level alpha: floor(alpha M) / M for M
  // enumerated subsets (1/26 for one seed against 25), alpha when sampled.
  double level(double alpha) const;
};

// x[j][u]: claim j on unit u (every row the same length N >= 2); se[j][u]: the standard error of
// that value within its run (over its problems or steps; empty: none). The rest's sd is floored at
// sqrt(mean_u se[j][u]^2), the noise certainly in a seed's value, taken over all N units so every
// relabeling sees the same floor. `judged`: the k distinct units under test (0 < k < N). Throws
// std::invalid_argument on ragged rows or bad indices.
MaxPermutation max_permutation_test(const std::vector<std::vector<double>>& x, const std::vector<std::vector<double>>& se,
                                    const std::vector<size_t>& judged);

// The conformal (1 - alpha) critical value of S = max_j |d_j| for k judged units among the N of
// x: the ceil((1 - alpha)(M + 1))-th smallest S over the M k-subsets of x's units, +inf when
// that rank exceeds M (too few seeds to flag anything at level alpha). A claim shifted by
// crit * sd_j fails about half the time: its minimum detectable effect.
double max_permutation_crit(const std::vector<std::vector<double>>& x, const std::vector<std::vector<double>>& se, size_t k,
                            double alpha);

// The exact one-sided upper confidence bound on a binomial rate after x events in n trials
// (Clopper-Pearson): the p with P(X <= x | n, p) = 1 - conf; 1 when x = n. x = 0, n = 60, conf
// 0.95: 4.87%.
double binomial_upper_bound(int64_t x, int64_t n, double conf);

}  // namespace rlvr::stats
