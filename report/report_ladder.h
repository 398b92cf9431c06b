// report_ladder.h: the mutant ladders' power curves (golden/README.md, "Detection power"), read
// from `rlvrbench power --format json` and drawn by `rlvrbench report --power FILE`: per ladder,
// the share of runs (seeds, or groups of seeds with power --group) that caught each rung, against
// the rung's size. Reading is separate from drawing; neither writes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "report/report_figures.h"

namespace rlvr::report {

struct LadderRung {
  std::string mutant;
  double rung = 0;              // the fault's size on its ladder (suites/README.md, `rung`)
  int64_t caught = 0, runs = 0;  // runs that caught it, runs measured
};

struct Ladder {
  std::string name;
  std::vector<LadderRung> rungs;  // by rung size
};

struct LadderView {
  std::string path;           // the power JSON
  std::string suite;
  int64_t group = 1;          // seeds judged together (power --group)
  std::vector<int64_t> seeds;
  std::vector<Ladder> ladders;  // in the order the JSON first names them
};

// Parses power's JSON; anything malformed -> InputError "FILE: FIELD: what". A file without any
// ladder rung is an error too: there would be nothing to draw.
LadderView ladder_view_load(const std::string& power_json_path);
// fig-6-ladders: one panel per ladder, caught share (%) against rung.
Figure ladder_figure(const LadderView& v);
// The same numbers as an HTML table (every rung: caught / runs).
std::string ladder_table_html(const LadderView& v);

}  // namespace rlvr::report
