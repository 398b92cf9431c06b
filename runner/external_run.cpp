#include "runner/external_run.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "results/run_file.h"
#include "runner/scheduler.h"
#include "runner/suite_run.h"
#include "eval/dataset.h"
#include "util/paths.h"
#include "util/error.h"
#include "util/file.h"

extern char** environ;

namespace rlvr {

void run_file_check_suite(const Suite& suite, const RunFile& f, bool ids_checked, const SuiteCell* want) {
  const std::string where = f.path + ":1";
  if (f.info.suite != suite.info.name) throw_input(where, "suite: '" + f.info.suite + "', but the suite is '" + suite.info.name + "'");
  const SuiteCell* cell = want;
  if (!cell) {
    for (const auto& c : suite.cells)
      if (c.cell == f.info.cell) cell = &c;
    if (!cell) throw_input(where, "cell: '" + f.info.cell + "' is not a cell of suite " + suite.info.name);
  } else {
    if (f.info.cell != cell->cell) throw_input(where, "cell: '" + f.info.cell + "', but the runner ran '" + cell->cell + "'");
    if (f.info.seed != cell->seed) throw_input(where, "seed: " + std::to_string(f.info.seed) + ", but the runner ran seed " + std::to_string(cell->seed));
  }
  bool on_dataset = false;
  for (const auto& e : f.evals) on_dataset = on_dataset || e.dataset == cell->dataset;
  if (!on_dataset) throw_input(f.path, "no sample on the suite's eval dataset '" + cell->dataset + "' (compare judges that one)");
  if (ids_checked) return;
  const RunConfig cfg = suite_cell_config(suite, *cell, {});
  if (cfg.eval_path.empty() || !file_exists(cfg.eval_path)) return;
  std::set<std::string> ids;
  for (const DatasetItem& d : dataset_load(cfg.eval_path)) ids.insert(d.id);
  for (const auto& e : f.evals) {
    if (e.dataset != cell->dataset) continue;
    for (const EvalItem& x : e.items)
      if (!ids.count(x.problem_id))
        throw_input(f.path, "problem_id: '" + x.problem_id + "' (step " + std::to_string(e.step) + ") is not a problem of " + cfg.eval_path);
  }
}

std::string external_command(const SuiteCell& cell, const std::string& config_path, const std::string& out_path) {
  const std::map<std::string, std::string> vars = {
      {"config", config_path},  {"out", out_path},      {"suite", cell.suite},   {"cell", cell.cell},
      {"name", cell.name},      {"model", cell.model},  {"reward", cell.reward}, {"seed", std::to_string(cell.seed)},
      {"steps", std::to_string(cell.steps)}, {"source", data_dir()}, {"rlvrbench", front_binary_path(nullptr)}};
  std::string out;
  const std::string& t = cell.runner;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '{') {
      out += t[i];
      continue;
    }
    const size_t close = t.find('}', i);
    if (close == std::string::npos) throw_input(cell.suite + " runner", "unclosed '{' in '" + t + "'");
    const std::string key = t.substr(i + 1, close - i - 1);
    auto it = vars.find(key);
    if (it == vars.end())
      throw_input(cell.suite + " runner", "unknown placeholder {" + key + "} (known: config, out, suite, cell, name, model, reward, seed, steps, source, rlvrbench)");
    out += it->second;
    i = close;
  }
  return out;
}

int external_cell_run(const Suite& suite, const SuiteCell& cell, const RunConfig& cfg, Store& store, bool quiet, bool summary) {
  std::string dir = (std::filesystem::temp_directory_path() / "rlvrbench-runner-XXXXXX").string();
  if (!mkdtemp(dir.data())) throw std::runtime_error("cannot create a temporary folder under " + dir);
  struct Cleanup {
    std::string d;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
  } cleanup{dir};
  const std::string config = dir + "/config.toml", out = dir + "/run.jsonl";
  file_write_atomic(config, run_config_toml(cfg));
  const std::string cmd = external_command(cell, config, out);
  if (!quiet) std::fprintf(stderr, "[%s] runner: %s\n", cell.name.c_str(), cmd.c_str());
  std::fflush(stderr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, 2, 1);  // the runner's stdout to our stderr: stdout is the summary
  const char* sh_argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", &fa, nullptr, const_cast<char**>(sh_argv), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error(std::string("cannot start /bin/sh: ") + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid: ") + std::strerror(errno));
  // A runner that exits 2 was handed something it cannot train (a run key its trainer cannot express):
  // bad input, as it would be for rlvrbench's own trainer; its one line is already on stderr.
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitBadInput) {
    std::fprintf(stderr, "%s: runner exited 2 (bad input: its message above names the file and field)\n", cell.name.c_str());
    return kExitBadInput;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s: runner %s\n", cell.name.c_str(),
                 WIFEXITED(status) ? ("exited " + std::to_string(WEXITSTATUS(status))).c_str() : "was killed by a signal");
    return kExitVerdict;
  }
  if (!file_exists(out)) {
    std::fprintf(stderr, "%s: the runner exited 0 but wrote no run file ({out})\n", cell.name.c_str());
    return kExitVerdict;
  }
  RunFile f = run_file_read(out, nullptr, cell.name + " runner output");
  f.params["ingest.runner"] = cmd;
  // A mutant's run is tagged by the cell it was run for: a runner that leaves the tag out must not
  // turn a mutant's run into a real one (it would count toward a golden), nor tag another mutant.
  if (f.info.mutant.empty() && !cfg.mutant.empty()) {
    f.info.mutant = cfg.mutant;
    f.fingerprint += "+" + cfg.mutant;  // the same bytes run for the mutant are another run than the unmutated cell's
  }
  if (f.info.mutant != cfg.mutant)
    throw_input(out + ":1", "mutant: '" + f.info.mutant + "', but the runner ran " + (cfg.mutant.empty() ? "the unmutated cell" : "mutant '" + cfg.mutant + "'"));
  run_file_check_suite(suite, f, /*ids_checked=*/false, &cell);
  const std::optional<int64_t> id = run_file_store(store, f);
  if (summary)
    std::printf("{\"run\": %lld, \"status\": \"%s\", \"runner\": \"%s\"}\n", static_cast<long long>(id.value_or(0)),
              std::string(enum_name(f.status)).c_str(), f.params.at("trainer.name").c_str());
  return f.status == RunStatus::finished ? kExitOk : kExitVerdict;
}

}  // namespace rlvr
