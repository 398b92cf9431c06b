// rlvrbench run: every cell of a suite (or a selection) in this process, then the comparison with
// its golden: what CTest does cell by cell, for users without CTest.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/external_run.h"
#include "app/suite_run.h"
#include "app/suite_shard.h"
#include "app/train_hooks.h"
#include "golden/compare.h"
#include "golden/golden.h"
#include "results/provenance.h"
#include "results/store.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

namespace {

std::atomic<bool> g_run_stop{false};
extern "C" void on_run_signal(int sig) {
  g_run_stop.store(true);
  std::signal(sig, SIG_DFL);
}

// "model=M,reward=R,seed=S" -> a cell filter; InputError naming --only on anything else.
struct Only {
  std::string model, reward, seed;
  bool match(const SuiteCell& c) const {
    return (model.empty() || c.model == model) && (reward.empty() || c.reward == reward) &&
           (seed.empty() || std::to_string(c.seed) == seed);
  }
};
Only only_parse(const std::string& s) {
  Only o;
  std::stringstream ss(s);
  for (std::string part; std::getline(ss, part, ',');) {
    auto eq = part.find('=');
    std::string k = eq == std::string::npos ? "" : part.substr(0, eq), v = eq == std::string::npos ? "" : part.substr(eq + 1);
    if (k == "model") o.model = v;
    else if (k == "reward") o.reward = v;
    else if (k == "seed") o.seed = v;
    else throw_input("--only", "expected model=M,reward=R,seed=S (any of them), got '" + part + "'");
  }
  return o;
}

// Runs the cells `jobs` at a time, each as its own `rlvrbench-torch train CONFIG.toml [--nproc N]` process
// with the cell's resolved config (so a cell trains exactly as it would in this process: same
// config, same run.threads, same bytes). Returns the number of cells that did not finish; `broken`
// counts those whose process said the environment broke (exit 4) or was killed by a signal we did
// not send (the OOM killer, a dead machine).
int run_parallel(const std::vector<const SuiteCell*>& cells, const std::vector<RunConfig>& configs, const std::string& db,
                 int64_t jobs, bool quiet, const char* prog, int& broken) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "rlvrbench-run-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder under " + tmpl);
  const std::string torch_bin = torch_binary_path(prog);
  struct Job {
    pid_t pid;
    size_t cell;
    std::chrono::steady_clock::time_point t0;
  };
  std::vector<Job> running;
  auto t0 = std::chrono::steady_clock::now();
  int failed = 0;
  size_t next = 0, done = 0;
  while (done < cells.size()) {
    while (!g_run_stop.load() && next < cells.size() && static_cast<int64_t>(running.size()) < jobs) {
      const std::string file = tmpl + "/cell-" + std::to_string(next) + ".toml";
      file_write_atomic(file, run_config_toml(configs[next]));
      std::vector<std::string> args = {torch_bin, "train", file, "--db", db};
      if (quiet) args.push_back("--quiet");
      if (cells[next]->ranks > 1) args.insert(args.end(), {"--nproc", std::to_string(cells[next]->ranks)});
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      // The child's stdout (train's JSON summary) is dropped: this command's stdout is the verdict
      // table; its stderr (progress, errors) goes through.
      posix_spawn_file_actions_t fa;
      posix_spawn_file_actions_init(&fa);
      posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
      pid_t pid = 0;
      const int rc = posix_spawn(&pid, torch_bin.c_str(), &fa, nullptr, argv.data(), environ);
      posix_spawn_file_actions_destroy(&fa);
      if (rc != 0) throw std::runtime_error("cannot start " + torch_bin + ": " + std::strerror(rc));
      std::fprintf(stderr, "[%zu/%zu %s] started (pid %d)\n", next + 1, cells.size(), cells[next]->name.c_str(), static_cast<int>(pid));
      running.push_back({pid, next++, std::chrono::steady_clock::now()});
    }
    if (running.empty()) break;  // interrupted before the rest started
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
    }
    auto it = std::find_if(running.begin(), running.end(), [&](const Job& j) { return j.pid == pid; });
    if (it == running.end()) continue;
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == kExitOk;
    failed += !ok;
    broken += (WIFEXITED(status) && WEXITSTATUS(status) == kExitEnvironment) || (WIFSIGNALED(status) && !g_run_stop.load());
    ++done;
    const double cell_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - it->t0).count();
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "[%zu/%zu %s] %s in %.0f s (elapsed %.0f s)\n", it->cell + 1, cells.size(), cells[it->cell]->name.c_str(),
                 ok ? "finished" : (WIFEXITED(status) ? ("exit " + std::to_string(WEXITSTATUS(status))).c_str() : "killed by a signal"),
                 cell_s, el);
    running.erase(it);
  }
  std::filesystem::remove_all(tmpl);
  if (g_run_stop.load() && done < cells.size()) {
    std::fprintf(stderr, "%s: interrupted after %zu of %zu cells\n", prog, done, cells.size());
    failed += static_cast<int>(cells.size() - done);
  }
  return failed;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  std::string suite_path, db, only_text, golden_path, seeds_text, mutant_name, shard_text;
  std::vector<std::string> sets;
  bool quiet = false, no_compare = false, resume = false, check = false;
  int64_t jobs = 1;
  Cli cli(argv[0],
          "Runs the cells of a suite one after another in this process (what `ctest -L SUITE` does with one\n"
          "test per cell), or --jobs N at a time in child processes, then compares the results with the\n"
          "suite's golden and prints the verdict table. A cell's results do not depend on --jobs: each keeps\n"
          "its own config (run.threads included).");
  cli.positional("SUITE.toml", "the suite", &suite_path)
      .option("--only", "model=M,reward=R", "run only the matching cells (any of model=, reward=, seed=)", &only_text)
      .multi("--set", "KEY=VALUE", "override a run key in every cell", &sets)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--seeds", "1,2,3", "use these seeds instead of the suite's (a golden measured with more seeds)", &seeds_text)
      .option("--golden", "GOLDEN.toml", "claims to compare with (default: the suite's golden)", &golden_path)
      .option("--mutant", "NAME", "run the cells of the suite's mutant NAME instead (tagged with it; implies --no-compare)", &mutant_name)
      .option("--jobs", "N", "train N cells side by side, each in its own process (as ctest -j does); default 1", &jobs)
      .option("--shard", "I/N", "only shard I of N (0-based): a deterministic split of the cells balanced by their\n"
                                "estimated cost (`rlvrbench suite shards S --shards N` shows it); implies --no-compare\n"
                                "(judge the merged databases: `rlvrbench db merge`, then `compare`)", &shard_text)
      .flag("--resume", "skip the cells the database already holds a finished run of, with the same config\n"
                        "(a long sweep picks up where it stopped)", &resume)
      .flag("--no-compare", "train only", &no_compare)
      .flag("--check", "validate every selected cell's run config (keys and ranges) and exit: 0 when all are valid", &check)
      .flag("--quiet", "no per-step progress lines", &quiet)
      .epilog("Zoo suites need the zoo: run `rlvrbench zoo build` first (CTest does it as a fixture).\n"
              "exit status: 0 every cell finished and every claim PASS, 1 otherwise, 2 bad input, 4 a cell's\n"
              "environment broke (I/O error, disk full, a dead rank, a cell killed by a signal it was not sent)");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (jobs < 1) throw_input("--jobs", "must be >= 1, got " + std::to_string(jobs));
  Suite suite = suite_load(suite_path, suite_seeds_parse("--seeds", seeds_text));
  suite_mutants_check(suite);
  Only only = only_parse(only_text);
  std::vector<SuiteCell> mutated;
  if (!mutant_name.empty()) {
    mutated = suite_mutant_cells(suite, suite_mutant_find(suite, mutant_name, "--mutant"));
    no_compare = true;  // mutant runs are judged by `rlvrbench power`, never by the suite's own verdicts
  }
  std::vector<const SuiteCell*> cells;
  for (const auto& c : mutant_name.empty() ? suite.cells : mutated) cells.push_back(&c);
  if (!shard_text.empty()) {  // over the whole suite, before --only: every task splits alike
    const ShardSel sel = shard_parse("--shard", shard_text);
    std::vector<const SuiteCell*> mine;
    for (size_t i : shard_select(suite_cells_costs(suite, cells), sel)) mine.push_back(cells[i]);
    std::fprintf(stderr, "run %s --shard %lld/%lld: %zu of %zu cells\n", suite.info.name.c_str(), static_cast<long long>(sel.index),
                 static_cast<long long>(sel.count), mine.size(), cells.size());
    cells = std::move(mine);
    no_compare = true;  // a shard's verdicts would judge the cells it lacks as missing
  }
  cells.erase(std::remove_if(cells.begin(), cells.end(), [&](const SuiteCell* c) { return !only.match(*c); }), cells.end());
  if (cells.empty() && !shard_text.empty() && only_text.empty()) {
    std::fprintf(stderr, "run %s --shard %s: no cell in this shard (more shards than cells)\n", suite.info.name.c_str(), shard_text.c_str());
    return kExitOk;
  }
  if (cells.empty()) throw_input("--only", "no cell of " + suite_path + " matches '" + only_text + "'");
  std::vector<RunConfig> configs;  // validated up front: a typo fails before hours of training
  for (const auto* c : cells) configs.push_back(suite_cell_config(suite, *c, sets));
  if (check) {
    std::printf("%s: %zu cells, every run config valid\n", suite_path.c_str(), cells.size());
    return kExitOk;
  }

  std::signal(SIGINT, on_run_signal);
  std::signal(SIGTERM, on_run_signal);
  Store store(store_default_path(db));
  store.runs_reap_stale();
  if (resume) {
    size_t kept = 0, skipped = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (suite_cell_finished(store, suite, *cells[i], configs[i])) {
        ++skipped;
        continue;
      }
      cells[kept] = cells[i];
      configs[kept++] = configs[i];
    }
    cells.resize(kept);
    configs.resize(kept);
    std::fprintf(stderr, "run %s --resume: %zu cells finished already, %zu to train\n", suite.info.name.c_str(), skipped, kept);
  }
  std::fprintf(stderr, "run %s: %zu cells -> %s\n", suite.info.name.c_str(), cells.size(), store.path().c_str());
  auto t0 = std::chrono::steady_clock::now();
  int failed = 0, broken = 0;  // broken: cells the environment failed (exit 4 wins over 1)
  // Cells another framework trains (`runner`): one after another, each ingested as it ends.
  {
    size_t kept = 0;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i]->runner.empty()) {
        cells[kept] = cells[i];
        configs[kept++] = configs[i];
        continue;
      }
      std::fprintf(stderr, "[%s] external runner\n", cells[i]->name.c_str());
      const int rc = external_cell_run(suite, *cells[i], configs[i], store, quiet, /*summary=*/false);
      failed += rc != kExitOk;
      broken += rc == kExitEnvironment;
      if (g_run_stop.load()) return kExitVerdict;
    }
    cells.resize(kept);
    configs.resize(kept);
  }
  // Data-parallel cells (`ranks` > 1) need processes of their own: then every cell runs as a child.
  const bool children = jobs > 1 || std::any_of(cells.begin(), cells.end(), [](const SuiteCell* c) { return c->ranks > 1; });
  if (children) {
    failed = run_parallel(cells, configs, store.path(), jobs, quiet, argv[0], broken);
    if (g_run_stop.load()) return kExitVerdict;
  }
  for (size_t i = 0; !children && i < cells.size(); ++i) {
    const RunConfig& cfg = configs[i];
    std::string prefix = std::string("[").append(std::to_string(i + 1)).append("/").append(std::to_string(cells.size()));
    prefix.append(" ").append(cells[i]->name).append("] ");  // (append, not "[" + ...: GCC 12 false -Warray-bounds)
    TrainResult r = train_run(cfg, store, train_hooks_make(cfg, suite_path, quiet, prefix, &g_run_stop), false);
    double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "%s%s in %.0f s: accuracy %.3f -> %.3f, code %.2f -> %.2f (elapsed %.0f s, ETA %.0f s)\n", prefix.c_str(),
                 std::string(enum_name(r.status)).c_str(), r.seconds, train_result_metric(r.first_eval, "accuracy"), train_result_metric(r.final_eval, "accuracy"),
                 train_result_metric(r.first_eval, "code_frequency"), train_result_metric(r.final_eval, "code_frequency"), el,
                 el / static_cast<double>(i + 1) * static_cast<double>(cells.size() - i - 1));
    if (r.status != RunStatus::finished) ++failed;
    broken += r.environment_failed;
    if (g_run_stop.load()) {
      std::fprintf(stderr, "%s: interrupted after %zu of %zu cells\n", argv[0], i + 1, cells.size());
      return kExitVerdict;
    }
  }
  int status = broken ? kExitEnvironment : failed ? kExitVerdict : kExitOk;
  if (no_compare) return status;
  if (golden_path.empty() && !suite.info.golden.empty()) golden_path = suite_golden_path(suite);
  if (golden_path.empty() || !file_exists(golden_path)) {
    std::fprintf(stderr, "%s: no golden for suite %s (%s): nothing to compare\n", argv[0], suite.info.name.c_str(), golden_path.c_str());
    return status;
  }
  Comparison c = compare_golden(store, suite, golden_load(golden_path));
  std::string table = comparison_table(c);
  std::fwrite(table.data(), 1, table.size(), stdout);
  std::printf("database: %s\n", store.path().c_str());
  return std::max(status, c.exit_status());
}

}  // namespace rlvr::app
