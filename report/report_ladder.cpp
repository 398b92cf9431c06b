// report_ladder.cpp: power curves of the mutant ladders (report_ladder.h).
#include "report/report_ladder.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "golden/text.h"
#include "report/svg_plot.h"
#include "util/error.h"
#include "util/jsonl_fields.h"
#include "util/file.h"

namespace rlvr::report {

namespace {

const nlohmann::json& field(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) throw_input(where, std::string(key) + ": missing");
  return *it;
}

int64_t count_field(const nlohmann::json& j, const char* key, const std::string& where) {
  const int64_t v = jsonl_int(j, key, where);
  if (v < 0) throw_input(where, std::string(key) + ": expected a count");
  return v;
}

}  // namespace

LadderView ladder_view_load(const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(file_read(path), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) throw_input(path, "not a JSON object (expected `rlvrbench power --format json`)");
  LadderView v;
  v.path = path;
  v.suite = jsonl_string(j, "suite", path);
  if (j.contains("group")) v.group = count_field(j, "group", path);
  const auto& seeds = field(j, "seeds", path);
  if (!seeds.is_array()) throw_input(path, "seeds: expected an array of seeds");
  for (const auto& s : seeds) {
    if (!s.is_number_integer()) throw_input(path, "seeds: expected an array of seeds");
    v.seeds.push_back(s.get<int64_t>());
  }
  const auto& mutants = field(j, "mutants", path);
  if (!mutants.is_array()) throw_input(path, "mutants: expected an array");
  for (size_t i = 0; i < mutants.size(); ++i) {
    const std::string where = path + ": mutants[" + std::to_string(i) + "]";
    const auto& m = mutants[i];
    if (!m.is_object()) throw_input(where, "expected an object");
    const std::string& ladder = jsonl_string(m, "ladder", where);
    if (ladder.empty()) continue;  // not a rung
    const auto& rung = field(m, "rung", where);
    if (!rung.is_number()) throw_input(where, "rung: expected a number");
    LadderRung r{jsonl_string(m, "name", where), rung.get<double>(), count_field(m, "caught", where), count_field(m, "seeds_run", where)};
    if (r.caught > r.runs) throw_input(where, "caught: more than seeds_run");
    auto it = std::find_if(v.ladders.begin(), v.ladders.end(), [&](const Ladder& l) { return l.name == ladder; });
    if (it == v.ladders.end()) it = v.ladders.insert(v.ladders.end(), Ladder{ladder, {}});
    it->rungs.push_back(r);
  }
  if (v.ladders.empty()) throw_input(path, "mutants: no ladder rung (a [[mutant]] with ladder = ...): nothing to draw");
  for (Ladder& l : v.ladders)
    std::sort(l.rungs.begin(), l.rungs.end(), [](const LadderRung& a, const LadderRung& b) { return a.rung < b.rung; });
  return v;
}

Figure ladder_figure(const LadderView& v) {
  LineFigure f;
  const std::string unit = v.group > 1 ? "runs of " + std::to_string(v.group) + " seeds" : "seeds";
  f.title = "Mutant ladders: share of " + unit + " that caught each rung (" + v.suite + ")";
  f.caption = "from " + v.path + "; one panel per ladder, x: the rung's size (its fault), y: caught (%)";
  f.xlabel = "rung";
  f.ylabel = "caught (%)";
  f.ymin = 0;
  f.ymax = 100;
  f.columns = std::min<int>(3, static_cast<int>(v.ladders.size()));
  for (const Ladder& l : v.ladders) {
    Series s{"#0072b2", 2.0, 1.0, false, l.name, {}};
    for (const LadderRung& r : l.rungs)
      s.points.push_back({r.rung, r.runs > 0 ? std::optional<double>(100.0 * static_cast<double>(r.caught) / static_cast<double>(r.runs))
                                             : std::nullopt});
    f.panels.push_back({l.name, {s}, ""});
  }
  return {"fig-6-ladders", f.title, line_figure_svg(f)};
}

std::string ladder_table_html(const LadderView& v) {
  std::string h = "<table>\n<tr><th>ladder</th><th>rung</th><th>mutant</th><th>caught</th></tr>\n";
  for (const Ladder& l : v.ladders)
    for (const LadderRung& r : l.rungs)
      h += "<tr><td>" + xml_escape(l.name) + "</td><td>" + xml_escape(fmt("%g", r.rung)) + "</td><td>" + xml_escape(r.mutant) +
           "</td><td>" + std::to_string(r.caught) + " / " + std::to_string(r.runs) + "</td></tr>\n";
  return h + "</table>\n";
}

}  // namespace rlvr::report
