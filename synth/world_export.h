// world_export.h: problems as JSONL in the MATH-500 schema, so the evaluation path for real
// datasets (eval/) reads the synthetic world too:
//   {"problem": "Compute $3 + 4$.", "solution": "...\\boxed{7}...", "answer": "7",
//    "subject": "Arithmetic", "level": 1, "unique_id": "synth/eval/5/17.json"}
#pragma once
#include <cstdint>
#include <string>

#include "synth/world_problem.h"

namespace rlvr::synth {

inline constexpr const char* kSubject = "Arithmetic";

// MATH's difficulty level 1..5 from the number of steps (2 steps -> 1, ..., 6+ steps -> 5).
int problem_level(const Problem& p);
// "synth/SPLIT/SEED/INDEX.json": stable, and unique across seeds and splits.
std::string problem_unique_id(const Problem& p);
// One JSON object (no newline) with exactly the six MATH-500 fields.
std::string problem_jsonl(const Problem& p);
// The first n distinct problems of the split, one line each.
std::string world_export_jsonl(uint64_t seed, Split split, size_t n, const WorldKnobs& knobs);

}  // namespace rlvr::synth
