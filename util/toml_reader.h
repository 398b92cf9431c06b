// toml_reader.h: the project's one strict TOML reader, used by suites, goldens, zoo specs and run
// configs. Every error is an InputError "FILE: FIELD: what" (FIELD is the dotted path, e.g.
// "overrides.m/r.steps"), syntax errors are "FILE:LINE:COLUMN: what", and unknown fields are
// errors: a misspelled key must never be ignored.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>
#include <initializer_list>

#include <toml++/toml.h>

namespace rlvr {

// Parses a whole TOML file; syntax errors name the file, line and column.
toml::table toml_parse_file(const std::string& path);
// The same for TOML text; `source` names it in errors.
toml::table toml_parse_text(std::string_view text, const std::string& source);

class TomlReader {
 public:
  TomlReader(const toml::table& t, std::string file, std::string prefix = "");

  [[noreturn]] void fail(std::string_view key, std::string_view what) const;
  std::string field(std::string_view key) const { return prefix_ + std::string(key); }
  const std::string& file() const { return file_; }

  bool has(std::string_view key) const { return t_.get(key) != nullptr; }
  const toml::node* node(std::string_view key);  // marks the key used; nullptr when absent

  std::string string(std::string_view key);  // required, non-empty
  std::optional<std::string> string_opt(std::string_view key);
  // Required, one of `allowed`: "unknown 'x' (allowed: a, b)".
  std::string string_in(std::string_view key, std::initializer_list<std::string_view> allowed);
  std::optional<std::string> text_opt(std::string_view key);  // any string, "" included
  int64_t integer(std::string_view key, int64_t lo, int64_t hi);
  std::optional<int64_t> integer_opt(std::string_view key, int64_t lo, int64_t hi);
  double number(std::string_view key, double lo, double hi);  // integer or float
  std::optional<double> number_opt(std::string_view key, double lo, double hi);
  std::optional<double> number_opt(std::string_view key);  // any value, inf and nan included
  std::optional<bool> boolean_opt(std::string_view key);
  std::optional<std::vector<int64_t>> integers_opt(std::string_view key, int64_t lo, int64_t hi);
  const toml::table* table_opt(std::string_view key);
  // A reader of the sub-table `key` ("size.layers" in errors); an absent optional table reads as
  // empty, an absent required one is "KEY: missing".
  TomlReader sub(std::string_view key, bool required);
  const toml::array* array_opt(std::string_view key);

  // Every key not read yet is an error: "KEY: unknown field" (or `what`).
  void finish(std::string_view what = "unknown field") const;

 private:
  const toml::table& t_;
  std::string file_, prefix_;
  std::set<std::string, std::less<>> used_;
};

// A table of run-config overrides -> flat dotted keys ("train.lr" -> "1e-05"). Nested tables are
// flattened; values are written as on a `--set key=value` command line (strings unquoted).
// Arrays and dates are rejected: the trainer's --set cannot carry them either.
void toml_flatten_set(const toml::table& t, const std::string& file, const std::string& field_prefix,
                      const std::string& key_prefix, std::map<std::string, std::string>& out);

// The text a scalar TOML value gets in a flat override ("true", "3", "0.5", "abc").
std::optional<std::string> toml_scalar_text(const toml::node& n);

// A TOML basic string literal with escapes ("a \"b\"").
std::string toml_quote(std::string_view s);

// Shortest text that reads back as the same double ("0.1", "1e-05", "3").
std::string number_text(double v);

}  // namespace rlvr
