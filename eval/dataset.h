// dataset.h: evaluation/training problems as JSONL in the MATH-500 schema
// ({"problem", "answer", "unique_id", "solution", "subject", "level"}; the synthetic world exports
// the same). Torch-free.
#pragma once
#include <string>
#include <vector>

namespace rlvr {

struct DatasetItem {
  std::string id;        // unique_id (required, unique within the file)
  std::string problem;   // required, non-empty
  std::string answer;    // required (the gold label)
  std::string solution, subject;
  int level = 0;         // "Level 3" or 3; 0 when absent
};

// InputError "FILE:LINE: field 'answer': missing" on any malformed line or duplicate id.
std::vector<DatasetItem> dataset_load(const std::string& path);

}  // namespace rlvr
