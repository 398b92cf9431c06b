// dataset.h: evaluation/training problems as JSONL in the MATH-500 schema
// ({"problem", "answer", "unique_id", "solution", "subject", "level"}; the synthetic world exports
// the same), or in the forms other math sets are distributed in: the problem as "question" or
// "prompt", the answer as an integer or float, or only as the last \boxed{} of "solution", the id
// as "id" (or the line number), and a JSON array of such objects (the paper scripts' test.json).
// `rlvrbench data check FILE` says which form a file is in. Torch-free.
#pragma once
#include <cstdint>
#include <map>
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

// The same, with what was found where: which field gave each problem, answer and id (counts).
struct DatasetReport {
  std::string path, format;  // format: "jsonl" | "json-array"
  std::vector<DatasetItem> items;
  std::map<std::string, int64_t> problem_from, answer_from, id_from;
  int64_t numeric_answers = 0;  // answers given as JSON numbers
};
DatasetReport dataset_load_report(const std::string& path);

}  // namespace rlvr
