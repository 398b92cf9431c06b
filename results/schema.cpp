#include "results/schema.h"

#include <iterator>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include <sqlite3.h>

#include "results/db.h"
#include "results/provenance.h"
#include "util/error.h"

namespace rlvr {

namespace {

// UTC timestamps with milliseconds, sortable as text.
#define RLVR_NOW "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

// ---- migration 0 -> 1: the first layout ----
// Long-form like MLflow: one row per (run, key, step) rather than one column per metric, so new
// metrics never need a migration. WITHOUT ROWID keeps each table clustered on its primary key,
// which is also the index every query walks ((run, key, step) for curves and final values).
constexpr const char* kMigration1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE runs (
  id               INTEGER PRIMARY KEY,
  suite            TEXT NOT NULL,
  cell             TEXT NOT NULL,
  model            TEXT NOT NULL,
  reward           TEXT NOT NULL,
  seed             INTEGER NOT NULL,
  config_toml      TEXT NOT NULL,
  git_commit       TEXT NOT NULL,
  libtorch_version TEXT NOT NULL,
  device           TEXT NOT NULL,
  threads          INTEGER NOT NULL,
  status           TEXT NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'finished', 'failed', 'killed')),
  fail_step        INTEGER,
  fail_reason      TEXT,
  started_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ended_at         TEXT,
  -- A run ends exactly when it leaves 'running'; only failed/killed runs carry a reason, and a
  -- failed run always does.
  CHECK ((status = 'running') = (ended_at IS NULL)),
  CHECK (status IN ('failed', 'killed') OR (fail_reason IS NULL AND fail_step IS NULL)),
  CHECK (status <> 'failed' OR fail_reason IS NOT NULL)
) STRICT;
CREATE INDEX runs_by_cell ON runs (suite, cell, model, reward, seed);

CREATE TABLE params (
  run   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key   TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run, key)
) STRICT, WITHOUT ROWID;

CREATE TABLE step_metrics (
  run   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key   TEXT NOT NULL,
  step  INTEGER NOT NULL CHECK (step >= 0),
  value REAL,  -- NULL when the value was NaN (SQLite stores NaN as NULL)
  PRIMARY KEY (run, key, step)
) STRICT, WITHOUT ROWID;

CREATE TABLE evals (
  run     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step    INTEGER NOT NULL CHECK (step >= 0),
  dataset TEXT NOT NULL,
  metric  TEXT NOT NULL,
  value   REAL,
  PRIMARY KEY (run, dataset, metric, step)
) STRICT, WITHOUT ROWID;

-- One row per (problem, sample): greedy pass@1 has sample 0 only; avg@k has samples 0..k-1.
CREATE TABLE eval_items (
  run        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step       INTEGER NOT NULL CHECK (step >= 0),
  dataset    TEXT NOT NULL,
  problem_id TEXT NOT NULL,
  sample     INTEGER NOT NULL DEFAULT 0 CHECK (sample >= 0),
  correct    INTEGER NOT NULL CHECK (correct IN (0, 1)),
  has_code   INTEGER NOT NULL CHECK (has_code IN (0, 1)),
  extracted  TEXT,  -- NULL when no answer could be extracted
  PRIMARY KEY (run, step, dataset, problem_id, sample)
) STRICT, WITHOUT ROWID;

-- Rows only go to a run that is still running: a late write from a process whose run was already
-- ended (failed, or reaped as killed) fails loudly instead of changing a recorded result.
CREATE TRIGGER params_running BEFORE INSERT ON params
WHEN (SELECT status FROM runs WHERE id = NEW.run) IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'run is not running'); END;
CREATE TRIGGER step_metrics_running BEFORE INSERT ON step_metrics
WHEN (SELECT status FROM runs WHERE id = NEW.run) IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'run is not running'); END;
CREATE TRIGGER evals_running BEFORE INSERT ON evals
WHEN (SELECT status FROM runs WHERE id = NEW.run) IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'run is not running'); END;
CREATE TRIGGER eval_items_running BEFORE INSERT ON eval_items
WHEN (SELECT status FROM runs WHERE id = NEW.run) IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'run is not running'); END;
)sql";

// ---- migration 1 -> 2 ----
// Old rows get host '' / pid NULL (unknown), and NULL for the detectors they were never measured
// with: NULL means "not measured", never "false".
constexpr const char* kMigration2 = R"sql(
ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE eval_items ADD COLUMN has_code_strict INTEGER CHECK (has_code_strict IN (0, 1));
ALTER TABLE eval_items ADD COLUMN boxed INTEGER CHECK (boxed IN (0, 1));
)sql";

// ---- migration 2 -> 3 ----
// Runs made by `rlvrbench power` under a suite's mutant carry its name; every earlier run is unmutated.
constexpr const char* kMigration3 = R"sql(
ALTER TABLE runs ADD COLUMN mutant TEXT NOT NULL DEFAULT '';
)sql";

// ---- migration 3 -> 4 ----
// The contamination probe (eval/probe.h): its means go to `evals` (metrics probe_exact_match,
// probe_rouge_l, probe_accuracy at the step probed); one row per probed problem here.
constexpr const char* kMigration4 = R"sql(
CREATE TABLE probe_items (
  run          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step         INTEGER NOT NULL CHECK (step >= 0),
  dataset      TEXT NOT NULL,
  problem_id   TEXT NOT NULL,
  given_tokens INTEGER NOT NULL CHECK (given_tokens >= 1),
  rest_tokens  INTEGER NOT NULL CHECK (rest_tokens >= 1),
  exact        INTEGER NOT NULL CHECK (exact IN (0, 1)),
  rouge_l      REAL NOT NULL CHECK (rouge_l >= 0 AND rouge_l <= 1),
  correct      INTEGER NOT NULL CHECK (correct IN (0, 1)),
  rest         TEXT NOT NULL,
  completion   TEXT NOT NULL,
  PRIMARY KEY (run, step, dataset, problem_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER probe_items_running BEFORE INSERT ON probe_items
WHEN (SELECT status FROM runs WHERE id = NEW.run) IS NOT 'running'
BEGIN SELECT RAISE(ABORT, 'run is not running'); END;
)sql";

constexpr const char* kMigrations[] = {kMigration1, kMigration2, kMigration3, kMigration4};
static_assert(std::size(kMigrations) == kSchemaVersion, "one migration per schema version");

// The views, recreated after every migration. Metric names 'accuracy' and 'code_frequency' are the
// evaluator's contract (results/README.md).
constexpr const char* kViews = R"sql(
DROP VIEW IF EXISTS final_metrics;
DROP VIEW IF EXISTS final_evals;
DROP VIEW IF EXISTS cell_final_accuracy;
DROP VIEW IF EXISTS cell_gain;
DROP VIEW IF EXISTS cell_gain_seeds;
DROP VIEW IF EXISTS probe_results;

-- The value at the last logged step of every (run, key).
CREATE VIEW final_metrics AS
SELECT m.run, m.key, m.step, m.value
FROM step_metrics m
JOIN (SELECT run, key, MAX(step) AS step FROM step_metrics GROUP BY run, key) last
  USING (run, key, step);

-- The value at the last evaluated step of every (run, dataset, metric).
CREATE VIEW final_evals AS
SELECT e.run, e.dataset, e.metric, e.step, e.value
FROM evals e
JOIN (SELECT run, dataset, metric, MAX(step) AS step FROM evals GROUP BY run, dataset, metric) last
  USING (run, dataset, metric, step);

-- Final eval accuracy and code frequency of each run (one row per run and dataset).
CREATE VIEW cell_final_accuracy AS
SELECT r.suite, r.cell, r.model, r.reward, r.seed, r.id AS run, r.status, r.mutant, a.dataset,
       a.step AS step, a.value AS accuracy, c.value AS code_frequency
FROM runs r
JOIN final_evals a ON a.run = r.id AND a.metric = 'accuracy'
LEFT JOIN evals c ON c.run = r.id AND c.dataset = a.dataset AND c.step = a.step
                 AND c.metric = 'code_frequency';

-- Accuracy gain of each run: last evaluated step minus step 0 (runs evaluated at step 0 only).
CREATE VIEW cell_gain AS
SELECT r.suite, r.cell, r.model, r.reward, r.seed, r.id AS run, r.status, r.mutant, f.dataset,
       b.value AS accuracy_step0, f.step AS final_step, f.value AS final_accuracy,
       f.value - b.value AS gain
FROM runs r
JOIN final_evals f ON f.run = r.id AND f.metric = 'accuracy'
JOIN evals b ON b.run = r.id AND b.dataset = f.dataset AND b.metric = 'accuracy' AND b.step = 0;

-- Gain aggregated over the seeds of a cell (and mutant: '' for the real runs); finished runs only (a
-- failed or killed run's last eval is not the cell's result). std is the sample standard deviation
-- (n - 1), NULL for one seed.
CREATE VIEW cell_gain_seeds AS
SELECT suite, cell, model, reward, mutant, dataset,
       COUNT(*) AS n_seeds,
       MAX(final_step) AS final_step,
       AVG(accuracy_step0) AS mean_accuracy_step0,
       AVG(final_accuracy) AS mean_final_accuracy,
       AVG(gain) AS mean_gain,
       CASE WHEN COUNT(*) > 1
            THEN sqrt(MAX(0.0, (SUM(gain * gain) - SUM(gain) * SUM(gain) / COUNT(*)) / (COUNT(*) - 1)))
       END AS std_gain
FROM cell_gain
WHERE status = 'finished'
GROUP BY suite, cell, model, reward, mutant, dataset;

-- Every contamination probe (eval/probe.h): one row per run, step and dataset probed, finished
-- runs only. The probe is greedy, so every seed of a model gives the same numbers.
CREATE VIEW probe_results AS
SELECT r.suite, r.cell, r.model, r.reward, r.seed, r.id AS run, r.mutant, e.dataset, e.step,
       MAX(CASE WHEN e.metric = 'probe_exact_match' THEN e.value END) AS exact_match,
       MAX(CASE WHEN e.metric = 'probe_rouge_l' THEN e.value END) AS rouge_l,
       MAX(CASE WHEN e.metric = 'probe_accuracy' THEN e.value END) AS accuracy,
       MAX(CASE WHEN e.metric = 'probe_problems' THEN e.value END) AS problems
FROM runs r
JOIN evals e ON e.run = r.id AND e.metric IN ('probe_exact_match', 'probe_rouge_l', 'probe_accuracy', 'probe_problems')
WHERE r.status = 'finished'
GROUP BY r.id, e.dataset, e.step;
)sql";

void meta_set(Db& db, const char* key, const std::string& value) {
  db.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
             "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(1, key)
      .bind(2, value)
      .run();
}

}  // namespace

int64_t schema_version(Db& db) { return db.query_int("PRAGMA user_version"); }

namespace {

// Table -> columns of a current database: the migrations and views run once on an in-memory
// database (plain sqlite3: Db insists on WAL, which memory databases do not have).
const std::map<std::string, std::set<std::string>>& schema_expected_columns() {
  static const std::map<std::string, std::set<std::string>> cols = [] {
    sqlite3* m = nullptr;
    if (sqlite3_open(":memory:", &m) != SQLITE_OK) throw std::runtime_error("schema: cannot open an in-memory database");
    std::string sql;
    for (const char* mig : kMigrations) sql += mig;
    sql += kViews;
    char* err = nullptr;
    if (sqlite3_exec(m, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string e = err ? err : "unknown";
      sqlite3_free(err);
      sqlite3_close(m);
      throw std::runtime_error("schema: the migrations do not run on an empty database: " + e);
    }
    std::map<std::string, std::set<std::string>> out;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(m, "SELECT s.name, p.name FROM sqlite_schema s JOIN pragma_table_info(s.name) p WHERE s.type IN ('table', 'view')", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW)
      out[reinterpret_cast<const char*>(sqlite3_column_text(st, 0))].insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    sqlite3_close(m);
    return out;
  }();
  return cols;
}

// A file that claims the current schema but lacks a table, a view or a column (damaged or edited
// by hand; found by fuzz/db_readonly) is bad input, named here, not an SQL error in a later query.
void schema_check_current(Db& db) {
  std::map<std::string, std::set<std::string>> have;
  try {
    Stmt st = db.prepare("SELECT s.name, p.name FROM sqlite_schema s JOIN pragma_table_info(s.name) p WHERE s.type IN ('table', 'view')");
    while (st.step()) have[st.get_text(0)].insert(st.get_text(1));
  } catch (const DbError& e) {  // a view whose SQL does not compile
    throw_input(db.path(), "damaged schema (" + e.sqlite_message() + ")");
  }
  for (const auto& [table, cols] : schema_expected_columns()) {
    auto it = have.find(table);
    if (it == have.end()) throw_input(db.path(), "damaged schema: no table or view '" + table + "'");
    for (const std::string& c : cols)
      if (!it->second.count(c)) throw_input(db.path(), "damaged schema: " + table + " has no column '" + c + "'");
  }
}

}  // namespace

namespace {

void check_not_too_new(Db& db, int64_t v) {
  // PRAGMA user_version is any 32-bit integer a file says: a negative one would index before the
  // first migration (found by fuzz/db_readonly under UBSan).
  if (v < 0) throw_input(db.path(), "schema version " + std::to_string(v) + " is not an rlvrbench schema version");
  if (v > kSchemaVersion)
    throw_input(db.path(), "schema version " + std::to_string(v) + " is newer than this build knows (" +
                               std::to_string(kSchemaVersion) + "); use a newer rlvrbench");
}

}  // namespace

bool schema_read_ready(Db& db) {
  const int64_t v = schema_version(db);
  check_not_too_new(db, v);
  if (v < kSchemaVersion) return false;
  schema_check_current(db);
  return true;
}

void schema_migrate(Db& db, int64_t target) {
  if (target < 0 || target > kSchemaVersion) throw std::logic_error("schema_migrate: bad target version");
  auto too_new = [&](int64_t v) { check_not_too_new(db, v); };
  int64_t v = schema_version(db);  // fast path without the write lock: already current
  too_new(v);
  if (v >= target) {
    if (v == kSchemaVersion) schema_check_current(db);
    return;
  }

  Txn txn(db);
  // Re-read under the write lock: another process may have migrated meanwhile.
  v = schema_version(db);
  too_new(v);
  if (v >= target) return;
  if (v == 0 && db.query_int("SELECT COUNT(*) FROM sqlite_schema") > 0)
    throw_input(db.path(), "not an rlvrbench results database (has tables but no schema version)");
  if (v > 0 && db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'") == 0)
    throw_input(db.path(), "not an rlvrbench results database (no meta table)");

  for (int64_t i = v; i < target; ++i) db.exec(kMigrations[i]);
  db.exec(kViews);
  if (v == 0) {
    db.exec("INSERT INTO meta (key, value) VALUES ('created_at', " RLVR_NOW ")");
    meta_set(db, "created_by", provenance_git_commit());
  }
  meta_set(db, "schema_version", std::to_string(target));
  db.exec("INSERT INTO meta (key, value) VALUES ('migrated_at', " RLVR_NOW ") "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  // PRAGMA user_version cannot take a parameter; target is an integer we control.
  db.exec("PRAGMA user_version = " + std::to_string(target));
  txn.commit();
}

}  // namespace rlvr
