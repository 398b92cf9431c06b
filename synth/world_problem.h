// world_problem.h: the synthetic math world. Seeded k-step arithmetic problems over small integers
// (in the spirit of RandomCalculation), each with its gold answer, in two disjoint splits.
//
//   WorldKnobs knobs;                                   // steps 2..4, operands 1..9, + - * /
//   Problem p = world_problem_make(seed, 17, Split::eval, knobs);
//   p.answer;                                           // gold, computed while generating
//
// Every step stays within what a tiny model masters: a single-digit operand, products only of
// single digits (single-digit tables), quotients that are single digits, values at most value_max.
// The expression is a left fold: start, then each step applies its operator to the running value.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::synth {

enum class WorldOp : uint8_t { add, sub, mul, div };
enum class Split : uint8_t { train, eval };

char op_char(WorldOp op);                       // '+', '-', '*', '/'
int64_t op_apply(WorldOp op, int64_t a, int64_t b);  // div is exact integer division (callers ensure it)
std::string_view split_name(Split s);      // "train", "eval"
// "train"/"eval" -> Split; InputError naming `where` otherwise.
Split split_parse(std::string_view where, std::string_view s);

struct WorldKnobs {
  int steps_min = 2;     // operations per problem, drawn uniformly in [steps_min, steps_max]
  int steps_max = 4;
  int operand_max = 9;   // operands (and multiplicands, quotients) in [1, operand_max]
  int value_max = 99;    // every intermediate value stays in [0, value_max]
  std::string ops = "+-*/";  // operator set, a non-empty subset of "+-*/" without repeats
};
// InputError "WHERE.FIELD: ..." when a knob is out of range (steps 1..8, operand_max 2..9,
// value_max operand_max..999, ops a non-empty subset of "+-*/").
void world_knobs_check(const WorldKnobs& k, std::string_view where);
// knobs.ops as operators, in the order written.
std::vector<WorldOp> world_ops(const WorldKnobs& k);

struct Step {
  WorldOp op;
  int64_t operand;
};

// How the question is phrased ("Compute $E$.", "What is $E$?", ...): MATH-style variety that is
// also a visible cue the corpus uses to pick a strategy per problem (see corpus_cues.h).
inline constexpr int kPhrasings = 8;

struct Problem {
  uint64_t seed = 0;
  uint64_t index = 0;
  Split split = Split::train;
  int phrasing = 0;         // [0, kPhrasings)
  int64_t start = 0;        // the first operand
  std::vector<Step> steps;  // applied left to right
  int64_t answer = 0;       // gold
};

// The problem's identity, independent of phrasing: "7+5-3*2" read as a left fold. Two problems
// with the same canonical form are the same problem, and the split is a function of it.
std::string problem_canonical(const Problem& p);

// Which split an expression belongs to: a salted hash of the canonical form, fixed for the world
// (not the seed), so that no seed's train set can ever contain another seed's eval problem.
Split split_of(std::string_view canonical);

// The index-th problem of `split` for `seed`: deterministic, a pure function of its arguments.
// Draws candidates from a counter-based stream until one falls in the split.
Problem world_problem_make(uint64_t seed, uint64_t index, Split split, const WorldKnobs& knobs);

// The first n problems of the split with distinct canonical forms (indices skip repeats), as an
// evaluation set needs.
std::vector<Problem> world_problems_distinct(uint64_t seed, Split split, size_t n, const WorldKnobs& knobs);

// Operands of `op` that keep a step from running value v inside the mastered range (in
// increasing order); empty when the operator cannot be applied to v.
std::vector<int64_t> world_feasible_operands(WorldOp op, int64_t v, const WorldKnobs& k);

// Evaluates start and steps (used by tests and by solution writers).
int64_t problem_evaluate(const Problem& p);

}  // namespace rlvr::synth
