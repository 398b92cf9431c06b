// reward_input.h: what a reward sees of one response, and the function type of a reward, shared by
// rewards/ (which defines them) and rl/ (which calls one per sampled response). Header only.
#pragma once
#include <cstdint>
#include <functional>
#include <string_view>

namespace rlvr {

struct RewardInput {
  std::string_view response;
  std::string_view gold;
  std::string_view prompt_id;
  int64_t sample = 0;  // index of the response among the prompt's samples
  int64_t step = 0;    // training step
};

using RewardFn = std::function<double(const RewardInput&)>;

}  // namespace rlvr
