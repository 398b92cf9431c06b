#include "synth/corpus_slips.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>

#include "synth/corpus_cues.h"
#include "util/hash.h"

namespace rlvr::synth {

namespace {

constexpr uint64_t kLanguageSlipSalt = 0x5eed'0005'0000'0005ull;
constexpr uint64_t kCodeSlipSalt = 0x5eed'0006'0000'0006ull;
// The calibration sample: fixed, so every spec with the same world and rates slips on the same
// facts. 16384 problems put the calibration's own sampling error near 0.4 points.
constexpr uint64_t kCalibrationSeed = 0x5eed'0007'0000'0007ull;
constexpr size_t kCalibrationProblems = 16384;
// The plausible slips: off by one or two, or a carry error.
constexpr std::array<int64_t, 6> kDeltas = {1, -1, 2, -2, 10, -10};
constexpr int kOps = 4;

uint64_t salt_of(Strategy s) { return s == Strategy::code ? kCodeSlipSalt : kLanguageSlipSalt; }

uint64_t group_hash(Strategy s, WorldOp op, int64_t right) {
  return hash_words({salt_of(s), static_cast<uint64_t>(op), static_cast<uint64_t>(right)});
}

// Calibration problems are the same for every spec with the same knobs: build them once.
const std::vector<Problem>& calibration_problems(const WorldKnobs& k) {
  static std::mutex mu;
  static std::map<std::string, std::vector<Problem>> cache;
  const std::string key = std::to_string(k.steps_min) + "," + std::to_string(k.steps_max) + "," +
                          std::to_string(k.operand_max) + "," + std::to_string(k.value_max) + "," + k.ops;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::vector<Problem> ps;
  ps.reserve(kCalibrationProblems);
  for (size_t i = 0; i < kCalibrationProblems; ++i) ps.push_back(world_problem_make(kCalibrationSeed, i, Split::train, k));
  return cache.emplace(key, std::move(ps)).first->second;
}

}  // namespace

StrategySlips::StrategySlips(const WorldKnobs& k, Strategy s, size_t bugged) : knobs_(k), strategy_(s) {
  // Every fact a correct solution can meet, grouped by (op, right) in the strategy's hash order.
  std::vector<std::pair<uint64_t, Fact>> groups;  // (group hash, representative)
  for (WorldOp op : world_ops(k))
    for (int64_t right = 1; right <= k.operand_max; ++right) groups.push_back({group_hash(s, op, right), {op, 0, right}});
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first
                              : std::pair(a.second.op, a.second.right) < std::pair(b.second.op, b.second.right);
  });
  rank_.assign(static_cast<size_t>(kOps) * (k.value_max + 1) * (k.operand_max + 1), UINT32_MAX);
  for (const auto& [h, g] : groups) {
    for (int64_t left = 0; left <= k.value_max; ++left) {
      const auto ds = world_feasible_operands(g.op, left, k);
      if (!std::binary_search(ds.begin(), ds.end(), g.right)) continue;
      rank_[static_cast<size_t>(slot(g.op, left, g.right))] = static_cast<uint32_t>(order_.size());
      order_.push_back({g.op, left, g.right});
    }
  }
  bugged_ = std::min(bugged, order_.size());
}

int64_t StrategySlips::slot(WorldOp op, int64_t left, int64_t right) const {
  if (left < 0 || left > knobs_.value_max || right < 0 || right > knobs_.operand_max) return -1;
  return (static_cast<int64_t>(op) * (knobs_.value_max + 1) + left) * (knobs_.operand_max + 1) + right;
}

std::vector<int64_t> StrategySlips::deltas(WorldOp op, int64_t left, int64_t right) const {
  const int64_t at = slot(op, left, right);
  if (at < 0 || rank_[static_cast<size_t>(at)] >= bugged_) return {};
  // The group's preferred slip first, then the others in order.
  const size_t first = group_hash(strategy_, op, right) % kDeltas.size();
  std::vector<int64_t> out;
  for (size_t i = 0; i < kDeltas.size(); ++i) out.push_back(kDeltas[(first + i) % kDeltas.size()]);
  return out;
}

StrategySlips StrategySlips::calibrated(const WorldKnobs& k, Strategy s, const PriorSpec& prior) {
  const std::vector<Problem>& ps = calibration_problems(k);
  std::vector<double> w(ps.size());
  double total = 0;
  for (size_t i = 0; i < ps.size(); ++i) {
    const double pc = cue_code_probability(ps[i], prior, k);
    w[i] = s == Strategy::code ? pc : 1.0 - pc;
    total += w[i];
  }
  // A strategy the corpus never uses (code_share = 0) is calibrated over all problems, so that
  // forcing it (Table 3's "Let's solve this using Python.") still meets its planted error rate.
  if (total < 1e-9) {
    std::fill(w.begin(), w.end(), 1.0);
    total = static_cast<double>(w.size());
  }
  const double target = s == Strategy::code ? prior.code_error : prior.language_error;
  auto error_at = [&](size_t bugged) {
    StrategySlips sl(k, s, bugged);
    double wrong = 0;
    for (size_t i = 0; i < ps.size(); ++i)
      if (w[i] > 0 && world_solve(ps[i], &sl).back().result != ps[i].answer) wrong += w[i];
    return wrong / total;
  };
  // The error grows (almost) monotonically with the prefix: bisect for the first prefix at or
  // above the target, then keep whichever neighbour is closer.
  const size_t n = StrategySlips(k, s, 0).facts();
  size_t lo = 0, hi = n;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (error_at(mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  size_t best = lo;
  double best_err = error_at(lo);
  if (lo > 0) {
    const double below = error_at(lo - 1);
    if (std::fabs(below - target) <= std::fabs(best_err - target)) best = lo - 1, best_err = below;
  }
  StrategySlips out(k, s, best);
  out.calibration_error_ = best_err;
  return out;
}

}  // namespace rlvr::synth
