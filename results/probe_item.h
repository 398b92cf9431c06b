// probe_item.h: one problem of the contamination probe (eval/probe.h), as the probe computes it
// and as the results store keeps it (table probe_items). Torch-free.
#pragma once
#include <cstdint>
#include <string>

namespace rlvr {

// Metric names of a probe's means in `evals` (the probe_results view reads them).
inline constexpr const char* kMetricProbeExactMatch = "probe_exact_match";
inline constexpr const char* kMetricProbeRougeL = "probe_rouge_l";
inline constexpr const char* kMetricProbeAccuracy = "probe_accuracy";
inline constexpr const char* kMetricProbeProblems = "probe_problems";

struct ProbeItem {
  std::string problem_id;
  int64_t given_tokens = 0, rest_tokens = 0;
  std::string rest, completion;  // the true rest of the problem, and what the model wrote in its place
  bool exact = false;            // completion == rest (both trimmed of surrounding whitespace)
  double rouge_l = 0;            // ROUGE-L F1 of the two, over whitespace-separated words
  bool correct = false;          // the answer reached from the partial problem is right
};

}  // namespace rlvr
