#include "synth/corpus_cues.h"

#include <algorithm>
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

}  // namespace

double cue_probability(double rate, double focus, uint64_t salt, int klass, int classes) {
  const double a = std::clamp(rate * classes - cue_rank(salt, klass, classes), 0.0, 1.0);
  return (1.0 - focus) * rate + focus * a;
}

double cue_code_probability(const Problem& p, const PriorSpec& prior, const WorldKnobs& k) {
  const int n_ops = static_cast<int>(k.ops.size());
  const int first = static_cast<int>(k.ops.find(op_char(p.steps.front().op)));
  return cue_probability(prior.code_share, prior.code_focus, kStrategyCueSalt, p.phrasing * n_ops + first,
                         kPhrasings * n_ops);
}

double cue_box_probability(const Problem& p, const PriorSpec& prior, const WorldKnobs& k) {
  const int n_steps = k.steps_max - k.steps_min + 1;
  const int steps = static_cast<int>(p.steps.size()) - k.steps_min;
  return cue_probability(prior.box_rate, prior.box_focus, kBoxCueSalt, p.phrasing * n_steps + steps,
                         kPhrasings * n_steps);
}

}  // namespace rlvr::synth
