#include "rewards/reward.h"

#include <cmath>

#include "rewards/detect.h"
#include "rewards/grader.h"
#include "rewards/paper_extract.h"
#include "rewards/pytext.h"
#include "util/error.h"
#include "util/hash.h"

namespace rlvr::rewards {

namespace {

// The registry: one row per base reward, in the order help texts and errors list them. A reward
// is added here, in the file that computes it, and as a row of reward_test's table.
constexpr RewardKind kRewardKinds[] = {
    {"math", RewardParam::none, "1 if the paper-mode grader accepts the response, else 0",
     [](bool r1, double, uint64_t) -> RewardFn {
       return [r1](const RewardInput& in) {
         return grade_response(in.response, in.gold, GradeMode::paper, r1).correct() ? 1.0 : 0.0;
       };
     }},
    {"format", RewardParam::none, "1 if paper-mode extraction finds any answer (boxed or not)",
     [](bool r1, double, uint64_t) -> RewardFn {
       return [r1](const RewardInput& in) { return paper_extract(in.response, r1).empty() ? 0.0 : 1.0; };
     }},
    {"box_only_format", RewardParam::none, "1 if the response has a non-empty \\boxed answer",
     [](bool r1, double, uint64_t) -> RewardFn {
       return [r1](const RewardInput& in) { return paper_extract_box_only(in.response, r1).empty() ? 0.0 : 1.0; };
     }},
    {"random", RewardParam::rate, "1 with probability rate (random0.5), from reward_random_uniform",
     [](bool, double rate, uint64_t seed) -> RewardFn {
       return [rate, seed](const RewardInput& in) {
         return reward_random_uniform(seed, in.step, in.prompt_id, in.sample) < rate ? 1.0 : 0.0;
       };
     }},
    {"contain_python", RewardParam::none, "1 if \"```python\" occurs (case-insensitive)",
     [](bool, double, uint64_t) -> RewardFn {
       return [](const RewardInput& in) { return code_detect_python_fence_open(in.response) ? 1.0 : 0.0; };
     }},
    {"contain_python_wo_backticks", RewardParam::none, "1 if \"python\" occurs (case-insensitive)",
     [](bool, double, uint64_t) -> RewardFn {
       return [](const RewardInput& in) { return code_detect_paper(in.response) ? 1.0 : 0.0; };
     }},
    {"no_repetition", RewardParam::none, "0 if a 10..256-character pattern repeats 10 times, else 1",
     [](bool, double, uint64_t) -> RewardFn {
       return [](const RewardInput& in) { return repetition_detect(in.response) ? 0.0 : 1.0; };
     }},
    {"constant", RewardParam::value, "always value (\"constant\" alone: 1)",
     [](bool, double v, uint64_t) -> RewardFn { return [v](const RewardInput&) { return v; }; }},
};

constexpr std::string_view kInversePrefix = "inverse_";
// flip<rate>_X: X, turned into 1 - X on a share `rate` of responses (a graded inverse reward: the
// mutant ladder's 10% / 30% / 100% of rewards flipped). Which responses flip is the random
// reward's counter-based draw under a salted seed, so it does not follow the random reward's.
constexpr std::string_view kFlipPrefix = "flip";
constexpr uint64_t kFlipSalt = 0xf11bf11bf11bf11bULL;
constexpr std::string_view kR1Suffix = "_r1_style";
constexpr std::string_view kAndSeparator = "_AND_";

std::string known_list() {
  std::string out;
  for (const auto& n : reward_known_names()) out += (out.empty() ? "" : ", ") + n;
  return out + "; modifiers inverse_X, flip<rate>_X, A_AND_B, X_r1_style";
}

[[noreturn]] void unknown(std::string_view where, std::string_view name) {
  throw_input(where, "unknown reward '" + std::string(name) + "' (known: " + known_list() + ")");
}

// The number after a parameterized name: a required rate in [0, 1], or an optional value (default 1).
double parse_param(std::string_view where, std::string_view full, RewardParam param, std::string_view digits) {
  if (param == RewardParam::value && digits.empty()) return 1.0;
  const bool unit_interval = param == RewardParam::rate;
  auto v = py_float(digits);
  if (!v || !std::isfinite(*v) || (unit_interval && (*v < 0 || *v > 1)))
    throw_input(where, "reward '" + std::string(full) + "': expected " +
                           (unit_interval ? "a rate in [0, 1]" : "a finite number") + " after the name");
  return *v;
}

// The row a part names: exact for plain rewards, a prefix for parameterized ones.
const RewardKind* find_kind(std::string_view part) {
  for (const RewardKind& k : kRewardKinds)
    if (k.param == RewardParam::none ? part == k.name : starts_with(part, k.name)) return &k;
  return nullptr;
}

RewardFn make_part(std::string_view where, std::string_view full, std::string part, uint64_t seed) {
  if (starts_with(part, kFlipPrefix)) {
    const size_t us = part.find('_');
    if (us == std::string::npos || us + 1 == part.size()) unknown(where, full);
    const double rate = parse_param(where, full, RewardParam::rate, std::string_view(part).substr(kFlipPrefix.size(), us - kFlipPrefix.size()));
    RewardFn fn = make_part(where, full, part.substr(us + 1), seed);
    const uint64_t fseed = seed ^ kFlipSalt;
    return [fn, rate, fseed](const RewardInput& in) {
      const double r = fn(in);
      return reward_random_uniform(fseed, in.step, in.prompt_id, in.sample) < rate ? 1.0 - r : r;
    };
  }
  bool inverse = false, r1 = false;
  if (starts_with(part, kInversePrefix)) {
    replace_all(part, kInversePrefix, "");
    inverse = true;
  }
  if (ends_with(part, kR1Suffix)) {
    replace_all(part, kR1Suffix, "");
    r1 = true;
  }
  const RewardKind* kind = find_kind(part);
  if (!kind) unknown(where, full);
  const double param =
      kind->param == RewardParam::none ? 0.0 : parse_param(where, full, kind->param, std::string_view(part).substr(kind->name.size()));
  RewardFn fn = kind->make(r1, param, seed);
  if (inverse) return [fn](const RewardInput& in) { return 1.0 - fn(in); };
  return fn;
}

}  // namespace

std::span<const RewardKind> reward_kinds() { return kRewardKinds; }

std::string reward_kind_label(const RewardKind& k) {
  switch (k.param) {
    case RewardParam::none: return std::string(k.name);
    case RewardParam::rate: return std::string(k.name) + "<rate>";
    case RewardParam::value: return std::string(k.name) + "<value>";
  }
  return std::string(k.name);
}

std::vector<std::string> reward_known_names() {
  std::vector<std::string> out;
  for (const RewardKind& k : kRewardKinds) out.push_back(reward_kind_label(k));
  return out;
}

double reward_random_uniform(uint64_t seed, int64_t step, std::string_view prompt_id, int64_t sample) {
  uint64_t x = mix64(seed);
  x = mix64(x ^ static_cast<uint64_t>(step));
  x = mix64(x ^ fnv1a64(prompt_id));
  x = mix64(x ^ static_cast<uint64_t>(sample));
  return unit_from(x);
}

Reward reward_make(std::string_view name, uint64_t seed, std::string_view where) {
  if (name.empty()) unknown(where, name);
  std::vector<RewardFn> parts;
  for (auto part : split(name, kAndSeparator)) {
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
