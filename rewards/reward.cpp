#include "rewards/reward.h"

#include <cmath>

#include "rewards/detect.h"
#include "rewards/grader.h"
#include "rewards/paper_extract.h"
#include "rewards/pytext.h"
#include "util/error.h"

namespace rlvr::rewards {

namespace {

uint64_t mix(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t fnv1a64(std::string_view s) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

std::string known_list() {
  std::string out;
  for (const auto& n : reward_known_names()) out += (out.empty() ? "" : ", ") + n;
  return out + "; modifiers inverse_X, A_AND_B, X_r1_style";
}

[[noreturn]] void unknown(std::string_view where, std::string_view name) {
  throw_input(where, "unknown reward '" + std::string(name) + "' (known: " + known_list() + ")");
}

double parse_rate(std::string_view where, std::string_view full, std::string_view digits, bool unit_interval) {
  auto v = py_float(digits);
  if (!v || !std::isfinite(*v) || (unit_interval && (*v < 0 || *v > 1)))
    throw_input(where, "reward '" + std::string(full) + "': expected " +
                           (unit_interval ? "a rate in [0, 1]" : "a finite number") + " after the name");
  return *v;
}

using Fn = std::function<double(const RewardInput&)>;

Fn make_part(std::string_view where, std::string_view full, std::string part, uint64_t seed) {
  bool inverse = false, r1 = false;
  if (starts_with(part, "inverse_")) {
    replace_all(part, "inverse_", "");
    inverse = true;
  }
  if (ends_with(part, "_r1_style")) {
    replace_all(part, "_r1_style", "");
    r1 = true;
  }
  Fn fn;
  if (part == "math") {
    fn = [r1](const RewardInput& in) {
      return grade_response(in.response, in.gold, GradeMode::Paper, r1).correct() ? 1.0 : 0.0;
    };
  } else if (part == "format") {
    fn = [r1](const RewardInput& in) { return paper_extract(in.response, r1).empty() ? 0.0 : 1.0; };
  } else if (part == "box_only_format") {
    fn = [r1](const RewardInput& in) { return paper_extract_box_only(in.response, r1).empty() ? 0.0 : 1.0; };
  } else if (part == "contain_python") {
    fn = [](const RewardInput& in) { return code_detect_python_fence_open(in.response) ? 1.0 : 0.0; };
  } else if (part == "contain_python_wo_backticks") {
    fn = [](const RewardInput& in) { return code_detect_paper(in.response) ? 1.0 : 0.0; };
  } else if (part == "no_repetition") {
    fn = [](const RewardInput& in) { return repetition_detect(in.response) ? 0.0 : 1.0; };
  } else if (starts_with(part, "random")) {
    double rate = parse_rate(where, full, std::string_view(part).substr(6), true);
    fn = [rate, seed](const RewardInput& in) {
      return reward_random_uniform(seed, in.step, in.prompt_id, in.sample) < rate ? 1.0 : 0.0;
    };
  } else if (starts_with(part, "constant")) {
    std::string_view rest = std::string_view(part).substr(8);
    double v = rest.empty() ? 1.0 : parse_rate(where, full, rest, false);
    fn = [v](const RewardInput&) { return v; };
  } else {
    unknown(where, full);
  }
  if (inverse) return [fn](const RewardInput& in) { return 1.0 - fn(in); };
  return fn;
}

}  // namespace

std::vector<std::string> reward_known_names() {
  return {"math", "format", "box_only_format", "random<rate>", "contain_python",
          "contain_python_wo_backticks", "no_repetition", "constant<value>"};
}

double reward_random_uniform(uint64_t seed, int64_t step, std::string_view prompt_id, int64_t sample) {
  uint64_t x = mix(seed);
  x = mix(x ^ static_cast<uint64_t>(step));
  x = mix(x ^ fnv1a64(prompt_id));
  x = mix(x ^ static_cast<uint64_t>(sample));
  return static_cast<double>(x >> 11) * 0x1.0p-53;
}

Reward reward_make(std::string_view name, uint64_t seed, std::string_view where) {
  if (name.empty()) unknown(where, name);
  std::vector<Fn> parts;
  for (auto part : split(name, "_AND_")) {
    if (part.empty()) unknown(where, name);
    parts.push_back(make_part(where, name, std::string(part), seed));
  }
  Reward r;
  r.name = std::string(name);
  if (parts.size() == 1) {
    r.fn = parts[0];
  } else {
    r.fn = [parts](const RewardInput& in) {
      for (const auto& p : parts)
        if (p(in) == 0.0) return 0.0;
      return 1.0;
    };
  }
  return r;
}

}  // namespace rlvr::rewards
