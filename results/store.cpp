// store.cpp: opening the store and every write. Reads are in store_query.cpp.
#include "results/store.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "results/provenance.h"
#include "results/schema.h"
#include "util/error.h"
#include "util/paths.h"

namespace rlvr {

namespace {

constexpr const char* kNow = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

// Creates the parent folders first: SQLite creates the file but not its folder.
std::string prepare_path(const std::string& path) {
  if (path.empty()) throw_input("--db", "empty database path");
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) throw_input(path, "cannot create folder " + parent.string() + " (" + ec.message() + ")");
  if (std::filesystem::is_directory(path, ec)) throw_input(path, "is a directory, expected a database file");
  return path;
}

// True when `pid` names no process on this machine (EPERM means it exists but is not ours).
bool process_gone(int64_t pid) { return pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

}  // namespace

void provenance_fill(RunInfo& info) {
  if (info.git_commit.empty()) info.git_commit = provenance_git_commit();
  if (info.host.empty()) info.host = provenance_host();
  if (info.threads <= 0) info.threads = provenance_threads();
}

namespace {

// The reading side of Store's constructor (StoreOpen::read): the file as it is, or its copy in memory
// brought to this build's schema when it is older.
Db open_for_reading(const std::string& path) {
  std::error_code ec;
  if (path.empty()) throw_input("--db", "empty database path");
  if (!std::filesystem::exists(path, ec)) throw_input(path, "no such database file");
  if (std::filesystem::is_directory(path, ec)) throw_input(path, "is a directory, expected a database file");
  Db file(path, DbOpen::read_only);
  if (schema_read_ready(file)) return file;
  Db mem(path, DbOpen::memory);
  db_copy(file, mem);
  schema_migrate(mem);
  mem.exec("PRAGMA query_only = 1");
  return mem;
}

}  // namespace

Store::Store(const std::string& path, StoreOpen mode)
    : mode_(mode), db_(mode == StoreOpen::read ? open_for_reading(path) : Db(prepare_path(path))) {
  if (mode == StoreOpen::write) schema_migrate(db_);
}

Txn Store::batch() {
  require_write("batch");
  return Txn(db_);
}

void Store::require_write(const char* op) const {
  if (mode_ == StoreOpen::read) throw std::logic_error(std::string("Store::") + op + " on a store opened for reading: " + path());
}

void Store::run_read_stale(RunRow& r) {
  if (r.status != RunStatus::running || !r.pid || r.info.host != provenance_host() || !process_gone(*r.pid)) return;
  r.status = RunStatus::killed;
  Stmt last = db_.prepare("SELECT MAX(step) FROM step_metrics WHERE run = ?1");
  last.bind(1, r.id);
  r.fail_step = last.step() ? last.get_opt_int(0) : std::nullopt;
  r.fail_reason = "process " + std::to_string(*r.pid) + " on " + r.info.host + " ended without finishing";
}

int64_t Store::run_begin(const RunInfo& in) {
  require_write("run_begin");
  RunInfo info = in;
  provenance_fill(info);
  if (info.libtorch_version.empty()) info.libtorch_version = "unknown";
  Txn txn(db_);
  db_.prepare(
         "INSERT INTO runs (suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device,"
         " threads, host, pid, mutant) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
      .bind(1, info.suite)
      .bind(2, info.cell)
      .bind(3, info.model)
      .bind(4, info.reward)
      .bind(5, info.seed)
      .bind(6, info.config_toml)
      .bind(7, info.git_commit)
      .bind(8, info.libtorch_version)
      .bind(9, info.device)
      .bind(10, info.threads)
      .bind(11, info.host)
      .bind(12, int64_t{getpid()})
      .bind(13, info.mutant)
      .run();
  int64_t id = db_.last_insert_id();
  txn.commit();
  return id;
}

void Store::run_params(int64_t run, const std::map<std::string, std::string>& params) {
  require_write("run_params");
  Txn txn(db_);
  Stmt ins = db_.prepare("INSERT INTO params (run, key, value) VALUES (?1, ?2, ?3)");
  for (const auto& [k, v] : params) {
    ins.bind(1, run).bind(2, k).bind(3, v).run();
    ins.reset();
  }
  txn.commit();
}

void Store::step_metrics_write(int64_t run, int64_t step, const std::map<std::string, double>& metrics) {
  require_write("step_metrics_write");
  Txn txn(db_);
  Stmt ins = db_.prepare("INSERT INTO step_metrics (run, key, step, value) VALUES (?1, ?2, ?3, ?4)");
  for (const auto& [k, v] : metrics) {
    ins.bind(1, run).bind(2, k).bind(3, step).bind(4, v).run();
    ins.reset();
  }
  txn.commit();
}

namespace {

// The evals rows of one (run, step, dataset), inside the caller's transaction.
void evals_insert(Db& db, int64_t run, int64_t step, const std::string& dataset, const std::map<std::string, double>& metrics) {
  Stmt m = db.prepare("INSERT INTO evals (run, step, dataset, metric, value) VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto& [k, v] : metrics) {
    m.bind(1, run).bind(2, step).bind(3, dataset).bind(4, k).bind(5, v).run();
    m.reset();
  }
}

}  // namespace

void Store::eval_write(int64_t run, int64_t step, const std::string& dataset,
                       const std::map<std::string, double>& metrics, const std::vector<EvalItem>& items) {
  require_write("eval_write");
  Txn txn(db_);
  evals_insert(db_, run, step, dataset, metrics);
  Stmt it = db_.prepare(
      "INSERT INTO eval_items (run, step, dataset, problem_id, sample, correct, has_code, has_code_strict,"
      " extracted, boxed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  it.bind(1, run).bind(2, step).bind(3, dataset);
  for (const EvalItem& e : items) {
    it.bind(4, e.problem_id)
        .bind(5, e.sample)
        .bind(6, e.correct)
        .bind(7, e.has_code)
        .bind(8, e.has_code_strict)
        .bind(9, e.extracted)
        .bind(10, e.boxed)
        .run();
    it.reset();
  }
  txn.commit();
}

void Store::probe_write(int64_t run, int64_t step, const std::string& dataset,
                        const std::map<std::string, double>& metrics, const std::vector<ProbeItem>& items) {
  require_write("probe_write");
  Txn txn(db_);
  evals_insert(db_, run, step, dataset, metrics);
  Stmt it = db_.prepare(
      "INSERT INTO probe_items (run, step, dataset, problem_id, given_tokens, rest_tokens, exact, rouge_l, correct,"
      " rest, completion) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  it.bind(1, run).bind(2, step).bind(3, dataset);
  for (const ProbeItem& p : items) {
    it.bind(4, p.problem_id)
        .bind(5, p.given_tokens)
        .bind(6, p.rest_tokens)
        .bind(7, p.exact)
        .bind(8, p.rouge_l)
        .bind(9, p.correct)
        .bind(10, p.rest)
        .bind(11, p.completion)
        .run();
    it.reset();
  }
  txn.commit();
}

void Store::run_end(int64_t run, RunStatus status, std::optional<int64_t> step,
                    const std::optional<std::string>& reason) {
  require_write("run_end");
  Txn txn(db_);
  int64_t n = db_.prepare(std::string("UPDATE runs SET status = ?2, fail_step = ?3, fail_reason = ?4, ended_at = ") +
                          kNow + " WHERE id = ?1 AND status = 'running'")
                  .bind(1, run)
                  .bind(2, std::string(enum_name(status)))
                  .bind(3, step)
                  .bind(4, reason)
                  .run();
  if (n != 1) {
    auto row = run_get(run);
    throw std::logic_error(db_.path() + ": run " + std::to_string(run) + " cannot become " + std::string(enum_name(status)) +
                           (row ? " (it is " + std::string(enum_name(row->status)) + ")" : " (no such run)"));
  }
  txn.commit();
}

void Store::run_finish(int64_t run) { run_end(run, RunStatus::finished, std::nullopt, std::nullopt); }

void Store::run_fail(int64_t run, int64_t step, const std::string& reason) {
  run_end(run, RunStatus::failed, step, reason.empty() ? std::string("unknown failure") : reason);
}

void Store::run_mark_killed(int64_t run, std::optional<int64_t> step, const std::string& reason) {
  run_end(run, RunStatus::killed, step, reason);
}

int64_t Store::runs_reap_stale() {
  require_write("runs_reap_stale");
  std::string host = provenance_host();
  Txn txn(db_);
  Stmt sel = db_.prepare("SELECT id, pid FROM runs WHERE status = 'running' AND host = ?1 AND pid IS NOT NULL");
  sel.bind(1, host);
  std::vector<std::pair<int64_t, int64_t>> gone;
  while (sel.step())
    if (process_gone(sel.get_int(1))) gone.emplace_back(sel.get_int(0), sel.get_int(1));
  // fail_step: the last step the run logged, so a report can say how far it got.
  Stmt upd = db_.prepare(std::string("UPDATE runs SET status = 'killed', ended_at = ") + kNow +
                         ", fail_step = (SELECT MAX(step) FROM step_metrics WHERE run = ?1), fail_reason = ?2"
                         " WHERE id = ?1 AND status = 'running'");
  for (auto [id, pid] : gone) {
    upd.bind(1, id).bind(2, "process " + std::to_string(pid) + " on " + host + " ended without finishing").run();
    upd.reset();
  }
  txn.commit();
  return static_cast<int64_t>(gone.size());
}

void Store::run_resume(int64_t run, int64_t step) {
  require_write("run_resume");
  Txn txn(db_);
  auto row = run_get(run);
  if (!row) throw_input(db_.path(), "--resume: no run " + std::to_string(run));
  if (row->status == RunStatus::finished)
    throw_input(db_.path(), "--resume: run " + std::to_string(run) + " already finished");
  if (row->status == RunStatus::running && row->pid && *row->pid != getpid() && row->info.host == provenance_host() &&
      !process_gone(*row->pid))
    throw_input(db_.path(), "--resume: run " + std::to_string(run) + " is still running in process " +
                                std::to_string(*row->pid));
  for (const char* table : {"step_metrics", "evals", "eval_items", "probe_items"})
    db_.prepare(std::string("DELETE FROM ") + table + " WHERE run = ?1 AND step > ?2").bind(1, run).bind(2, step).run();
  db_.prepare("UPDATE runs SET status = 'running', ended_at = NULL, fail_step = NULL, fail_reason = NULL,"
              " host = ?2, pid = ?3 WHERE id = ?1")
      .bind(1, run)
      .bind(2, provenance_host())
      .bind(3, int64_t{getpid()})
      .run();
  txn.commit();
}

std::string store_default_path(const std::string& cli_value) {
  if (!cli_value.empty()) return cli_value;
  if (const char* env = std::getenv("RLVRBENCH_DB"); env && *env) return env;
  return (std::filesystem::path(results_dir()) / "rlvrbench.db").string();
}

}  // namespace rlvr
