// store.h: the results store the trainer and evaluator write through, and the queries that
// compare/report read with. Torch-free plain structs; schema in results/README.md.
//
//   Store st(store_default_path(db_flag));           // creates folders, migrates
//   Store ro(path, StoreOpen::read);                 // judges and readers: never changes the file
//   RunInfo info{...}; provenance_fill(info);
//   int64_t run = st.run_begin(info);                 // status 'running'
//   st.run_params(run, flat_config);
//   st.step_metrics_write(run, step, {{"reward_mean", 0.4}, ...});   // one transaction
//   st.eval_write(run, step, "math500", metrics, items);             // one transaction
//   st.run_finish(run);     // or st.run_fail(run, step, "loss is NaN")
//
// Every write is one transaction: a process killed at any point leaves either the whole step /
// eval or none of it. One Store per thread; any number of processes may share the file.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "results/db.h"
#include "results/probe_item.h"
#include "results/run_status.h"

namespace rlvr {

struct RunInfo {
  std::string suite, cell, model, reward;
  int64_t seed = 0;
  std::string mutant;            // the suite mutant of a detection-power run; "" for a real run
  std::string config_toml;       // the resolved run TOML (after --set overrides)
  std::string git_commit;        // provenance_fill() sets it when empty
  std::string libtorch_version;  // e.g. TORCH_VERSION; "" is stored as "unknown"
  std::string device;            // "cpu", "cuda:0 (NVIDIA H100)", ...
  int64_t threads = 0;           // threads the run uses; provenance_fill() sets it when 0
  std::string host;              // provenance_fill() sets it when empty
};

// Fills git_commit, host and threads from this process when the caller left them empty/0.
void provenance_fill(RunInfo& info);

struct RunRow {
  int64_t id = 0;
  RunInfo info;
  RunStatus status = RunStatus::running;
  std::optional<int64_t> fail_step;
  std::optional<std::string> fail_reason;
  std::optional<int64_t> pid;
  std::string started_at;
  std::optional<std::string> ended_at;
};

// One graded response. Greedy pass@1 writes sample 0 only; avg@k writes samples 0..k-1.
struct EvalItem {
  std::string problem_id;
  int64_t sample = 0;
  bool correct = false;
  bool has_code = false;                 // the paper's code detector
  std::optional<bool> has_code_strict;   // the strict detector; nullopt = not measured
  std::optional<std::string> extracted;  // nullopt = no answer extracted
  std::optional<bool> boxed;             // nullopt = not measured
};

// One stored contamination probe (view probe_results): the latest of a model on a dataset.
struct ProbeSummary {
  int64_t run = 0;
  std::string suite, cell;
  double exact_match = 0, rouge_l = 0, accuracy = 0;
  int64_t problems = 0;
};

struct CurvePoint {
  int64_t step = 0;
  std::optional<double> value;  // nullopt when a NaN was logged
};

// Which runs to list; unset fields match everything.
struct RunFilter {
  std::optional<std::string> suite, cell, model, reward, mutant;  // mutant "": real runs only
  std::optional<RunStatus> status;
  std::optional<int64_t> seed;
};

// write: the commands that write (train, run, ingest, db, golden update) open or create the file and
// migrate it. read: everything that judges or reads (compare, power's judging, report, query) opens an
// existing file read-only and never changes it: an older schema is copied into memory and migrated
// there, a newer one is refused (InputError naming the version), and a 'running' row whose process
// is gone reads as killed, exactly as runs_reap_stale() would have written it.
enum class StoreOpen : uint8_t { write, read };

class Store {
 public:
  // write: opens or creates the database at `path` (parent folders included) and migrates it.
  // read: opens the existing file read-only (InputError when it is missing or not a database).
  explicit Store(const std::string& path, StoreOpen mode = StoreOpen::write);

  // ---- writes (trainer, evaluator) ----
  int64_t run_begin(const RunInfo& info);
  void run_params(int64_t run, const std::map<std::string, std::string>& params);
  void step_metrics_write(int64_t run, int64_t step, const std::map<std::string, double>& metrics);
  void eval_write(int64_t run, int64_t step, const std::string& dataset, const std::map<std::string, double>& metrics,
                  const std::vector<EvalItem>& items);
  // The contamination probe of `run` at `step` on `dataset`: its means (metrics named in
  // probe_item.h) to evals and one probe_items row per problem, in one transaction.
  void probe_write(int64_t run, int64_t step, const std::string& dataset, const std::map<std::string, double>& metrics,
                   const std::vector<ProbeItem>& items);
  // running -> finished. Throws std::logic_error if the run is not 'running' (a killed or failed
  // run must never turn into a finished one).
  void run_finish(int64_t run);
  // running -> failed at `step` (e.g. "loss is NaN").
  void run_fail(int64_t run, int64_t step, const std::string& reason);
  // running -> killed (e.g. from a SIGTERM handler that still gets to run).
  void run_mark_killed(int64_t run, std::optional<int64_t> step, const std::string& reason);
  // Marks 'running' rows of THIS host whose process no longer exists as killed; returns how many.
  // A SIGKILLed trainer cannot mark itself; the writing commands call this before they start (readers
  // see such rows as killed without writing, see StoreOpen).
  int64_t runs_reap_stale();
  // --resume: the run continues from checkpoint `step`. Deletes its rows logged after `step`
  // (they will be logged again) and sets it back to 'running' under this process.
  void run_resume(int64_t run, int64_t step);

  // ---- reads (compare, report, query) ----
  std::optional<RunRow> run_get(int64_t run);
  std::vector<RunRow> runs_find(const RunFilter& filter);  // ordered by id
  std::map<std::string, std::string> run_params_get(int64_t run);
  int64_t run_count();
  // The datasets `run` was evaluated on, sorted.
  std::vector<std::string> eval_datasets(int64_t run);
  // The database's schema version (PRAGMA user_version) and creation time (meta.created_at, "" if unset).
  int64_t schema_version();
  std::string created_at();
  // Steps at which `dataset` was evaluated for `run`, ascending.
  std::vector<int64_t> eval_steps(int64_t run, const std::string& dataset);
  std::map<std::string, double> eval_metrics(int64_t run, int64_t step, const std::string& dataset);
  // Ordered by (problem_id, sample): two runs' items pair up by position for McNemar/bootstrap.
  std::vector<EvalItem> eval_items(int64_t run, int64_t step, const std::string& dataset);
  // The latest finished probe of `model` on `dataset` (any suite, `rlvrbench probe --db` or a
  // cell with eval.probe); nullopt when there is none.
  std::optional<ProbeSummary> probe_latest(const std::string& model, const std::string& dataset);
  // A probe's rows, ordered by problem_id.
  std::vector<ProbeItem> probe_items(int64_t run, int64_t step, const std::string& dataset);
  std::vector<CurvePoint> metric_curve(int64_t run, const std::string& key);
  // Every step metric of `run`: step -> key -> value (nullopt where a NaN was logged).
  std::map<int64_t, std::map<std::string, std::optional<double>>> step_metrics_all(int64_t run);
  // The first run with params row key = value (the ingest fingerprint of a stored run file).
  std::optional<int64_t> run_find_by_param(const std::string& key, const std::string& value);
  // One read-only statement on this store's connection (report and query's SQL, a user's --sql
  // included): on a read store it can never write; InputError/DbError as Db::prepare.
  Stmt prepare_read(std::string_view sql);

  // Several writes as one all-or-nothing unit (`rlvrbench ingest` stores a whole run file): the
  // writes inside nest as savepoints; nothing is kept unless the returned Txn commits.
  Txn batch();
  std::vector<CurvePoint> eval_curve(int64_t run, const std::string& dataset, const std::string& metric);

  const std::string& path() const { return db_.path(); }
  bool read_only() const { return mode_ == StoreOpen::read; }

 private:
  void run_end(int64_t run, RunStatus status, std::optional<int64_t> step, const std::optional<std::string>& reason);
  void require_write(const char* op) const;  // std::logic_error on a read Store: a bug, not bad input
  void run_read_stale(RunRow& r);            // a 'running' row whose process is gone reads as killed
  StoreOpen mode_;
  Db db_;
};

// Database path: the --db value when given, else $RLVRBENCH_DB, else results_dir()/rlvrbench.db
// (util/paths.h: results/ of the source tree a build-tree binary was built from, so every ctest cell,
// whatever its working folder, writes the same file; ./results for an installed binary or when that
// tree is gone).
std::string store_default_path(const std::string& cli_value);

}  // namespace rlvr
