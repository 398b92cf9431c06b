#include "eval/dataset.h"

#include <nlohmann/json.hpp>
#include <initializer_list>
#include <sstream>
#include <unordered_set>

#include "rewards/strict_grade.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {

namespace {

// The names each field goes by in the files math sets are distributed in, first match wins:
// MATH-500 ("problem", "answer", "unique_id"), GSM8K / AMC ("question"), the paper scripts' data
// ("prompt", "id"), AIME 2024 ("Problem", "Answer", "ID").
constexpr std::initializer_list<const char*> kProblemKeys = {"problem", "question", "prompt", "Problem", "Question"};
constexpr std::initializer_list<const char*> kAnswerKeys = {"answer", "Answer", "final_answer"};
constexpr std::initializer_list<const char*> kSolutionKeys = {"solution", "Solution"};
constexpr std::initializer_list<const char*> kIdKeys = {"unique_id", "id", "ID", "idx"};

const char* first_key(const nlohmann::json& j, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (j.contains(k) && !j[k].is_null()) return k;
  return nullptr;
}

// A string field, or a number's text (answers like 42 or 142.0; ids like 7).
std::string text_of(const nlohmann::json& v, const std::string& where, const char* key, bool numbers) {
  if (v.is_string()) return v.get<std::string>();
  if (numbers && v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (numbers && v.is_number_float()) return v.dump();
  throw_input(where, std::string("field '") + key + "': expected a string");
}

void count(std::map<std::string, int64_t>& m, const std::string& k) { ++m[k]; }

}  // namespace

DatasetReport dataset_load_report(const std::string& path) {
  const std::string text = file_read(path);
  DatasetReport rep;
  rep.path = path;
  // Lines of JSONL, or one JSON array of objects (the paper scripts' test.json files).
  std::vector<std::pair<size_t, nlohmann::json>> rows;
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    auto arr = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!arr.is_array()) throw_input(path, "starts with '[' but is not a JSON array");
    for (size_t i = 0; i < arr.size(); ++i) rows.emplace_back(i + 1, arr[i]);
    rep.format = "json-array";
  } else {
    std::istringstream in(text);
    std::string line;
    for (size_t lineno = 1; std::getline(in, line); ++lineno) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are allowed
      rows.emplace_back(lineno, nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
    }
    rep.format = "jsonl";
  }
  std::unordered_set<std::string> ids;
  for (auto& [lineno, j] : rows) {
    const std::string where = path + ":" + std::to_string(lineno);
    if (!j.is_object()) throw_input(where, rep.format == "jsonl" ? "expected a JSON object" : "element: expected a JSON object");
    DatasetItem it;
    const char* pk = first_key(j, kProblemKeys);
    if (!pk) throw_input(where, "field 'problem': missing (also looked for question, prompt)");
    it.problem = text_of(j[pk], where, pk, /*numbers=*/false);
    if (it.problem.empty()) throw_input(where, std::string("field '") + pk + "': empty");
    count(rep.problem_from, pk);
    if (const char* sk = first_key(j, kSolutionKeys)) it.solution = text_of(j[sk], where, sk, false);
    if (const char* ak = first_key(j, kAnswerKeys)) {
      it.answer = text_of(j[ak], where, ak, /*numbers=*/true);
      count(rep.answer_from, ak);
      if (!j[ak].is_string()) ++rep.numeric_answers;
    } else if (auto boxed = rewards::strict_extract(it.solution); !it.solution.empty() && boxed && !boxed->empty()) {
      it.answer = *boxed;  // the last \boxed{} of the solution, as MATH's own answers were made
      count(rep.answer_from, "solution \\boxed{}");
    } else {
      throw_input(where, "field 'answer': missing (and no solution with a \\boxed{} answer)");
    }
    if (const char* ik = first_key(j, kIdKeys)) {
      it.id = text_of(j[ik], where, ik, /*numbers=*/true);
      if (it.id.empty()) throw_input(where, std::string("field '") + ik + "': empty");
      count(rep.id_from, ik);
    } else {
      it.id = "line" + std::to_string(lineno);  // stable: the file's own order
      count(rep.id_from, "line number");
    }
    if (!ids.insert(it.id).second) throw_input(where, "field 'unique_id': '" + it.id + "' appears twice");
    if (j.contains("subject") && j["subject"].is_string()) it.subject = j["subject"].get<std::string>();
    if (j.contains("level")) {
      const auto& lv = j["level"];
      if (lv.is_number_integer()) it.level = lv.get<int>();
      else if (lv.is_string()) {
        std::string s = lv.get<std::string>();
        auto pos = s.find_first_of("0123456789");
        if (pos == std::string::npos) throw_input(where, "field 'level': expected a number or \"Level N\"");
        it.level = std::stoi(s.substr(pos));
      } else if (!lv.is_null()) {
        throw_input(where, "field 'level': expected a number or \"Level N\"");
      }
    }
    rep.items.push_back(std::move(it));
  }
  if (rep.items.empty()) throw_input(path, "no problems in the file");
  return rep;
}

std::vector<DatasetItem> dataset_load(const std::string& path) { return dataset_load_report(path).items; }

}  // namespace rlvr
