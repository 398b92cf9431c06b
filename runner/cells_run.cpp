#include "runner/cells_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "results/metric.h"
#include "runner/external_run.h"
#include "runner/scheduler.h"
#include "runner/stop_signal.h"
#include "runner/train_hooks.h"
#include "util/error.h"

namespace rlvr {

namespace {

// Cells another framework trains (`runner`): one after another, each ingested as it ends; they leave
// the selection.
void external_cells_run(const Suite& suite, CellSelection& sel, Store& store, bool quiet, CellsRun& r) {
  size_t kept = 0;
  for (size_t i = 0; i < sel.cells.size() && !r.stopped; ++i) {
    if (sel.cells[i]->runner.empty()) {
      sel.cells[kept] = sel.cells[i];
      sel.configs[kept++] = sel.configs[i];
      continue;
    }
    std::fprintf(stderr, "[%s] external runner\n", sel.cells[i]->name.c_str());
    const int rc = external_cell_run(suite, *sel.cells[i], sel.configs[i], store, quiet, /*summary=*/false);
    r.failed += rc != kExitOk;
    r.broken += rc == kExitEnvironment;
    r.stopped = stop_requested();
  }
  sel.cells.resize(kept);
  sel.configs.resize(kept);
}

// rlvrbench's own cells in this process, one after another, with progress and an ETA.
void cells_in_process(const CellSelection& sel, Store& store, const CellsRunOptions& opt, CellsRun& r) {
  const auto t0 = std::chrono::steady_clock::now();
  const size_t n = sel.cells.size();
  for (size_t i = 0; i < n; ++i) {
    const RunConfig& cfg = sel.configs[i];
    std::string prefix = std::string("[").append(std::to_string(i + 1)).append("/").append(std::to_string(n));
    prefix.append(" ").append(sel.cells[i]->name).append("] ");  // (append, not "[" + ...: GCC 12 false -Warray-bounds)
    TrainResult t = train_run(cfg, store, train_hooks_make(cfg, opt.suite_path, opt.quiet, prefix, &stop_flag()), false);
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const char* acc = metric_cstr(Metric::accuracy);
    const char* code = metric_cstr(Metric::code_frequency);
    std::fprintf(stderr, "%s%s in %.0f s: accuracy %.3f -> %.3f, code %.2f -> %.2f (elapsed %.0f s, ETA %.0f s)\n", prefix.c_str(),
                 std::string(enum_name(t.status)).c_str(), t.seconds, train_result_metric(t.first_eval, acc),
                 train_result_metric(t.final_eval, acc), train_result_metric(t.first_eval, code),
                 train_result_metric(t.final_eval, code), el, el / static_cast<double>(i + 1) * static_cast<double>(n - i - 1));
    r.failed += t.status != RunStatus::finished;
    r.broken += t.environment_failed;
    if (stop_requested()) {
      std::fprintf(stderr, "%s: interrupted after %zu of %zu cells\n", opt.prog, i + 1, n);
      r.stopped = true;
      return;
    }
  }
}

}  // namespace

CellsRun cells_run(const Suite& suite, CellSelection& sel, Store& store, const CellsRunOptions& opt) {
  CellsRun r;
  external_cells_run(suite, sel, store, opt.quiet, r);
  if (r.stopped) return r;
  // Data-parallel cells (`ranks` > 1) need processes of their own: then every cell runs as a child.
  const bool children = opt.jobs > 1 || std::any_of(sel.cells.begin(), sel.cells.end(), [](const SuiteCell* c) { return c->ranks > 1; });
  if (children) {
    r.failed += run_parallel(sel.cells, sel.configs, store.path(), opt.jobs, opt.quiet, opt.prog, r.broken);
    r.stopped = stop_requested();
  } else {
    cells_in_process(sel, store, opt, r);
  }
  return r;
}

int cells_run_status(const CellsRun& r) {
  if (r.broken) return kExitEnvironment;
  return r.failed || r.stopped ? kExitVerdict : kExitOk;
}

}  // namespace rlvr
