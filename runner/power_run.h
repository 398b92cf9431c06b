// power_run.h: measuring a suite's detection power (the library under `rlvrbench power`): each
// mutant's cells and the unmutated control trained on fresh seeds (finished runs with the same
// config are reused, so an interrupted measurement resumes), then judged against the golden.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "golden/golden.h"
#include "golden/power.h"
#include "results/store.h"
#include "suites/suite.h"

namespace rlvr {

struct PowerPlan {
  std::string suite_path, golden_path;
  std::vector<const SuiteMutant*> mutants;    // the suite's mutants to measure
  std::vector<int64_t> seeds, control_seeds;  // fresh seeds: none of the golden's
  bool no_control = false, no_train = false, quiet = false;
  // --group K: judge the seeds K at a time, as one run of K seeds (the suite's own run size), so a
  // "caught" counts runs, not seeds; both seed lists must hold a multiple of K.
  int64_t group = 1;
};

// The plan from the command's text: every mutant or those named in `mutants_text` ("A,B"), seeds
// (default: the first seed after the golden's), control seeds (default: the seeds). InputError
// naming --mutants, --seeds or --control-seeds; a golden seed is refused.
PowerPlan power_plan(const Suite& suite, const Golden& golden, const std::string& mutants_text, const std::string& seeds_text,
                     const std::string& control_text, int64_t group = 1);

// Trains what the plan needs (unless no_train) into `store` and judges it. false: a stop signal
// ended it early (`rep` is then partial).
bool power_run(const Suite& suite, const Golden& golden, const PowerPlan& plan, Store& store, PowerReport& rep);

}  // namespace rlvr
