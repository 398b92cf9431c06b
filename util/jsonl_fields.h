// jsonl_fields.h: reading one JSONL object per stdin line with errors that name the line and field
// ("stdin:3: gold: expected a JSON string"), shared by `rlvrbench grade` and `rlvrbench reward`.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "util/error.h"

namespace rlvr {

inline nlohmann::json jsonl_object(const std::string& line, const std::string& where) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw_input(where, "not valid JSON");
  if (!j.is_object()) throw_input(where, "expected a JSON object");
  return j;
}

inline const std::string& jsonl_string(const nlohmann::json& j, const char* field, const std::string& where) {
  auto it = j.find(field);
  if (it == j.end()) throw_input(where, std::string(field) + ": missing");
  if (!it->is_string()) throw_input(where, std::string(field) + ": expected a JSON string");
  return it->get_ref<const std::string&>();
}

inline int64_t jsonl_int(const nlohmann::json& j, const char* field, const std::string& where) {
  auto it = j.find(field);
  if (it == j.end()) throw_input(where, std::string(field) + ": missing");
  if (!it->is_number_integer()) throw_input(where, std::string(field) + ": expected an integer");
  return it->get<int64_t>();
}

// Output lines stay valid JSON even if a string holds invalid UTF-8 (replaced by U+FFFD).
inline std::string jsonl_dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace rlvr
