// reward.h: the paper's rewards, registered by the names its training scripts use.
//
//   math                         1 if the paper-mode grader accepts the response, else 0
//   format                       1 if paper-mode extraction finds any answer (boxed or not)
//   box_only_format              1 if the response has a non-empty \boxed answer
//   random<rate>                 1 with probability rate (random0.5), from reward_random_uniform
//   contain_python               1 if "```python" occurs (case-insensitive)
//   contain_python_wo_backticks  1 if "python" occurs (case-insensitive)
//   no_repetition                0 if a 10..256-character pattern repeats 10 times, else 1
//   constant<value>              always value ("constant" alone: 1)
// Modifiers, applied as the paper's auto_verify does: A_AND_B (split first; 1 only if every
// part is non-zero), inverse_X (1 - X), X_r1_style (grade only the text in <answer> tags).
// QUIRK kept: "inverse_" and "_r1_style" are removed wherever they occur in a part's name, so
// inverse_inverse_math is inverse_math.
// Unknown names throw InputError listing the known ones.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::rewards {

struct RewardInput {
  std::string_view response;
  std::string_view gold;
  std::string_view prompt_id;
  int64_t sample = 0;  // index of the response among the prompt's samples
  int64_t step = 0;    // training step
};

struct Reward {
  std::string name;
  std::function<double(const RewardInput&)> fn;
  double operator()(const RewardInput& in) const { return fn(in); }
};

// Builds a reward by name; `seed` keys the random reward. `where` names the source in errors.
Reward reward_make(std::string_view name, uint64_t seed, std::string_view where = "--name");

// The base names, for help texts and error messages.
std::vector<std::string> reward_known_names();

// The random reward's uniform draw in [0, 1): a counter-based hash, so a response's draw depends
// only on (seed, step, prompt_id, sample), never on batch order or thread count:
//   x = mix(seed); x = mix(x ^ step); x = mix(x ^ fnv1a64(prompt_id)); x = mix(x ^ sample)
//   u = (x >> 11) * 2^-53
// where mix(z) is SplitMix64's output function applied to z + 0x9E3779B97F4A7C15.
double reward_random_uniform(uint64_t seed, int64_t step, std::string_view prompt_id, int64_t sample);

}  // namespace rlvr::rewards
