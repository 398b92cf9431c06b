// store_query.cpp: the reads compare, report and query need.
#include <cmath>
#include <string>

#include "results/store.h"
#include "util/error.h"

namespace rlvr {

namespace {

constexpr const char* kRunColumns =
    "id, suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device, threads, host,"
    " status, fail_step, fail_reason, pid, started_at, ended_at, mutant";

RunRow run_from_row(const Stmt& s, const std::string& db_path) {
  RunRow r;
  r.id = s.get_int(0);
  r.info.suite = s.get_text(1);
  r.info.cell = s.get_text(2);
  r.info.model = s.get_text(3);
  r.info.reward = s.get_text(4);
  r.info.seed = s.get_int(5);
  r.info.config_toml = s.get_text(6);
  r.info.git_commit = s.get_text(7);
  r.info.libtorch_version = s.get_text(8);
  r.info.device = s.get_text(9);
  r.info.threads = s.get_int(10);
  r.info.host = s.get_text(11);
  const std::string status = s.get_text(12);
  auto st = enum_parse<RunStatus>(status);
  if (!st) throw_input(db_path, "runs.status: unknown '" + status + "' in run " + std::to_string(r.id));
  r.status = *st;
  r.fail_step = s.get_opt_int(13);
  r.fail_reason = s.get_opt_text(14);
  r.pid = s.get_opt_int(15);
  r.started_at = s.get_text(16);
  r.ended_at = s.get_opt_text(17);
  r.info.mutant = s.get_text(18);
  return r;
}

std::optional<bool> opt_bool(const Stmt& s, int col) {
  auto v = s.get_opt_int(col);
  if (!v) return std::nullopt;
  return *v != 0;
}

std::vector<CurvePoint> curve(Stmt& s) {
  std::vector<CurvePoint> out;
  while (s.step()) out.push_back({s.get_int(0), s.get_opt_double(1)});
  return out;
}

}  // namespace

std::optional<RunRow> Store::run_get(int64_t run) {
  Stmt s = db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?1");
  s.bind(1, run);
  if (!s.step()) return std::nullopt;
  RunRow r = run_from_row(s, db_.path());
  run_read_stale(r);
  return r;
}

std::vector<RunRow> Store::runs_find(const RunFilter& f) {
  // "?N IS NULL OR col = ?N": one statement for every combination of filters.
  Stmt s = db_.prepare(std::string("SELECT ") + kRunColumns +
                       " FROM runs WHERE (?1 IS NULL OR suite = ?1) AND (?2 IS NULL OR cell = ?2)"
                       " AND (?3 IS NULL OR model = ?3) AND (?4 IS NULL OR reward = ?4)"
                       " AND (?5 IS NULL OR seed = ?5) AND (?6 IS NULL OR mutant = ?6) ORDER BY id");
  s.bind(1, f.suite).bind(2, f.cell).bind(3, f.model).bind(4, f.reward).bind(5, f.seed).bind(6, f.mutant);
  std::vector<RunRow> out;
  while (s.step()) {
    RunRow r = run_from_row(s, db_.path());
    run_read_stale(r);  // before the status filter: a stale 'running' row is a killed one
    if (!f.status || r.status == *f.status) out.push_back(std::move(r));
  }
  return out;
}

std::map<std::string, std::string> Store::run_params_get(int64_t run) {
  Stmt s = db_.prepare("SELECT key, value FROM params WHERE run = ?1");
  s.bind(1, run);
  std::map<std::string, std::string> out;
  while (s.step()) out.emplace(s.get_text(0), s.get_text(1));
  return out;
}

int64_t Store::run_count() { return db_.query_int("SELECT COUNT(*) FROM runs"); }

std::vector<std::string> Store::eval_datasets(int64_t run) {
  Stmt s = db_.prepare("SELECT DISTINCT dataset FROM evals WHERE run = ?1 ORDER BY dataset");
  s.bind(1, run);
  std::vector<std::string> out;
  while (s.step()) out.push_back(s.get_text(0));
  return out;
}

int64_t Store::schema_version() { return db_.query_int("PRAGMA user_version"); }

std::string Store::created_at() {
  Stmt s = db_.prepare("SELECT value FROM meta WHERE key = 'created_at'");
  return s.step() ? s.get_text(0) : std::string();
}

std::vector<int64_t> Store::eval_steps(int64_t run, const std::string& dataset) {
  Stmt s = db_.prepare(
      "SELECT step FROM evals WHERE run = ?1 AND dataset = ?2 UNION "
      "SELECT step FROM eval_items WHERE run = ?1 AND dataset = ?2 ORDER BY step");
  s.bind(1, run).bind(2, dataset);
  std::vector<int64_t> out;
  while (s.step()) out.push_back(s.get_int(0));
  return out;
}

std::map<std::string, double> Store::eval_metrics(int64_t run, int64_t step, const std::string& dataset) {
  Stmt s = db_.prepare("SELECT metric, value FROM evals WHERE run = ?1 AND step = ?2 AND dataset = ?3 AND value IS NOT NULL");
  s.bind(1, run).bind(2, step).bind(3, dataset);
  std::map<std::string, double> out;
  while (s.step()) out.emplace(s.get_text(0), s.get_double(1));
  return out;
}

std::vector<EvalItem> Store::eval_items(int64_t run, int64_t step, const std::string& dataset) {
  Stmt s = db_.prepare(
      "SELECT problem_id, sample, correct, has_code, has_code_strict, extracted, boxed FROM eval_items"
      " WHERE run = ?1 AND step = ?2 AND dataset = ?3 ORDER BY problem_id, sample");
  s.bind(1, run).bind(2, step).bind(3, dataset);
  std::vector<EvalItem> out;
  while (s.step()) {
    EvalItem e;
    e.problem_id = s.get_text(0);
    e.sample = s.get_int(1);
    e.correct = s.get_int(2) != 0;
    e.has_code = s.get_int(3) != 0;
    e.has_code_strict = opt_bool(s, 4);
    e.extracted = s.get_opt_text(5);
    e.boxed = opt_bool(s, 6);
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<ProbeSummary> Store::probe_latest(const std::string& model, const std::string& dataset) {
  Stmt s = db_.prepare(
      "SELECT run, suite, cell, exact_match, rouge_l, accuracy, problems FROM probe_results"
      " WHERE model = ?1 AND dataset = ?2 AND mutant = '' AND exact_match IS NOT NULL ORDER BY run DESC LIMIT 1");
  s.bind(1, model).bind(2, dataset);
  if (!s.step()) return std::nullopt;
  ProbeSummary p;
  p.run = s.get_int(0);
  p.suite = s.get_text(1);
  p.cell = s.get_text(2);
  p.exact_match = s.get_double(3);
  p.rouge_l = s.get_opt_double(4).value_or(NAN);
  p.accuracy = s.get_opt_double(5).value_or(NAN);
  p.problems = s.get_opt_int(6).value_or(0);
  return p;
}

std::vector<ProbeItem> Store::probe_items(int64_t run, int64_t step, const std::string& dataset) {
  Stmt s = db_.prepare(
      "SELECT problem_id, given_tokens, rest_tokens, exact, rouge_l, correct, rest, completion FROM probe_items"
      " WHERE run = ?1 AND step = ?2 AND dataset = ?3 ORDER BY problem_id");
  s.bind(1, run).bind(2, step).bind(3, dataset);
  std::vector<ProbeItem> out;
  while (s.step()) {
    ProbeItem p;
    p.problem_id = s.get_text(0);
    p.given_tokens = s.get_int(1);
    p.rest_tokens = s.get_int(2);
    p.exact = s.get_int(3) != 0;
    p.rouge_l = s.get_double(4);
    p.correct = s.get_int(5) != 0;
    p.rest = s.get_text(6);
    p.completion = s.get_text(7);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<CurvePoint> Store::metric_curve(int64_t run, const std::string& key) {
  Stmt s = db_.prepare("SELECT step, value FROM step_metrics WHERE run = ?1 AND key = ?2 ORDER BY step");
  s.bind(1, run).bind(2, key);
  return curve(s);
}

std::vector<CurvePoint> Store::eval_curve(int64_t run, const std::string& dataset, const std::string& metric) {
  Stmt s = db_.prepare("SELECT step, value FROM evals WHERE run = ?1 AND dataset = ?2 AND metric = ?3 ORDER BY step");
  s.bind(1, run).bind(2, dataset).bind(3, metric);
  return curve(s);
}

std::map<int64_t, std::map<std::string, std::optional<double>>> Store::step_metrics_all(int64_t run) {
  Stmt q = db_.prepare("SELECT step, key, value FROM step_metrics WHERE run = ?1 ORDER BY step, key");
  q.bind(1, run);
  std::map<int64_t, std::map<std::string, std::optional<double>>> out;
  while (q.step()) out[q.get_int(0)][q.get_text(1)] = q.get_opt_double(2);
  return out;
}

std::optional<int64_t> Store::run_find_by_param(const std::string& key, const std::string& value) {
  Stmt q = db_.prepare("SELECT run FROM params WHERE key = ?1 AND value = ?2 ORDER BY run LIMIT 1");
  q.bind(1, key).bind(2, value);
  if (!q.step()) return std::nullopt;
  return q.get_int(0);
}

Stmt Store::prepare_read(std::string_view sql) { return db_.prepare(sql); }

}  // namespace rlvr
