#include "synth/corpus_cues.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "util/hash.h"

namespace rlvr::synth {

namespace {

constexpr uint64_t kStrategyCueSalt = 0x5eed'0003'0000'0003ull;
constexpr uint64_t kBoxCueSalt = 0x5eed'0004'0000'0004ull;

// Position of `klass` when all classes are sorted by their salted hash.
int cue_rank(uint64_t salt, int klass, int classes) {
  const uint64_t mine = hash_words({salt, static_cast<uint64_t>(klass)});
  int rank = 0;
  for (int c = 0; c < classes; ++c) {
    const uint64_t h = hash_words({salt, static_cast<uint64_t>(c)});
    if (h < mine || (h == mine && c < klass)) ++rank;
  }
  return rank;
}

// Standard normal quantile by bisection on the CDF (deterministic; called once per class and table).
double normal_quantile(double u) {
  double lo = -10, hi = 10;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (0.5 * std::erfc(-mid / std::sqrt(2.0)) < u ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// The logit-normal table of cue_probability_spread for one (rate, spread, salt, classes).
std::vector<double> spread_table(double rate, double spread, uint64_t salt, int classes) {
  std::vector<double> z(static_cast<size_t>(classes)), p(static_cast<size_t>(classes));
  for (int c = 0; c < classes; ++c)
    z[static_cast<size_t>(c)] = normal_quantile((cue_rank(salt, c, classes) + 0.5) / classes);
  // The location: mean over classes of logistic(mu + spread * z) equals rate (monotone in mu).
  double lo = -40, hi = 40;
  auto mean_at = [&](double mu) {
    double m = 0;
    for (double zc : z) m += logistic(mu + spread * zc);
    return m / classes;
  };
  for (int i = 0; i < 200 && hi - lo > 1e-13; ++i) {
    const double mid = 0.5 * (lo + hi);
    (mean_at(mid) < rate ? lo : hi) = mid;
  }
  const double mu = 0.5 * (lo + hi);
  for (int c = 0; c < classes; ++c) p[static_cast<size_t>(c)] = logistic(mu + spread * z[static_cast<size_t>(c)]);
  return p;
}

}  // namespace

double cue_probability_spread(double rate, double spread, uint64_t salt, int klass, int classes) {
  if (rate <= 0 || rate >= 1) return rate <= 0 ? 0.0 : 1.0;
  // One table per thread and parameters: a corpus draw asks for one class at a time.
  thread_local struct {
    double rate = -1, spread = -1;
    uint64_t salt = 0;
    int classes = 0;
    std::vector<double> p;
  } memo;
  if (memo.rate != rate || memo.spread != spread || memo.salt != salt || memo.classes != classes) {
    memo.p = spread_table(rate, spread, salt, classes);
    memo.rate = rate, memo.spread = spread, memo.salt = salt, memo.classes = classes;
  }
  return memo.p[static_cast<size_t>(klass)];
}

double cue_probability(double rate, double focus, uint64_t salt, int klass, int classes) {
  const double a = std::clamp(rate * classes - cue_rank(salt, klass, classes), 0.0, 1.0);
  return (1.0 - focus) * rate + focus * a;
}

namespace {

// The strategy rule of the prior: the spread rule where code_spread is set, else the focus rule.
double code_class_probability(const PriorSpec& prior, int klass, int classes) {
  if (!prior.code_blocks.empty()) {
    // Blocks go by phrasing, not by class: the phrasing is the problem's opening words, which a
    // 2-layer model reads at once, while a hashed (phrasing, operator) conjunction it learned only
    // as a blur toward the mean (planted 0.40 / 0.95 measured 0.59 / 0.87, zoo-mech-inspect.txt's
    // second build). The phrasing of rank r goes to the first block whose cumulative share passes
    // (r + 0.5) / kPhrasings; every operator of that phrasing gets the block's propensity.
    const int phrasing = klass / (classes / kPhrasings);
    const double u = (cue_rank(kStrategyCueSalt, phrasing, kPhrasings) + 0.5) / kPhrasings;
    double cum = 0;
    for (const auto& [share, p] : prior.code_blocks)
      if (u < (cum += share)) return p;
    return prior.code_blocks.back().second;
  }
  if (prior.code_spread) return cue_probability_spread(prior.code_share, *prior.code_spread, kStrategyCueSalt, klass, classes);
  return cue_probability(prior.code_share, prior.code_focus, kStrategyCueSalt, klass, classes);
}

}  // namespace

int cue_strategy_class(int phrasing, char first_op, const WorldKnobs& k) {
  const size_t first = k.ops.find(first_op);
  return first == std::string::npos ? -1 : phrasing * static_cast<int>(k.ops.size()) + static_cast<int>(first);
}

double cue_code_probability(const Problem& p, const PriorSpec& prior, const WorldKnobs& k) {
  return code_class_probability(prior, cue_strategy_class(p.phrasing, op_char(p.steps.front().op), k),
                                kPhrasings * static_cast<int>(k.ops.size()));
}

std::vector<double> cue_code_classes(const PriorSpec& prior, const WorldKnobs& k) {
  const int classes = kPhrasings * static_cast<int>(k.ops.size());
  std::vector<double> out;
  for (int c = 0; c < classes; ++c) out.push_back(code_class_probability(prior, c, classes));
  return out;
}

double cue_box_probability(const Problem& p, const PriorSpec& prior, const WorldKnobs& k) {
  const int n_steps = k.steps_max - k.steps_min + 1;
  const int steps = static_cast<int>(p.steps.size()) - k.steps_min;
  return cue_probability(prior.box_rate, prior.box_focus, kBoxCueSalt, p.phrasing * n_steps + steps,
                         kPhrasings * n_steps);
}

}  // namespace rlvr::synth
