// rlvrbench golden update: write a golden that claims what the database measured, with provenance.
#include <sys/utsname.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ctime>
#include <optional>
#include <string>

#include "app/commands.h"
#include "golden/update.h"
#include "util/cli.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::app {

namespace {

std::string utc_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string platform() {
  utsname u{};
  if (uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

int golden_update_cmd(int argc, char** argv) {
  std::string suite_path, golden_path, db, seeds_text;
  bool partial = false, allow_dirty = false;
  Cli cli(argv[0],
          "Measures every cell of a suite in the results database (real runs only, never a mutant's) and\n"
          "writes the golden that claims it: per cell, accuracy and code-frequency gains at the final step\n"
          "and the mechanism markers over every step; per declared contrast, the difference of two cells'\n"
          "gains; each with the spread of one seed and its degrees of freedom (golden/README.md), with\n"
          "provenance. Use it when a change of the measured numbers is intended; commit the file with it.");
  cli.option("--suite", "SUITE.toml", "the suite", &suite_path, /*required=*/true)
      .option("--golden", "GOLDEN.toml", "the golden to write (an existing one is replaced)", &golden_path, /*required=*/true)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db)
      .option("--seeds", "1,2,3", "use these seeds instead of the suite's (a golden measured with more seeds)", &seeds_text)
      .flag("--allow-partial", "write even when some cells have no complete finished runs (their old claims are kept)", &partial)
      .flag("--allow-dirty", "write even when runs came from a build of a tree with uncommitted changes (a commit\n"
                             "ending in -dirty: nobody can rebuild it); the provenance says so", &allow_dirty)
      .epilog("exit status: 0 written, 1 some cells unmeasured (nothing written without --allow-partial), 2 bad input.");
  if (!cli.parse(argc, argv)) return kExitOk;
  Suite suite = suite_load(suite_path, suite_seeds_parse("--seeds", seeds_text));
  suite_seeds_require(suite.info, SeedRole::golden, suite.info.seeds, "--seeds");
  // One update of a folder's goldens at a time, from reading the old golden to the rename: a second
  // one fails at once (exit 1) instead of interleaving with the first.
  std::string golden_dir = std::filesystem::path(golden_path).parent_path().string();
  FileLock lock(golden_dir.empty() ? "." : golden_dir, "another `rlvrbench golden update` of this folder");
  std::optional<Golden> old;
  if (file_exists(golden_path)) {
    try {
      old = golden_load(golden_path);
    } catch (const InputError& e) {  // e.g. a golden of an older statistic: replaced, its claims not kept
      std::fprintf(stderr, "%s: the existing golden is not kept (%s)\n", argv[0], e.what());
    }
  }
  Store st(store_default_path(db));
  GoldenUpdate u = golden_update(st, suite, old, golden_path, platform(), utc_date());
  for (const auto& s : u.unmeasured) std::fprintf(stderr, "unmeasured: %s\n", s.c_str());
  if (!u.unmeasured.empty() && !partial) {
    std::fprintf(stderr, "%s: %zu claims unmeasured; nothing written (--allow-partial keeps their old claims)\n", argv[0],
                 u.unmeasured.size());
    return kExitVerdict;
  }
  if (u.golden.entries.empty()) throw_input(suite_path, "no cell has been measured; nothing to write");
  // A golden is evidence only if its runs can be rebuilt: from clean commits.
  GoldenProvenance& pv = u.golden.provenance;
  if (pv.commit.find("-dirty") != std::string::npos) {
    if (!allow_dirty)
      throw_input("--allow-dirty", "the runs come from a tree with uncommitted changes (" + pv.commit +
                                       "): rebuild from a clean checkout and run again, or pass --allow-dirty");
    pv.note += std::string(pv.note.empty() ? "" : "; ") + "runs from a tree with uncommitted changes (written with --allow-dirty)";
  }
  file_write_atomic(golden_path, golden_render(u.golden));
  std::printf("wrote %s: %zu claims (database %s)\n", golden_path.c_str(), u.golden.entries.size(), st.path().c_str());
  return kExitOk;
}

}  // namespace

int cmd_golden(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "update") {
    std::string prog = std::string(argv[0]) + " update";
    argv[1] = prog.data();
    return golden_update_cmd(argc - 1, argv + 1);
  }
  if (argc >= 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::printf("usage: %s update --suite SUITE.toml --golden GOLDEN.toml [--db PATH] [--allow-partial]\n", argv[0]);
    return kExitOk;
  }
  throw_input(argv[0], argc < 2 ? "missing subcommand (update)" : "unknown subcommand '" + std::string(argv[1]) + "' (update)");
}

}  // namespace rlvr::app
