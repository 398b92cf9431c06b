// test_fixture.h: the small results database the report tests draw, written through the Store API
// like the trainer writes it: 2 models x 2 rewards x 2 seeds, step metrics every step (reward,
// clip fractions), greedy evals at steps 0, 10 and 20 on 40 problems with per-problem items whose
// metrics are computed from the items (so the report's numbers can be cross-checked).
// One run fails at step 15 (drawn dashed, left out of the means). Text fields carry markup so that
// escaping is exercised.
#pragma once
#include <string>

namespace rlvr::report::test {

enum class FixtureMode {
  good,     // the 8 runs above
  partial,  // good + a cell whose run never reached an eval (a note in the report)
  empty,    // a fresh database without runs
  noevals,  // runs with step metrics but no eval rows at all
  newer,    // good, then stamped with a schema version from the future
  notadb,   // a text file
};

inline constexpr int kFixtureCells = 4;
inline constexpr int kFixtureRuns = 8;
inline constexpr int kFixtureFigures = 4;  // accuracy, code frequency, gain, clip fraction
inline constexpr const char* kFixtureDataset = "synth-eval";
inline constexpr const char* kFixtureNoEvalCell = "synth-olmo2-7b/format";

FixtureMode fixture_mode_parse(const std::string& s);  // std::invalid_argument on unknown
void fixture_write(const std::string& path, FixtureMode mode);

}  // namespace rlvr::report::test
