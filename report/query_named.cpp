#include "report/query_named.h"

#include "report/decompose.h"
#include "results/metric.h"
#include "util/error.h"

namespace rlvr::report {

namespace {

// The latest run per (suite, cell, seed) counts, as in `compare` and the report.
// Mutant runs (`rlvrbench power`) are their own rows: grouped apart, never mixed into a cell's real runs.
constexpr const char* kLatest = "latest AS (SELECT MAX(id) AS run FROM runs GROUP BY suite, cell, seed, mutant)";

constexpr const char* kCells = R"sql(
SELECT suite, cell, model, reward, mutant,
       (SELECT group_concat(seed, ',') FROM (SELECT DISTINCT seed FROM runs s
          WHERE s.suite = r.suite AND s.cell = r.cell AND s.mutant = r.mutant ORDER BY seed)) AS seeds,
       COUNT(*) AS runs,
       SUM(status = 'finished') AS finished, SUM(status = 'running') AS running,
       SUM(status = 'failed') AS failed, SUM(status = 'killed') AS killed,
       (SELECT MAX(e.step) FROM evals e JOIN runs s ON s.id = e.run
          WHERE s.suite = r.suite AND s.cell = r.cell AND s.mutant = r.mutant) AS last_eval_step
FROM runs r GROUP BY suite, cell, model, reward, mutant ORDER BY suite, cell, mutant)sql";

constexpr const char* kRuns = R"sql(
SELECT id AS run, suite, cell, model, reward, seed, mutant, status, fail_step, fail_reason, git_commit,
       libtorch_version, device, threads, host, started_at, ended_at
FROM runs ORDER BY id)sql";

std::string gains_sql() {
  return std::string("WITH ") + kLatest + R"sql(
SELECT g.suite, g.cell, g.model, g.reward, g.mutant, g.dataset, COUNT(*) AS n_seeds,
       group_concat(g.seed, ',') AS seeds, MAX(g.final_step) AS final_step,
       AVG(g.accuracy_step0) AS accuracy_step0, AVG(g.final_accuracy) AS final_accuracy,
       AVG(g.gain) AS mean_gain,
       CASE WHEN COUNT(*) > 1 THEN sqrt(MAX(0.0, (SUM(g.gain * g.gain) - SUM(g.gain) * SUM(g.gain) / COUNT(*))
                                            / (COUNT(*) - 1))) END AS sd_gain
FROM (SELECT * FROM cell_gain JOIN latest USING (run) WHERE status = 'finished' ORDER BY seed) g
GROUP BY g.suite, g.cell, g.model, g.reward, g.mutant, g.dataset ORDER BY g.suite, g.cell, g.mutant, g.dataset)sql";
}

std::string list(const Table& t) {
  std::string s;
  for (const auto& row : t.rows) s += (s.empty() ? "" : ", ") + value_text(row[0], Format::csv);
  return s.empty() ? "none" : s;
}

Table curves(ReadOnlyDb& db, const QueryArgs& a) {
  if (a.cell.empty()) throw_input("--cell", "the curves query needs --cell NAME (see `rlvrbench query cells`)");
  if (db.query("SELECT COUNT(*) FROM runs WHERE cell = ?1", {a.cell}).rows[0][0] == Value{int64_t{0}})
    throw_input("--cell", "no runs of cell '" + a.cell + "' (cells: " +
                              list(db.query("SELECT DISTINCT cell FROM runs ORDER BY cell")) + ")");
  Table t = db.query(R"sql(
SELECT r.suite, r.cell, r.seed, r.id AS run, r.status, 'eval ' || e.dataset AS source, e.step, e.value
FROM runs r JOIN evals e ON e.run = r.id WHERE r.cell = ?1 AND e.metric = ?2
UNION ALL
SELECT r.suite, r.cell, r.seed, r.id, r.status, 'train', m.step, m.value
FROM runs r JOIN step_metrics m ON m.run = r.id WHERE r.cell = ?1 AND m.key = ?2
ORDER BY 1, 6, 3, 4, 7)sql",
                     {a.cell, a.metric}, "curves");
  t.columns.back() = a.metric;
  if (t.rows.empty())
    throw_input("--metric", "cell '" + a.cell + "' has no '" + a.metric + "' (eval metrics: " +
                                list(db.query("SELECT DISTINCT metric FROM evals JOIN runs ON runs.id = evals.run "
                                              "WHERE cell = ?1 ORDER BY 1", {a.cell})) +
                                "; step metrics: " +
                                list(db.query("SELECT DISTINCT key FROM step_metrics JOIN runs ON runs.id = "
                                              "step_metrics.run WHERE cell = ?1 ORDER BY 1", {a.cell})) + ")");
  return t;
}

// The registry itself: what every key in step_metrics and evals means.
Table metrics_table() {
  Table t;
  t.columns = {"metric", "eval", "step", "claim", "log_scale", "timing", "averaged", "what"};
  for (const MetricInfo& m : kMetrics)
    t.rows.push_back({std::string(m.name), int64_t{(m.where & kInEval) != 0}, int64_t{(m.where & kInStep) != 0},
                      std::string(enum_name(m.claim)), int64_t{m.log_scale}, int64_t{m.timing},
                      std::string(enum_name(m.averaged)), std::string(m.what)});
  return t;
}

}  // namespace

const std::vector<NamedQuery>& named_queries() {
  static const std::vector<NamedQuery> q = {
      {"cells", "one row per suite cell: seeds, runs by status, last eval step"},
      {"curves", "one cell's curve of --metric (default accuracy; eval metric or step metric) per seed and step; needs --cell"},
      {"decompose", "per cell and dataset: accuracy change = strategy shift x gap + change within each strategy, with 95% intervals"},
      {"gains", "per cell and dataset: mean accuracy at step 0 and at the last eval, mean and sd of the gain over finished seeds"},
      {"metrics", "the metric registry (results/metric.h): each name, where it is logged, what a claim may say of it, log scale, timing, how it is averaged"},
      {"runs", "one row per run: status, failure, provenance (commit, LibTorch, device, threads, host, times)"},
      {"verdicts", "the golden's claims judged against the database (needs --golden G.toml --suite S.toml)"},
  };
  return q;
}

Table verdict_table(const GoldenView& g) {
  Table t;
  t.columns = {"cell", "metric", "kind", "claim", "dataset", "step", "claimed_gain", "band", "gain", "lo", "hi", "t", "p",
               "seeds", "verdict", "note"};
  auto opt = [](const std::optional<double>& v) { return v ? Value{*v} : Value{}; };
  for (const VerdictRow& r : g.rows)
    t.rows.push_back({r.claim.cell, r.claim.metric, r.claim.kind, r.claim.label, r.claim.dataset, r.claim.step, r.claim.gain,
                      r.claim.band, opt(r.gain), opt(r.lo), opt(r.hi), opt(r.t), opt(r.p), r.seeds, r.verdict, r.note});
  return t;
}

Table query_named(ReadOnlyDb& db, const std::string& name, const QueryArgs& args) {
  if (name == "cells") return db.query(kCells);
  if (name == "runs") return db.query(kRuns);
  if (name == "gains") return db.query(gains_sql());
  if (name == "metrics") return metrics_table();
  if (name == "curves") return curves(db, args);
  if (name == "decompose") return decompose_table(decompose_load(db, args.cell, args.seeds));
  if (name == "verdicts") {
    if (!args.golden) throw_input("verdicts", "needs a golden: --golden golden/SUITE.toml --suite suites/SUITE.toml");
    return verdict_table(*args.golden);
  }
  std::string names;
  for (const NamedQuery& q : named_queries()) names += (names.empty() ? "" : ", ") + std::string(q.name);
  throw_input("query", "unknown query '" + name + "' (named queries: " + names + "; or --sql SQL)");
}

}  // namespace rlvr::report
