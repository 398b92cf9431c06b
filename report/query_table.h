// query_table.h: a typed result table (what a query returns) and its three printed forms:
// an aligned text table for people, CSV (RFC 4180 quoting) and JSON (an array of objects) for tools.
#pragma once
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace rlvr::report {

// NULL, integer, real or text: SQLite's storage classes (BLOBs are shown as text).
using Value = std::variant<std::monostate, int64_t, double, std::string>;

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

enum class Format { table, csv, json };
// "table" | "csv" | "json"; anything else -> InputError naming `where`.
Format format_parse(const std::string& where, const std::string& s);

// Text of one value: NULL -> "" (CSV) / "NULL" (table); reals with up to 6 significant digits in
// tables and the shortest round-trip form in CSV, so a tool reading the CSV gets the stored double.
std::string value_text(const Value& v, Format f);

// RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled.
std::string csv_field(const std::string& s);

std::string table_render(const Table& t, Format f);

}  // namespace rlvr::report
