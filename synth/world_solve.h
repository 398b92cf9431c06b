// world_solve.h: the steps a solution writes down, with a strategy's systematic slips.
//
// A strategy "knows" every fact except the ones its Slips mark as bugged; on a bugged fact it
// writes a wrong result and then carries that wrong value on, computing every later step
// correctly from it (so the final answer is wrong, except in the rare case where a later slip
// cancels an earlier one). Slips are a deterministic function of the fact, so a model that learns
// the corpus makes the same mistakes at greedy decoding as when sampling.
#pragma once
#include <cstdint>
#include <vector>

#include "synth/world_problem.h"

namespace rlvr::synth {

struct WrittenStep {
  WorldOp op;
  int64_t left, right, result;  // result == op_apply(op, left, right) unless slipped
  bool slipped = false;
};

class Slips {
 public:
  virtual ~Slips() = default;
  // The candidate errors (result + delta) for this fact, preferred first; empty: not bugged.
  virtual std::vector<int64_t> deltas(WorldOp op, int64_t left, int64_t right) const = 0;
};

// The written steps of a solution of p. slips == nullptr writes the correct solution. A bugged
// fact takes the first delta whose wrong value keeps every later step well-defined (non-negative
// values, exact divisions); when none does, the fact is written correctly.
std::vector<WrittenStep> world_solve(const Problem& p, const Slips* slips);

}  // namespace rlvr::synth
