// rlvrbench suite: list a suite's cells, print a cell's run config, set the database up.
//   suite list SUITE.toml [--format text|json|cmake|names|regex] [--shard I/N]
//   suite shards SUITE.toml --shards N             (the partition: cells and cost of every shard)
//   suite config SUITE.toml --cell NAME          (the run TOML the trainer gets for that cell)
//   suite setup SUITE.toml [--db PATH]           (CTest's per-suite fixture: create/migrate, reap)
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "app/commands.h"
#include "runner/suite_shard.h"
#include "results/store.h"
#include "suites/suite.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

namespace {

// A ctest -R regex matching exactly these test names (regex metacharacters escaped).
std::string names_regex(const std::vector<const SuiteCell*>& cells) {
  std::string out = "^(";
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += "|";
    for (char ch : cells[i]->name) {
      if (std::string_view(".+*?()[]{}|^$\\").find(ch) != std::string_view::npos) out += '\\';
      out += ch;
    }
  }
  return out + ")$";
}

int suite_list(int argc, char** argv) {
  std::string path, format = "text", shard;
  Cli cli(argv[0], "Expands a suite into its cells (suite/model/reward/seed), one per line.");
  cli.positional("SUITE.toml", "the suite", &path)
      .option("--format", "text|json|cmake|names|regex",
              "output format: text (cells with their overrides, contrasts, mutants), json, cmake (what CTest\n"
              "registers), names (one cell name a line), regex (one `ctest -R` regex of the cells)", &format)
      .option("--shard", "I/N", "only shard I of N (0-based; what `run --shard I/N` runs): names or regex formats", &shard)
      .epilog("`ctest -R \"$(rlvrbench suite list S.toml --shard I/N --format regex)\"` runs shard I's cells under CTest\n"
              "(with their fixtures: database setup, zoo builds); see README.md, \"Fleets\".");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (format != "text" && format != "json" && format != "cmake" && format != "names" && format != "regex")
    throw_input("--format", "expected text, json, cmake, names or regex, got '" + format + "'");
  Suite s = suite_load(path);
  if (!shard.empty() && format != "names" && format != "regex")
    throw_input("--shard", "needs --format names or regex (a shard is a list of cells)");
  std::string out;
  if (format == "names" || format == "regex") {
    const std::vector<const SuiteCell*> cells = suite_shard_cells(s, shard);
    if (format == "regex") {
      out = names_regex(cells) + "\n";
    } else {
      for (const SuiteCell* c : cells) out += c->name + "\n";
    }
  } else if (format == "json") out = suite_render_json(s);
  else if (format == "cmake") out = suite_render_cmake(s);
  else {
    for (const auto& c : s.cells) {
      out += c.name;
      for (const auto& a : suite_cell_set_args(c)) out += " " + a;
      out += "\n";
    }
    for (const auto& [a, b] : s.info.contrasts) out += "contrast " + a + " - " + b + "\n";
    for (const auto& m : s.mutants) {
      out += "mutant " + m.name + " (" + (m.traced ? "traced" : m.expect_caught ? "expect caught" : "expect missed") + "):";
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

int suite_shards(int argc, char** argv) {
  std::string path;
  int64_t n = 0;
  Cli cli(argv[0],
          "Prints how `run --shard I/N` splits a suite over N shards: per shard its cells, estimated cost\n"
          "(parameter-tokens: sampled tokens x 6 + evaluated tokens, times the model's parameters) and share,\n"
          "then every cell's shard. Checks that the shards cover every cell exactly once.");
  cli.positional("SUITE.toml", "the suite", &path).option("--shards", "N", "number of shards", &n, true);
  if (!cli.parse(argc, argv)) return kExitOk;
  if (n < 1 || n > kMaxShards) throw_input("--shards", "must be in [1, " + std::to_string(kMaxShards) + "], got " + std::to_string(n));
  Suite s = suite_load(path);
  std::vector<const SuiteCell*> all;
  for (const auto& c : s.cells) all.push_back(&c);
  const std::vector<double> costs = suite_cells_costs(s, all);
  const std::vector<int64_t> shard = shard_assign(costs, n);
  std::vector<double> load(static_cast<size_t>(n), 0.0);
  std::vector<int64_t> count(static_cast<size_t>(n), 0);
  double total = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    load[static_cast<size_t>(shard[i])] += costs[i];
    ++count[static_cast<size_t>(shard[i])];
    total += costs[i];
  }
  std::printf("suite %s: %zu cells over %lld shards\n", s.info.name.c_str(), all.size(), static_cast<long long>(n));
  std::printf("%-6s %6s %12s %7s\n", "shard", "cells", "cost", "share");
  double heaviest = 0;
  for (int64_t k = 0; k < n; ++k) {
    const double share = total > 0 ? load[static_cast<size_t>(k)] / total : 0;
    heaviest = std::max(heaviest, share);
    std::printf("%-6lld %6lld %12.4g %6.1f%%\n", static_cast<long long>(k), static_cast<long long>(count[static_cast<size_t>(k)]),
                load[static_cast<size_t>(k)], 100 * share);
  }
  std::printf("heaviest shard: %.1f%% of the work (even split: %.1f%%)\n", 100 * heaviest, 100.0 / static_cast<double>(n));
  for (size_t i = 0; i < all.size(); ++i)
    std::printf("%lld %s %.4g\n", static_cast<long long>(shard[i]), all[i]->name.c_str(), costs[i]);
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
    std::printf("usage: %s list SUITE.toml [--format text|json|cmake|names|regex] [--shard I/N]\n"
                "       %s config SUITE.toml --cell NAME\n"
                "       %s shards SUITE.toml --shards N\n"
                "       %s setup SUITE.toml [--db PATH]\n",
                argv[0], argv[0], argv[0], argv[0]);
    return kExitOk;
  }
  int (*fn)(int, char**) = sub == "list"     ? suite_list
                           : sub == "config" ? suite_config
                           : sub == "shards" ? suite_shards
                           : sub == "setup"  ? suite_setup
                                             : nullptr;
  if (!fn) throw_input(sub.empty() ? "missing subcommand" : "unknown subcommand '" + sub + "'", "expected list, config, shards or setup");
  std::string prog = std::string(argv[0]) + " " + sub;
  argv[1] = prog.data();
  return fn(argc - 1, argv + 1);
}

}  // namespace rlvr::app
