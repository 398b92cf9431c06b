// compare.h: judging a golden's claims against the results store (`rlvrbench compare`), and the
// same judgement of a mutant's runs (`rlvrbench power`). Computing verdicts (compare.cpp) is
// separate from printing them (compare_render.cpp).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "golden/golden.h"
#include "golden/measure.h"
#include "results/store.h"
#include "suites/suite.h"
#include "util/enum_names.h"

namespace rlvr {

enum class Verdict : uint8_t { pass, regression, improved, missing, failed_run };
constexpr EnumName<Verdict> kVerdictNames[] = {{Verdict::pass, "PASS"},
                                               {Verdict::regression, "REGRESSION"},
                                               {Verdict::improved, "IMPROVED"},
                                               {Verdict::missing, "MISSING"},
                                               {Verdict::failed_run, "FAILED RUN"}};
constexpr std::span<const EnumName<Verdict>> enum_names(Verdict) { return kVerdictNames; }
// The printed name (a NUL-terminated literal from the table): "PASS", "REGRESSION", ...
inline const char* verdict_name(Verdict v) { return enum_name(v).data(); }

// A model's step-0 spread over the cells of an eval-only suite (golden/baseline.h).
struct BaselineSpread {
  std::string suite, model, dataset, metric;
  double lo = 0, hi = 0;               // step-0 values (fractions): the lowest and the highest cell
  std::string lo_cell, hi_cell;        // their cell labels (e.g. template-plain, template-qwen-math)
  int64_t cells = 0;                   // cells with a finished step-0 evaluation
  double spread() const { return hi - lo; }
};

struct Judged {
  GoldenEntry entry;
  Measurement m;
  Verdict verdict = Verdict::missing;
  // v2 (golden/README.md): the measured-minus-claimed difference on the judged scale, its standard
  // error sd_seed * sqrt(1/n_new + 1/n_gold), t = diff / se, the two-sided p-value, and whether
  // the claim is exact (sd_seed = 0: any difference fails).
  // v3: t is the standardized deviation d of the judged seeds from the golden's (golden/permutation.h)
  // and p its permutation p-value; se is not used.
  double diff = NAN, se = NAN, t = NAN, p = NAN;
  double alpha = NAN;  // v3: the family-wise level p was held to (a share of the golden's alpha when its family split off)
  bool exact = false;
  // The smallest shift of the claim (judged scale) that fails about half the time with 1 and k
  // fresh seeds (Comparison::mde_seeds); infinite when the golden cannot flag that many.
  // `underpowered`: a science claim whose k-seed MDE exceeds detect x its size (the suite's
  // [science]; a no-gain claim: its margin), or, in a suite that declares none, a gain or contrast
  // whose one-seed MDE exceeds its own size: it cannot see its own loss.
  double mde_1 = NAN, mde_k = NAN;
  bool underpowered = false;
  // A pre-registered science claim (suite [science]) rather than telemetry; no_gain: the claim is
  // "no effect" within +-margin, and `equivalent` says whether the judged seeds show it (TOST:
  // the 90% interval of their mean, over the golden's seed spread, inside +-margin).
  bool science = false, no_gain = false, equivalent = false;
  double margin = NAN;
  // A gain claim smaller than its model's step-0 spread (compare --baseline-suite): why; "" = not flagged.
  std::string baseline_note;
  std::vector<std::string> cells() const;  // the suite cells the claim reads
};

struct Comparison {
  std::string suite, suite_path, golden_path, db_path;
  std::string statistic;                     // the golden's statistic
  double alpha = 0;                          // v2: family-wise false-alarm rate
  int64_t holm_m = 0;                        // v2: statistical claims Holm corrects over; v3: claims in the family
  // v3: the relabeling the verdict rests on: units pooled (golden seeds + judged seeds), k-subsets
  // counted, whether all were enumerated, the family-wise level that holds, and the critical
  // max |d| for 1 and 5 fresh seeds (what the MDEs scale).
  int64_t perm_units = 0, perm_subsets = 0;
  bool perm_exhaustive = true;
  double false_alarm_level = NAN, crit_1 = NAN, crit_k = NAN;
  int64_t mde_seeds = 5;  // the k of the k-seed MDE: the suite's seeds when more than one, else 5
  // Suites with [science]: the science claims form their own family at science_alpha, the
  // telemetry at alpha - science_alpha, whenever both shares can flag at the judged number of
  // seeds (families_split; a rule of k and the seed count, fixed before any data). The levels
  // each holds add up to false_alarm_level. crit_k_science: the science family's k-seed critical value.
  bool families_split = false;
  double science_alpha = NAN, science_detect = NAN, science_level = NAN, telemetry_level = NAN, crit_k_science = NAN;
  int64_t golden_seeds = 0;
  // Paper goldens with versions: the version judged, the golden's versions, and how many of its
  // claims (all versions) that version states.
  std::string paper_version;
  std::vector<std::string> paper_versions;
  size_t claims_all_versions = 0;
  std::vector<BaselineSpread> baselines;  // compare --baseline-suite: the spreads flagged against
  std::vector<Judged> rows;                  // in golden order
  std::vector<std::string> unclaimed_cells;  // suite cells no claim covers (shown, not failed)
  int exit_status() const;                   // 0 when every row is PASS, else 1
};

// Reaps stale 'running' rows of this host first, so a SIGKILLed cell reads as FAILED RUN.
// A golden for another suite, or a claim naming a cell the suite lacks -> InputError naming the
// golden's field. `mutants`: which cells read a mutant's runs instead of the real ones.
// The golden names the suite and its contrast cells exist in it; throws InputError naming the
// golden's field. compare_golden calls it; a command calls it first, so a bad argument is named
// before the database is opened.
void compare_check_inputs(const Suite& suite, const Golden& golden);
Comparison compare_golden(Store& st, const Suite& suite, const Golden& golden, const MutantByCell& mutants = {});

// v3: the permutation verdicts of the measured statistical rows (golden/compare_permutation.cpp).
void comparison_judge_permutation(Comparison& c, const Golden& golden);
// Every row's minimum detectable effects and underpowered flag (v2 and v3).
void comparison_mde_fill(Comparison& c, const Golden& golden);

// Whether some statistical claim (not an exact one, a probe, a failed or missing run) failed: what
// a sequential confirmation re-judges with more seeds.
bool comparison_flags_statistical(const Comparison& c);

std::string comparison_table(const Comparison& c);
std::string comparison_json(const Comparison& c);

}  // namespace rlvr
