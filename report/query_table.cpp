#include "report/query_table.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "util/error.h"

namespace rlvr::report {

namespace {

std::string shortest(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

// Display width in characters: UTF-8 continuation bytes take no column of their own.
size_t width(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// One table cell on one line: newlines and tabs would break the alignment.
std::string flat(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return s;
}

}  // namespace

Format format_parse(const std::string& where, const std::string& s) {
  if (s == "table") return Format::table;
  if (s == "csv") return Format::csv;
  if (s == "json") return Format::json;
  throw_input(where, "expected 'table', 'csv' or 'json', got '" + s + "'");
}

std::string value_text(const Value& v, Format f) {
  if (std::holds_alternative<std::monostate>(v)) return f == Format::table ? "NULL" : "";
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return "NaN";
    if (f != Format::table) return shortest(*d);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", *d);
    return buf;
  }
  return std::get<std::string>(v);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string table_render(const Table& t, Format f) {
  std::string out;
  if (f == Format::json) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& row : t.rows) {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (size_t c = 0; c < t.columns.size(); ++c) {
        const Value& v = row[c];
        if (auto* i = std::get_if<int64_t>(&v)) o[t.columns[c]] = *i;
        else if (auto* d = std::get_if<double>(&v)) o[t.columns[c]] = std::isfinite(*d) ? nlohmann::ordered_json(*d) : nullptr;
        else if (auto* s = std::get_if<std::string>(&v)) o[t.columns[c]] = *s;
        else o[t.columns[c]] = nullptr;
      }
      arr.push_back(std::move(o));
    }
    // Invalid UTF-8 in a stored string is replaced rather than aborting the whole answer.
    return arr.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  }
  if (f == Format::csv) {
    auto emit = [&](const std::vector<std::string>& cells) {
      for (size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + csv_field(cells[c]);
      out += "\n";
    };
    emit(t.columns);
    for (const auto& row : t.rows) {
      std::vector<std::string> cells;
      for (const Value& v : row) cells.push_back(value_text(v, f));
      emit(cells);
    }
    return out;
  }
  // Aligned table: numbers right-aligned, text left-aligned, a dashed rule under the header.
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> w(t.columns.size());
  for (size_t c = 0; c < t.columns.size(); ++c) w[c] = width(t.columns[c]);
  for (const auto& row : t.rows) {
    cells.emplace_back();
    for (size_t c = 0; c < row.size(); ++c) {
      cells.back().push_back(flat(value_text(row[c], f)));
      w[c] = std::max(w[c], width(cells.back().back()));
    }
  }
  auto pad = [](const std::string& s, size_t n, bool right) {
    std::string sp(n > width(s) ? n - width(s) : 0, ' ');
    return right ? sp + s : s + sp;
  };
  auto emit = [&](const std::vector<std::string>& r, const std::vector<Value>* vals) {
    std::string line;
    for (size_t c = 0; c < r.size(); ++c) {
      bool num = vals && (std::holds_alternative<int64_t>((*vals)[c]) || std::holds_alternative<double>((*vals)[c]));
      line += (c ? "  " : "") + pad(r[c], w[c], num);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  emit(t.columns, nullptr);
  std::vector<std::string> rule;
  for (size_t n : w) rule.push_back(std::string(n, '-'));
  emit(rule, nullptr);
  for (size_t i = 0; i < cells.size(); ++i) emit(cells[i], &t.rows[i]);
  out += "(" + std::to_string(t.rows.size()) + (t.rows.size() == 1 ? " row)\n" : " rows)\n");
  return out;
}

}  // namespace rlvr::report
