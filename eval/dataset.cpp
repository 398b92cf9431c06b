#include "eval/dataset.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "util/error.h"
#include "util/file.h"

namespace rlvr {

std::vector<DatasetItem> dataset_load(const std::string& path) {
  std::istringstream in(file_read(path));
  std::vector<DatasetItem> out;
  std::unordered_set<std::string> ids;
  std::string line;
  for (size_t lineno = 1; std::getline(in, line); ++lineno) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are allowed
    std::string where = path + ":" + std::to_string(lineno);
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) throw_input(where, "expected a JSON object");
    auto str = [&](const char* key, bool required) -> std::string {
      if (!j.contains(key)) {
        if (required) throw_input(where, std::string("field '") + key + "': missing");
        return "";
      }
      const auto& v = j[key];
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number_integer() && std::string(key) != "problem") return std::to_string(v.get<int64_t>());  // answers like 42
      throw_input(where, std::string("field '") + key + "': expected a string");
    };
    DatasetItem it;
    it.problem = str("problem", true);
    if (it.problem.empty()) throw_input(where, "field 'problem': empty");
    it.answer = str("answer", true);
    it.id = str("unique_id", true);
    if (it.id.empty()) throw_input(where, "field 'unique_id': empty");
    if (!ids.insert(it.id).second) throw_input(where, "field 'unique_id': '" + it.id + "' appears twice");
    it.solution = str("solution", false);
    it.subject = str("subject", false);
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
    out.push_back(std::move(it));
  }
  if (out.empty()) throw_input(path, "no problems in the file");
  return out;
}

}  // namespace rlvr
