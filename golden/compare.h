// compare.h: judging a golden's claims against the results store (`rlvrbench compare`).
#pragma once
#include <string>
#include <vector>

#include "golden/golden.h"
#include "golden/measure.h"
#include "results/store.h"
#include "suites/suite.h"

namespace rlvr {

enum class Verdict { pass, regression, improved, missing, failed_run };
const char* verdict_name(Verdict v);  // "PASS", "REGRESSION", "IMPROVED", "MISSING", "FAILED RUN"

// The rule of golden/README.md: the measured 95% interval [lo, hi] of the gain against the band
// [gain - band, gain + band]: REGRESSION when hi < band low, IMPROVED when lo > band high, else PASS.
Verdict judge(const GoldenEntry& e, const Measurement& m);

struct Judged {
  GoldenEntry entry;
  Measurement m;
  Verdict verdict;
};

struct Comparison {
  std::string suite, suite_path, golden_path, db_path;
  std::vector<Judged> rows;                  // in golden order
  std::vector<std::string> unclaimed_cells;  // suite cells no claim covers (shown, not failed)
  int exit_status() const;                   // 0 when every row is PASS, else 1
};

// Reaps stale 'running' rows of this host first, so a SIGKILLed cell reads as FAILED RUN.
// A golden for another suite -> InputError naming the golden's `suite` field.
Comparison compare_golden(Store& st, const Suite& suite, const Golden& golden);

std::string comparison_table(const Comparison& c);
std::string comparison_json(const Comparison& c);

}  // namespace rlvr
