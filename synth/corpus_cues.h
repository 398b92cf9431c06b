// corpus_cues.h: how the corpus picks a strategy (and boxing) for a problem.
//
// A prototype showed that when the strategy is drawn independently of the problem, a model
// learns the mix but greedy decoding always takes the majority strategy, so greedy evaluation
// cannot see the mix move (docs/design.md, "Why a synthetic zoo"). So the choice depends on a visible
// cue of the problem, with exactly the planted share overall:
//   strategy cue = (phrasing, first operator)   both drawn uniformly by the generator
//   boxing cue   = (phrasing, number of steps)  both drawn uniformly by the generator
// The cue's classes are ranked by a fixed hash; the first rate*C classes get a = 1, the next one
// the fractional rest, the others a = 0; then p(class) = (1 - focus) * rate + focus * a.
// Every class has the same mass, so the mean of p is the rate exactly, whatever the focus; with
// focus near 1 a model that learns the corpus takes the planted share at greedy too, and with
// focus < 1 every problem keeps some probability of both strategies (which RL can amplify).
// The ranking is a property of the world, so models with larger shares code on a superset of cues.
//
// With `code_spread` instead of `code_focus` (a prior the clip mechanism can act on), the
// class of rank r gets p = logistic(mu + spread * z_r), z_r the standard normal quantile of
// (r + 0.5) / C and mu set so that the mean over classes is the rate: a logit-normal spread of
// per-problem propensity around the planted share, spread 0 = every problem at the share, large
// spreads near-deterministic classes. The spread is the knob that decides how many problems sit
// near 0.5, where sharpening can move greedy decoding.
//
// With `code_blocks`: the phrasings, in rank order, fill the blocks by their shares (so a share
// counts in eighths), each block's phrasings at its propensity for every operator. A member built to show the mechanism puts a block near the boundary
// beside a block firmly on code, so that one shared shift moves a whole block's greedy choice.
#pragma once
#include <vector>

#include "synth/prior_spec.h"
#include "synth/world_problem.h"

namespace rlvr::synth {

// The strategy-cue class of a problem with this phrasing and first operator ('+', '-', '*', '/'):
// phrasing x ops + the operator's place in k.ops; -1 when the world has no such operator.
int cue_strategy_class(int phrasing, char first_op, const WorldKnobs& k);
// Probability that the corpus solves p with the code strategy.
double cue_code_probability(const Problem& p, const PriorSpec& prior, const WorldKnobs& k);
// Probability that the corpus boxes the answer of p.
double cue_box_probability(const Problem& p, const PriorSpec& prior, const WorldKnobs& k);

// The general rule: class in [0, classes), ranked by a hash salted with `salt`.
double cue_probability(double rate, double focus, uint64_t salt, int klass, int classes);
// The logit-normal rule (above); rate 0 or 1 gives 0 or 1 everywhere.
double cue_probability_spread(double rate, double spread, uint64_t salt, int klass, int classes);
// The planted code probability of every strategy-cue class (each class is an equal mass of problems).
std::vector<double> cue_code_classes(const PriorSpec& prior, const WorldKnobs& k);

}  // namespace rlvr::synth
