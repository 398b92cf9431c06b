// rlvrbench suite: list a suite's cells, print a cell's run config, set the database up.
//   suite list SUITE.toml [--format text|json|cmake]
//   suite config SUITE.toml --cell NAME          (the run TOML the trainer gets for that cell)
//   suite setup SUITE.toml [--db PATH]           (CTest's per-suite fixture: create/migrate, reap)
#include <cstdio>
#include <string>

#include "app/commands.h"
#include "results/store.h"
#include "suites/suite.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

namespace {

int suite_list(int argc, char** argv) {
  std::string path, format = "text";
  Cli cli(argv[0], "Expands a suite into its cells (suite/model/reward/seed), one per line.");
  cli.positional("SUITE.toml", "the suite", &path).option("--format", "text|json|cmake", "output format", &format);
  if (!cli.parse(argc, argv)) return kExitOk;
  if (format != "text" && format != "json" && format != "cmake")
    throw_input("--format", "expected text, json or cmake, got '" + format + "'");
  Suite s = suite_load(path);
  std::string out;
  if (format == "json") out = suite_render_json(s);
  else if (format == "cmake") out = suite_render_cmake(s);
  else {
    for (const auto& c : s.cells) {
      out += c.name;
      for (const auto& a : suite_cell_set_args(c)) out += " " + a;
      out += "\n";
    }
    for (const auto& [a, b] : s.info.contrasts) out += "contrast " + a + " - " + b + "\n";
    for (const auto& m : s.mutants) {
      out += "mutant " + m.name + " (" + (m.expect_caught ? "expect caught" : "expect missed") + "):";
      for (const auto& c : suite_mutant_cells(s, m)) out += " " + c.name;
      for (const auto& [k, v] : m.set) out += " " + k + "=" + v;
      out += "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int suite_config(int argc, char** argv) {
  std::string path, cell;
  Cli cli(argv[0], "Prints the run TOML of one cell (what `rlvrbench train --suite S --cell NAME` runs).");
  cli.positional("SUITE.toml", "the suite", &path).option("--cell", "NAME", "suite/model/reward/seed", &cell, true);
  if (!cli.parse(argc, argv)) return kExitOk;
  Suite s = suite_load(path);
  std::string out = suite_cell_run_toml(suite_cell_find(s, cell));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int suite_setup(int argc, char** argv) {
  std::string path, db;
  Cli cli(argv[0],
          "Checks the suite, creates or migrates the results database once before the cells run in\n"
          "parallel, and marks runs of dead processes as killed. Prints the database path.");
  cli.positional("SUITE.toml", "the suite", &path)
      .option("--db", "PATH", "results database (default: $RLVRBENCH_DB, else results/rlvrbench.db)", &db);
  if (!cli.parse(argc, argv)) return kExitOk;
  Suite s = suite_load(path);
  Store st(store_default_path(db));
  int64_t reaped = st.runs_reap_stale();
  std::printf("suite %s: %zu cells; database %s", s.info.name.c_str(), s.cells.size(), st.path().c_str());
  if (reaped) std::printf(" (%lld stale runs marked killed)", static_cast<long long>(reaped));
  std::printf("\n");
  return kExitOk;
}

}  // namespace

int cmd_suite(int argc, char** argv) {
  const std::string sub = argc >= 2 ? argv[1] : "";
  if (sub == "--help" || sub == "-h") {
    std::printf("usage: %s list SUITE.toml [--format text|json|cmake]\n"
                "       %s config SUITE.toml --cell NAME\n"
                "       %s setup SUITE.toml [--db PATH]\n",
                argv[0], argv[0], argv[0]);
    return kExitOk;
  }
  int (*fn)(int, char**) = sub == "list" ? suite_list : sub == "config" ? suite_config : sub == "setup" ? suite_setup : nullptr;
  if (!fn) throw_input(argv[0], sub.empty() ? "missing subcommand (list, config, setup)" : "unknown subcommand '" + sub + "' (list, config, setup)");
  std::string prog = std::string(argv[0]) + " " + sub;
  argv[1] = prog.data();
  return fn(argc - 1, argv + 1);
}

}  // namespace rlvr::app
