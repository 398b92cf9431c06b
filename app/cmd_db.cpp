// rlvrbench db: operations on results databases as files.
//   db merge --out MERGED.db SHARD.db...   (the shards of a suite run across a fleet, in one file)
#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/subcommands.h"
#include "results/db_merge.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

namespace {

int db_merge_cmd(int argc, char** argv) {
  std::string out;
  std::vector<std::string> inputs;
  bool quiet = false;
  Cli cli(argv[0],
          "Copies every run of the input databases, with all its rows and provenance, into MERGED.db (created,\n"
          "or added to). A run the output already holds identically is skipped, so merging a shard twice adds\n"
          "nothing; the same run (suite, cell, seed, mutant, host, pid, start time) recorded differently in two\n"
          "files is an error naming both. Inputs are only read. The output is written to a temporary file and\n"
          "renamed, so an error or a crash leaves the old output (or none) whole. `compare` and `report` on the\n"
          "merged file judge the runs as they would in one database.");
  cli.rest("SHARD.db", "input databases (this build's schema version; open an older one once to migrate it)", &inputs)
      .option("--out", "MERGED.db", "the merged database", &out, true)
      .flag("--quiet", "no summary line", &quiet)
      .epilog("exit status: 0 merged, 2 bad input (a missing or foreign file, schema versions that differ, a run\n"
              "recorded differently), with one line naming the file(s)");
  if (!cli.parse(argc, argv)) return kExitOk;
  for (const std::string& in : inputs)
    if (in == out) throw_input(in, "is the output too (--out): merging a file into itself");
  const auto t0 = std::chrono::steady_clock::now();
  const MergeStats st = db_merge(out, inputs);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!quiet)
    std::printf("db merge: %lld files -> %s: %lld runs added (%lld rows), %lld already there, in %.2f s\n",
                static_cast<long long>(st.files), out.c_str(), static_cast<long long>(st.runs_added),
                static_cast<long long>(st.rows_added), static_cast<long long>(st.runs_same), s);
  return kExitOk;
}

constexpr std::array kSubs = {Subcommand{"merge", "merge results databases (a suite's shards) into one", db_merge_cmd}};

}  // namespace

int cmd_db(int argc, char** argv) { return subcommand_dispatch(argc, argv, kSubs, "Results databases as files."); }

}  // namespace rlvr::app
