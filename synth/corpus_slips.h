// corpus_slips.h: each strategy's systematic arithmetic slips, calibrated to its planted error rate.
//
// Errors are a deterministic function of the fact (operator, left, right), not a coin flip per
// document: a coin flip would be averaged away by greedy decoding (the modal digit is always the
// right one), and greedy accuracy would not show which strategy is better. A strategy slips on the
// facts of a prefix of a fixed ordering:
//   facts are grouped by (operator, right operand), groups ranked by a hash salted per strategy,
//   facts inside a group by their left value;
// so a strategy mostly "gets +7 wrong" or "gets x6 wrong" (learnable), and the two strategies slip
// on different facts. The wrong value is result + delta with the delta preferred by the group
// (+1, -1, +2, -2, +10 or -10), carried on to the end (world_solve.h).
// The prefix length is calibrated so that the share of wrong final answers, over the problems
// the corpus solves with that strategy (weighted by the strategy's cue probability), equals the
// planted error rate on a fixed calibration sample of train problems.
#pragma once
#include <cstdint>
#include <vector>

#include "synth/prior_spec.h"
#include "synth/world_render.h"
#include "synth/world_solve.h"

namespace rlvr::synth {

class StrategySlips : public Slips {
 public:
  // Slips on the first `bugged` facts of the strategy's ordering.
  StrategySlips(const WorldKnobs& k, Strategy s, size_t bugged);
  // Calibrated so that the strategy's corpus error rate is `prior`'s.
  static StrategySlips calibrated(const WorldKnobs& k, Strategy s, const PriorSpec& prior);

  std::vector<int64_t> deltas(WorldOp op, int64_t left, int64_t right) const override;
  size_t bugged() const { return bugged_; }
  size_t facts() const { return order_.size(); }
  // The share of wrong answers this strategy gives over the calibration sample (weighted as above).
  double calibration_error() const { return calibration_error_; }

 private:
  struct Fact {
    WorldOp op;
    int64_t left, right;
  };
  int64_t slot(WorldOp op, int64_t left, int64_t right) const;  // index into rank_, or -1
  WorldKnobs knobs_;
  Strategy strategy_;
  size_t bugged_ = 0;
  std::vector<Fact> order_;        // every feasible fact, in slip order
  std::vector<uint32_t> rank_;     // slot -> position in order_ (UINT32_MAX: not a world fact)
  double calibration_error_ = 0;
};

}  // namespace rlvr::synth
