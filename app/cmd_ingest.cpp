// rlvrbench ingest / export: runs made by other trainers into the results database, and
// rlvrbench's runs out, as run files (results/run_file.h, docs/run-format.md).
//   ingest FILE... [--suite S.toml] [--data EVAL.jsonl] [--db PATH]
//   export --run ID [--db PATH] [--out FILE]
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "app/commands.h"
#include "runner/external_run.h"
#include "results/run_file.h"
#include "runner/suite_run.h"
#include "eval/dataset.h"
#include "results/store.h"
#include "suites/suite.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

namespace {

std::set<std::string> dataset_ids(const std::string& path) {
  std::set<std::string> ids;
  for (const DatasetItem& d : dataset_load(path)) ids.insert(d.id);
  return ids;
}

}  // namespace

int cmd_ingest(int argc, char** argv) {
  std::vector<std::string> files;
  std::string suite_path, data_path, db;
  bool quiet = false;
  Cli cli(argv[0],
          "Validates run files (one JSONL file per run, docs/run-format.md: a header line, then one line per\n"
          "graded eval response, optional step metrics) made by another trainer (verl, TRL, OpenRLHF) or by\n"
          "`rlvrbench export`, and stores each as a run, so compare, query and report judge it like rlvrbench's\n"
          "own. Every file is checked before any is written; each is stored in one transaction. A file\n"
          "ingested before (same bytes) is skipped.");
  cli.rest("FILE", "run files", &files)
      .option("--suite", "S.toml", "check each run against the suite: its suite and cell exist, its problems are the eval set's", &suite_path)
      .option("--data", "EVAL.jsonl", "the eval dataset its problem ids must come from (default with --suite: the cell's data.eval)", &data_path)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .flag("--quiet", "no line per file", &quiet)
      .epilog("exit status: 0 stored, 2 bad input (one line naming the file, line and field; nothing written)");
  if (!cli.parse(argc, argv)) return kExitOk;
  std::set<std::string> ids;
  if (!data_path.empty()) ids = dataset_ids(data_path);
  std::optional<Suite> suite;
  if (!suite_path.empty()) suite = suite_load(suite_path);
  std::vector<RunFile> runs;
  for (const std::string& f : files) {
    runs.push_back(run_file_read(f, data_path.empty() ? nullptr : &ids));
    if (suite) run_file_check_suite(*suite, runs.back(), /*ids_checked=*/!data_path.empty());
  }
  Store store(store_default_path(db));
  for (const RunFile& r : runs) {
    const std::optional<int64_t> id = run_file_store(store, r);
    if (quiet) continue;
    size_t samples = 0;
    for (const auto& e : r.evals) samples += e.items.size();
    if (id)
      std::printf("%s: run %lld (%s/%s seed %lld, %s %s): %zu evals, %zu samples, %zu metric steps\n", r.path.c_str(),
                  static_cast<long long>(*id), r.info.suite.c_str(), r.info.cell.c_str(), static_cast<long long>(r.info.seed),
                  r.params.at("trainer.name").c_str(), r.params.at("trainer.version").c_str(), r.evals.size(), samples, r.metrics.size());
    else
      std::printf("%s: already ingested (same bytes), skipped\n", r.path.c_str());
  }
  if (!quiet) std::printf("database: %s\n", store.path().c_str());
  return kExitOk;
}

int cmd_export(int argc, char** argv) {
  int64_t run = 0;
  std::string db, out;
  Cli cli(argv[0],
          "Writes one run of the results database as a run file (docs/run-format.md): what `rlvrbench ingest`\n"
          "reads, so a run can move between databases or be checked against another trainer's. The database\n"
          "keeps no response texts: \"response\" is null.");
  cli.option("--run", "ID", "the run's id (`rlvrbench query runs`)", &run, true)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--out", "FILE", "write here (atomically) instead of stdout", &out);
  if (!cli.parse(argc, argv)) return kExitOk;
  const std::string path = store_default_path(db);
  if (!file_exists(path)) throw_input(path, "no such database");
  Store store(path);
  const std::string text = run_file_export(store, run);
  if (out.empty()) std::fwrite(text.data(), 1, text.size(), stdout);
  else file_write_atomic(out, text);
  return kExitOk;
}

}  // namespace rlvr::app
