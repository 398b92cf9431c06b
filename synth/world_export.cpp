#include "synth/world_export.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "synth/world_render.h"

namespace rlvr::synth {

int problem_level(const Problem& p) {
  constexpr int kMaxLevel = 5;  // MATH's scale
  return std::clamp(static_cast<int>(p.steps.size()) - 1, 1, kMaxLevel);
}

std::string problem_unique_id(const Problem& p) {
  return "synth/" + std::string(split_name(p.split)) + "/" + std::to_string(p.seed) + "/" + std::to_string(p.index) +
         ".json";
}

std::string problem_jsonl(const Problem& p) {
  nlohmann::ordered_json j;  // MATH-500's field order
  j["problem"] = problem_text(p);
  j["solution"] = solution_gold(p);
  j["answer"] = std::to_string(p.answer);
  j["subject"] = kSubject;
  j["level"] = problem_level(p);
  j["unique_id"] = problem_unique_id(p);
  return j.dump();
}

std::string world_export_jsonl(uint64_t seed, Split split, size_t n, const WorldKnobs& knobs) {
  std::string out;
  for (const Problem& p : world_problems_distinct(seed, split, n, knobs)) {
    out += problem_jsonl(p);
    out += '\n';
  }
  return out;
}

}  // namespace rlvr::synth
