// suite_render.cpp: a cell as --set arguments or a run TOML, a suite as a CMake script or JSON.
#include <cerrno>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include <nlohmann/json.hpp>

#include "suites/suite.h"
#include "util/toml_reader.h"
#include "util/error.h"

namespace rlvr {

namespace {

// The typing rule of a `--set key=value`: boolean, integer or float literal as written, else a
// quoted string.
std::string typed_literal(const std::string& v) {
  if (v == "true" || v == "false") return v;
  int64_t i = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), i);
  if (!v.empty() && ec == std::errc() && p == v.data() + v.size()) return std::to_string(i);
  char* end = nullptr;
  errno = 0;
  double d = v.empty() ? 0 : std::strtod(v.c_str(), &end);
  if (!v.empty() && end == v.c_str() + v.size() && errno == 0 && std::isfinite(d) &&
      v.find_first_of(".eE") != std::string::npos) {
    std::string t = number_text(d);
    if (t.find_first_of(".eE") == std::string::npos) t += ".0";
    return t;
  }
  return toml_quote(v);
}

// A dotted key part as a TOML key: bare when it can be, quoted otherwise.
std::string key_part(const std::string& k) {
  bool bare = !k.empty();
  for (char c : k) bare &= std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  return bare ? k : toml_quote(k);
}

std::string key_path(const std::string& dotted) {
  std::string out;
  size_t start = 0;
  for (size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
    out += key_part(dotted.substr(start, dot - start)) + ".";
  return out + key_part(dotted.substr(start));
}

std::string bracket(const std::string& s) { return "[==[" + s + "]==]"; }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += " " + x;
  return out;
}

}  // namespace

std::vector<std::string> suite_cell_set_args(const SuiteCell& cell) {
  std::vector<std::string> out;
  for (const auto& [k, v] : cell.set) out.push_back(k + "=" + v);
  return out;
}

std::string suite_cell_run_toml(const SuiteCell& cell) {
  // Group keys by table (everything before the last dot); a key that is also a table prefix of
  // another key ("train" and "train.lr") cannot be written as TOML.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> tables;
  for (const auto& [key, value] : cell.set) {
    for (const auto& [other, v2] : cell.set)
      if (other.size() > key.size() && other.compare(0, key.size() + 1, key + ".") == 0)
        throw_input(cell.name, key + ": is a value and also the table of '" + other + "'");
    size_t dot = key.rfind('.');
    tables[dot == std::string::npos ? "" : key.substr(0, dot)].emplace_back(
        dot == std::string::npos ? key : key.substr(dot + 1), value);
  }
  std::string out = "# " + cell.name + " (generated from suite '" + cell.suite + "')\n";
  for (const auto& [table, kv] : tables) {
    if (!table.empty()) out += "\n[" + key_path(table) + "]\n";
    for (const auto& [k, v] : kv) out += key_part(k) + " = " + typed_literal(v) + "\n";
  }
  return out;
}

std::string suite_render_cmake(const Suite& s) {
  std::ostringstream os;
  os << "# Generated from " << s.info.path << " by the suite lister; do not edit.\n";
  os << "rlvr_suite(NAME " << s.info.name << " FILE " << bracket(s.info.path) << " DEVICE " << s.info.device
     << " ZOO " << (s.info.zoo ? "ON" : "OFF") << " GOLDEN " << bracket(s.info.golden) << " MODELS"
     << join(s.info.models) << ")\n";
  for (const auto& c : s.cells)
    os << "rlvr_suite_cell(SUITE " << c.suite << " NAME " << c.name << " MODEL " << c.model << " FAMILY " << c.family
       << " REWARD " << c.reward << " SEED " << c.seed << " STEPS " << c.steps << " TIMEOUT " << number_text(c.timeout_s)
       << " GPU " << (c.gpu ? "ON" : "OFF") << " RANKS " << c.ranks << " LABELS" << join(c.labels) << ")\n";
  if (!s.info.ci_power_mutants.empty()) {
    std::vector<std::string> seeds;
    for (int64_t x : s.info.ci_power_seeds) seeds.push_back(std::to_string(x));
    os << "rlvr_suite_power(SUITE " << s.info.name << " MUTANTS" << join(s.info.ci_power_mutants) << " SEEDS" << join(seeds) << ")\n";
  }
  return os.str();
}

std::string suite_render_json(const Suite& s) {
  nlohmann::json j;
  j["suite"] = {{"name", s.info.name},       {"path", s.info.path},     {"description", s.info.description},
                {"device", s.info.device},   {"zoo", s.info.zoo},       {"golden", s.info.golden},
                {"models", s.info.models},   {"seeds", s.info.seeds}};
  j["cells"] = nlohmann::json::array();
  for (const auto& c : s.cells)
    j["cells"].push_back({{"name", c.name},       {"suite", c.suite},   {"cell", c.cell},       {"model", c.model},
                          {"family", c.family},   {"reward", c.reward}, {"seed", c.seed},       {"steps", c.steps},
                          {"dataset", c.dataset}, {"set", c.set},       {"labels", c.labels},   {"timeout_s", c.timeout_s},
                          {"gpu", c.gpu},         {"ranks", c.ranks},   {"runner", c.runner}});
  j["contrasts"] = nlohmann::json::array();
  for (const auto& [a, b] : s.info.contrasts) j["contrasts"].push_back({{"cell", a}, {"minus", b}});
  j["mutants"] = nlohmann::json::array();
  for (const auto& m : s.mutants)
    j["mutants"].push_back({{"name", m.name}, {"description", m.description}, {"cells", m.cells}, {"set", m.set},
                            {"breaks", m.breaks}, {"expect", m.expect_caught ? "caught" : "missed"}});
  return j.dump(2) + "\n";
}

}  // namespace rlvr
