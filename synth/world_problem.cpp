#include "synth/world_problem.h"

#include <unordered_set>

#include "util/rng.h"
#include "util/error.h"

namespace rlvr::synth {

namespace {

// Salts keep the world's hash streams independent of each other. Changing one changes the world
// (every problem, or the split of every expression): never change them without a migration note.
constexpr uint64_t kProblemSalt = 0x5eed'0001'0000'0001ull;
constexpr uint64_t kSplitSalt = 0x5eed'0002'0000'0002ull;
// One expression in eight is held out for evaluation.
constexpr uint64_t kEvalPer1024 = 128;
// Generation retries a candidate that dead-ends (no feasible next step) or lands in the other
// split; with valid knobs a success takes ~8 draws, so this only trips on degenerate knobs.
constexpr uint64_t kMaxAttempts = 100000;

std::vector<int64_t> feasible_operands(WorldOp op, int64_t v, const WorldKnobs& k) {
  std::vector<int64_t> out;
  switch (op) {
    case WorldOp::add:
      for (int64_t d = 1; d <= k.operand_max && v + d <= k.value_max; ++d) out.push_back(d);
      break;
    case WorldOp::sub:
      for (int64_t d = 1; d <= k.operand_max && d <= v; ++d) out.push_back(d);
      break;
    case WorldOp::mul:  // single-digit tables only: the running value must itself be a single digit
      if (v >= 1 && v <= k.operand_max)
        for (int64_t d = 2; d <= k.operand_max && v * d <= k.value_max; ++d) out.push_back(d);
      break;
    case WorldOp::div:  // exact, with a single-digit quotient
      for (int64_t d = 2; d <= k.operand_max; ++d)
        if (v >= d && v % d == 0 && v / d <= k.operand_max) out.push_back(d);
      break;
  }
  return out;
}

// One candidate draw; false when the walk dead-ends.
bool draw_candidate(Rng& rng, const WorldKnobs& k, const std::vector<WorldOp>& ops, Problem& p) {
  p.phrasing = static_cast<int>(rng.below(kPhrasings));
  const int n_steps = static_cast<int>(rng.range(k.steps_min, k.steps_max));
  // The first operator is uniform over the set (the corpus's strategy cue relies on that), and
  // the start is drawn so that it is feasible.
  const WorldOp first = ops[rng.below(ops.size())];
  p.steps.clear();
  if (first == WorldOp::div) {
    const int64_t d = rng.range(2, k.operand_max), q = rng.range(1, k.operand_max);
    p.start = d * q;
    if (p.start > k.value_max) return false;
    p.steps.push_back({WorldOp::div, d});
  } else {
    std::vector<int64_t> starts;
    for (int64_t s = 1; s <= k.operand_max; ++s)
      if (!feasible_operands(first, s, k).empty()) starts.push_back(s);
    if (starts.empty()) return false;
    p.start = starts[rng.below(starts.size())];
    auto ds = feasible_operands(first, p.start, k);
    p.steps.push_back({first, ds[rng.below(ds.size())]});
  }
  int64_t v = op_apply(p.steps[0].op, p.start, p.steps[0].operand);
  for (int i = 1; i < n_steps; ++i) {
    std::vector<WorldOp> open;
    for (WorldOp op : ops)
      if (!feasible_operands(op, v, k).empty()) open.push_back(op);
    if (open.empty()) return false;
    const WorldOp op = open[rng.below(open.size())];
    auto ds = feasible_operands(op, v, k);
    const int64_t d = ds[rng.below(ds.size())];
    p.steps.push_back({op, d});
    v = op_apply(op, v, d);
  }
  p.answer = v;
  return true;
}

}  // namespace

std::vector<int64_t> world_feasible_operands(WorldOp op, int64_t v, const WorldKnobs& k) { return feasible_operands(op, v, k); }

char op_char(WorldOp op) {
  switch (op) {
    case WorldOp::add: return '+';
    case WorldOp::sub: return '-';
    case WorldOp::mul: return '*';
    case WorldOp::div: return '/';
  }
  return '?';
}

int64_t op_apply(WorldOp op, int64_t a, int64_t b) {
  switch (op) {
    case WorldOp::add: return a + b;
    case WorldOp::sub: return a - b;
    case WorldOp::mul: return a * b;
    case WorldOp::div: return a / b;
  }
  return 0;
}

std::string_view split_name(Split s) { return s == Split::train ? "train" : "eval"; }

Split split_parse(std::string_view where, std::string_view s) {
  if (s == "train") return Split::train;
  if (s == "eval") return Split::eval;
  throw_input(where, "expected 'train' or 'eval', got '" + std::string(s) + "'");
}

void world_knobs_check(const WorldKnobs& k, std::string_view where) {
  const std::string w(where);
  if (k.steps_min < 1 || k.steps_min > 8) throw_input(w + ".steps_min", "must be in [1, 8]");
  if (k.steps_max < k.steps_min || k.steps_max > 8) throw_input(w + ".steps_max", "must be in [steps_min, 8]");
  if (k.operand_max < 2 || k.operand_max > 9) throw_input(w + ".operand_max", "must be in [2, 9] (single digits)");
  if (k.value_max < k.operand_max || k.value_max > 999)
    throw_input(w + ".value_max", "must be in [operand_max, 999]");
  if (k.ops.empty()) throw_input(w + ".ops", "must name at least one of + - * /");
  for (size_t i = 0; i < k.ops.size(); ++i) {
    if (std::string_view("+-*/").find(k.ops[i]) == std::string_view::npos)
      throw_input(w + ".ops", "unknown operator '" + std::string(1, k.ops[i]) + "' (allowed: + - * /)");
    if (k.ops.find(k.ops[i]) != i) throw_input(w + ".ops", "operator '" + std::string(1, k.ops[i]) + "' repeated");
  }
}

std::vector<WorldOp> world_ops(const WorldKnobs& k) {
  std::vector<WorldOp> out;
  for (char c : k.ops) out.push_back(c == '+' ? WorldOp::add : c == '-' ? WorldOp::sub : c == '*' ? WorldOp::mul : WorldOp::div);
  return out;
}

std::string problem_canonical(const Problem& p) {
  std::string s = std::to_string(p.start);
  for (const Step& st : p.steps) {
    s.push_back(op_char(st.op));
    s += std::to_string(st.operand);
  }
  return s;
}

Split split_of(std::string_view canonical) {
  return hash_text(canonical, kSplitSalt) % 1024 < kEvalPer1024 ? Split::eval : Split::train;
}

Problem world_problem_make(uint64_t seed, uint64_t index, Split split, const WorldKnobs& knobs) {
  world_knobs_check(knobs, "world");
  const std::vector<WorldOp> ops = world_ops(knobs);
  Problem p;
  p.seed = seed;
  p.index = index;
  p.split = split;
  for (uint64_t attempt = 0; attempt < kMaxAttempts; ++attempt) {
    Rng rng(hash_words({kProblemSalt, seed, static_cast<uint64_t>(split), index, attempt}));
    if (draw_candidate(rng, knobs, ops, p) && split_of(problem_canonical(p)) == split) return p;
  }
  throw_input("world", "knobs admit (almost) no problems in the " + std::string(split_name(split)) +
                           " split; widen ops, value_max or the step range");
}

std::vector<Problem> world_problems_distinct(uint64_t seed, Split split, size_t n, const WorldKnobs& knobs) {
  std::vector<Problem> out;
  std::unordered_set<std::string> seen;
  // A small world may hold fewer than n distinct problems; stop after many repeats in a row.
  constexpr uint64_t kMaxRepeatsInARow = 10000;
  uint64_t repeats = 0;
  for (uint64_t i = 0; out.size() < n; ++i) {
    Problem p = world_problem_make(seed, i, split, knobs);
    if (seen.insert(problem_canonical(p)).second) {
      out.push_back(std::move(p));
      repeats = 0;
    } else if (++repeats > kMaxRepeatsInARow) {
      throw_input("world", "only " + std::to_string(out.size()) + " distinct " + std::string(split_name(split)) +
                               " problems exist for these knobs (asked for " + std::to_string(n) + ")");
    }
  }
  return out;
}

int64_t problem_evaluate(const Problem& p) {
  int64_t v = p.start;
  for (const Step& st : p.steps) v = op_apply(st.op, v, st.operand);
  return v;
}

}  // namespace rlvr::synth
