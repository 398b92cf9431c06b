#include "util/toml_reader.h"

#include <charconv>
#include <cstdio>
#include <cmath>
#include <sstream>

#include "util/error.h"
#include "util/file.h"

namespace rlvr {

toml::table toml_parse_text(std::string_view text, const std::string& source) {
  // Debian's toml++ is built with exceptions: parse() throws toml::parse_error.
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw_input(source + ":" + std::to_string(e.source().begin.line) + ":" + std::to_string(e.source().begin.column),
                std::string(e.description()));
  }
}

toml::table toml_parse_file(const std::string& path) { return toml_parse_text(file_read(path), path); }

TomlReader::TomlReader(const toml::table& t, std::string file, std::string prefix)
    : t_(t), file_(std::move(file)), prefix_(std::move(prefix)) {}

void TomlReader::fail(std::string_view key, std::string_view what) const {
  throw_input(file_, field(key) + ": " + std::string(what));
}

const toml::node* TomlReader::node(std::string_view key) {
  used_.insert(std::string(key));
  return t_.get(key);
}

std::optional<std::string> TomlReader::string_opt(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail(key, "expected a string");
  std::string v = n->as_string()->get();
  if (v.empty()) fail(key, "must not be empty");
  return v;
}

std::optional<std::string> TomlReader::text_opt(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail(key, "expected a string");
  return n->as_string()->get();
}

std::string TomlReader::string_in(std::string_view key, std::initializer_list<std::string_view> allowed) {
  const std::string v = string(key);
  std::string list;
  for (auto a : allowed) {
    if (v == a) return v;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  fail(key, "unknown '" + v + "' (allowed: " + list + ")");
}

std::string TomlReader::string(std::string_view key) {
  auto v = string_opt(key);
  if (!v) fail(key, "missing");
  return *v;
}

std::optional<int64_t> TomlReader::integer_opt(std::string_view key, int64_t lo, int64_t hi) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_integer()) fail(key, "expected an integer");
  int64_t v = n->as_integer()->get();
  if (v < lo || v > hi)
    fail(key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(v));
  return v;
}

int64_t TomlReader::integer(std::string_view key, int64_t lo, int64_t hi) {
  auto v = integer_opt(key, lo, hi);
  if (!v) fail(key, "missing");
  return *v;
}

std::optional<double> TomlReader::number_opt(std::string_view key, double lo, double hi) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  double v;
  if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
  else if (n->is_floating_point()) v = n->as_floating_point()->get();
  else fail(key, "expected a number");
  if (!(v >= lo && v <= hi)) fail(key, "must be in [" + number_text(lo) + ", " + number_text(hi) + "], got " + number_text(v));
  return v;
}

std::optional<double> TomlReader::number_opt(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_number()) fail(key, "expected a number");
  return *n->value<double>();
}

double TomlReader::number(std::string_view key, double lo, double hi) {
  auto v = number_opt(key, lo, hi);
  if (!v) fail(key, "missing");
  return *v;
}

std::optional<bool> TomlReader::boolean_opt(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) fail(key, "expected true or false");
  return n->as_boolean()->get();
}

std::optional<std::vector<int64_t>> TomlReader::integers_opt(std::string_view key, int64_t lo, int64_t hi) {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) fail(key, "expected an array of integers");
  std::vector<int64_t> out;
  for (const auto& e : *n->as_array()) {
    if (!e.is_integer()) fail(key, "expected an array of integers");
    int64_t v = e.as_integer()->get();
    if (v < lo || v > hi)
      fail(key, "element " + std::to_string(v) + " outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    out.push_back(v);
  }
  return out;
}

const toml::table* TomlReader::table_opt(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_table()) fail(key, "expected a table");
  return n->as_table();
}

TomlReader TomlReader::sub(std::string_view key, bool required) {
  static const toml::table kEmpty;
  const toml::table* t = table_opt(key);
  if (!t && required) fail(key, "missing");
  return TomlReader(t ? *t : kEmpty, file_, field(key) + ".");
}

const toml::array* TomlReader::array_opt(std::string_view key) {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (!n->is_array()) fail(key, "expected an array");
  return n->as_array();
}

void TomlReader::finish(std::string_view what) const {
  for (const auto& [k, v] : t_)
    if (!used_.count(k.str())) fail(k.str(), what);
}

std::string number_text(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, p);
}

std::optional<std::string> toml_scalar_text(const toml::node& n) {
  if (n.is_string()) return n.as_string()->get();
  if (n.is_boolean()) return n.as_boolean()->get() ? "true" : "false";
  if (n.is_integer()) return std::to_string(n.as_integer()->get());
  if (n.is_floating_point()) {
    // Keep a float a float ("1.0", not "1"), so the run TOML types it as the suite did.
    std::string t = number_text(n.as_floating_point()->get());
    if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
    return t;
  }
  return std::nullopt;
}

std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

void toml_flatten_set(const toml::table& t, const std::string& file, const std::string& field_prefix,
                      const std::string& key_prefix, std::map<std::string, std::string>& out) {
  for (const auto& [k, v] : t) {
    std::string key = key_prefix + std::string(k.str());
    if (v.is_table()) {
      toml_flatten_set(*v.as_table(), file, field_prefix, key + ".", out);
      continue;
    }
    auto text = toml_scalar_text(v);
    if (!text) throw_input(file, field_prefix + key + ": expected a string, number or boolean");
    out[key] = *text;
  }
}

}  // namespace rlvr
