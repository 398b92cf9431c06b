#include "golden/update.h"

#include <algorithm>
#include <cmath>

#include "golden/measure.h"

namespace rlvr {

namespace {

double round4(double v) { return std::round(v * 1e4) / 1e4; }
double ceil4(double v) { return std::ceil(v * 1e4 - 1e-9) / 1e4; }

const GoldenEntry* find_old(const std::optional<Golden>& old, const GoldenEntry& e) {
  if (!old) return nullptr;
  for (const auto& o : old->entries)
    if (o.model == e.model && o.reward == e.reward && o.metric == e.metric && o.step == e.step && o.dataset == e.dataset)
      return &o;
  return nullptr;
}

}  // namespace

GoldenUpdate golden_update(Store& st, const Suite& suite, const std::optional<Golden>& old,
                           const std::string& golden_path, const std::string& platform, const std::string& date) {
  st.runs_reap_stale();
  GoldenUpdate u;
  Golden& g = u.golden;
  g.path = golden_path;
  g.suite = suite.info.name;
  g.dataset = suite.cells.front().dataset;
  GoldenProvenance& p = g.provenance;
  p.source = "measured";
  p.date = date;
  p.seeds = suite.info.seeds;
  p.statistic = kGoldenStatistic;
  p.statistic_version = kGoldenStatisticVersion;
  std::vector<std::string> commits, devices;
  std::vector<std::string> done;
  for (const auto& c : suite.cells) {
    if (std::find(done.begin(), done.end(), c.cell) != done.end() || c.steps < 1) continue;
    done.push_back(c.cell);
    for (const char* metric : kGoldenMetrics) {
      GoldenEntry e;
      e.model = c.model;
      e.reward = c.reward;
      e.metric = metric;
      e.dataset = c.dataset;
      e.step = c.steps;
      Measurement m = measure_cell(st, suite, c.cell, metric, c.steps, c.dataset);
      if (m.state != Measurement::State::ok) {
        u.unmeasured.push_back(c.cell + " " + metric + ": " + m.note);
        if (const GoldenEntry* o = find_old(old, e)) g.entries.push_back(*o);
        continue;
      }
      for (const auto& s : m.commits)
        if (std::find(commits.begin(), commits.end(), s) == commits.end()) commits.push_back(s);
      for (const auto& s : m.devices)
        if (std::find(devices.begin(), devices.end(), s) == devices.end()) devices.push_back(s);
      e.baseline = round4(m.baseline);
      e.gain = round4(m.gain);
      // The band is the half-width of the measured 95% interval: the golden claims what this
      // measurement showed, no more precisely than it showed it.
      e.band = std::max(kMinBand, ceil4(m.crit * m.se));
      e.measured = {{"seeds", static_cast<double>(m.seeds.size())}, {"problems", static_cast<double>(m.problems)},
                    {"final", round4(m.final_value)},                {"se", ceil4(m.se)},
                    {"se_problems", ceil4(m.se_problems)},           {"se_floor", ceil4(m.se_floor)},
                    {"mcnemar_midp", m.mcnemar_p}};
      if (!std::isnan(m.sd_seeds)) e.measured["sd_seeds"] = ceil4(m.sd_seeds);
      g.entries.push_back(std::move(e));
    }
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s.empty() ? std::string("unknown") : s;
  };
  p.commit = join(commits);
  p.platform = platform + "; devices: " + join(devices);
  return u;
}

}  // namespace rlvr
