// reward.h: the paper's rewards, registered by the names its training scripts use. The base
// rewards are the rows of one registry table (reward.cpp kRewardKinds: name, parameter,
// description, factory), which also feeds the error message's list, `rlvrbench reward --help`
// and the README check in reward_test.
// Modifiers, applied as the paper's auto_verify does: A_AND_B (split first; 1 only if every
// part is non-zero), inverse_X (1 - X), X_r1_style (grade only the text in <answer> tags).
// QUIRK kept: "inverse_" and "_r1_style" are removed wherever they occur in a part's name, so
// inverse_inverse_math is inverse_math.
// Unknown names throw InputError listing the known ones.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rewards/reward_input.h"

namespace rlvr::rewards {

// What follows a parameterized base name: none; rate, a required number in [0, 1] (random0.5);
// value, an optional finite number that defaults to 1 (constant, constant0.25).
enum class RewardParam : uint8_t { none, rate, value };

// One row of the registry.
struct RewardKind {
  std::string_view name;         // the base name; with a parameter, the prefix the number follows
  RewardParam param;
  std::string_view description;  // one line, for --help and the README
  RewardFn (*make)(bool r1_style, double param, uint64_t seed);
};

struct Reward {
  std::string name;
  RewardFn fn;
  double operator()(const RewardInput& in) const { return fn(in); }
};

// Builds a reward by name; `seed` keys the random reward. `where` names the source in errors.
Reward reward_make(std::string_view name, uint64_t seed, std::string_view where = "--name");

// The registry's rows, in the order help texts list them.
std::span<const RewardKind> reward_kinds();
// A row's name as a user writes it: "math", "random<rate>", "constant<value>".
std::string reward_kind_label(const RewardKind& kind);
// Every row's label, for help texts and error messages.
std::vector<std::string> reward_known_names();

// The random reward's uniform draw in [0, 1): a counter-based hash, so a response's draw depends
// only on (seed, step, prompt_id, sample), never on batch order or thread count:
//   x = mix64(seed); x = mix64(x ^ step); x = mix64(x ^ fnv1a64(prompt_id)); x = mix64(x ^ sample)
//   u = (x >> 11) * 2^-53
// with mix64 (splitmix64's finalizer) and fnv1a64 from util/hash.h.
double reward_random_uniform(uint64_t seed, int64_t step, std::string_view prompt_id, int64_t sample);

}  // namespace rlvr::rewards
