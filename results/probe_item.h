// probe_item.h: one problem of the contamination probe (eval/probe.h), as the probe computes it
// and as the results store keeps it (table probe_items). Torch-free.
#pragma once
#include <cstdint>
#include <string>

namespace rlvr {

struct ProbeItem {
  std::string problem_id;
  int64_t given_tokens = 0, rest_tokens = 0;
  std::string rest, completion;  // the true rest of the problem, and what the model wrote in its place
  bool exact = false;            // completion == rest (both trimmed of surrounding whitespace)
  double rouge_l = 0;            // ROUGE-L F1 of the two, over whitespace-separated words
  bool correct = false;          // the answer reached from the partial problem is right
};

}  // namespace rlvr
