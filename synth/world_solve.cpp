#include "synth/world_solve.h"

namespace rlvr::synth {

namespace {

// Whether the steps from `from` on stay well-defined when the running value is v.
bool rest_is_valid(const Problem& p, size_t from, int64_t v) {
  if (v < 0) return false;
  for (size_t i = from; i < p.steps.size(); ++i) {
    const Step& st = p.steps[i];
    if (st.op == WorldOp::sub && v < st.operand) return false;
    if (st.op == WorldOp::div && v % st.operand != 0) return false;
    v = op_apply(st.op, v, st.operand);
  }
  return true;
}

}  // namespace

std::vector<WrittenStep> world_solve(const Problem& p, const Slips* slips) {
  std::vector<WrittenStep> out;
  out.reserve(p.steps.size());
  int64_t v = p.start;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const Step& st = p.steps[i];
    WrittenStep w{st.op, v, st.operand, op_apply(st.op, v, st.operand)};
    if (slips) {
      for (int64_t d : slips->deltas(st.op, v, st.operand)) {
        if (d != 0 && rest_is_valid(p, i + 1, w.result + d)) {
          w.result += d;
          w.slipped = true;
          break;
        }
      }
    }
    out.push_back(w);
    v = w.result;
  }
  return out;
}

}  // namespace rlvr::synth
