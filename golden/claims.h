// claims.h: the paper's claims, one verdict each, from what the goldens measured (golden/claims.toml,
// format and rules in golden/README.md, "Claims").
//
// A claim names the paper's statement, the paper's own number (a cell of golden/paper.toml, or
// text where the paper gives curves only) and its zoo analogue: a gain or contrast claim of a
// measured golden. The verdict is computed from that golden's measured mean and the 95% interval
// of the mean (t with the golden's df, se = sd of one seed / sqrt(seeds)); judging is separate
// from printing (claims_render).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "golden/golden.h"
#include "results/metric.h"

namespace rlvr {

// What the paper says happens, on the zoo analogue's measured value (one name table:
// claim_expect_name / parse in claims.cpp). m is the claim's margin (the smallest effect that
// counts; golden/README.md, "Claims").
enum class ClaimExpect {
  gain,          // the value rises by m or more
  no_gain,       // it does not rise by m or more (equivalence: the interval stays below +m)
  loss,          // it falls by m or more
  above,         // the final value (baseline + gain) exceeds `threshold`
  not_testable,  // no analogue here; `why` says why
};
const char* claim_expect_name(ClaimExpect e);

enum class ClaimVerdict { reproduced, direction_only, not_reproduced, inconclusive, not_testable };
// "reproduced", "direction only", "not reproduced on the stand-in", "inconclusive", "not testable here"
const char* claim_verdict_name(ClaimVerdict v);

// The least step-0 code frequency at which a stand-in counts as writing code (`requires =
// "code"`): below it a reward about code never fires on it, so the claim is not testable there.
inline constexpr double kClaimCodeBaselineMin = 0.05;

struct ClaimSpec {
  std::string id;      // unique, [a-z0-9-]
  std::string claim;   // the paper's statement, one line
  std::string group;   // rows with the same group print together (e.g. "random reward")
  ClaimExpect expect = ClaimExpect::gain;
  // The paper's number: a cell of the paper golden (model/reward, metric, step), or text.
  std::string paper_cell, paper_minus, paper_metric = metric_cstr(Metric::accuracy), paper_text;  // paper_minus: a contrast claim
  int64_t paper_step = 0;
  // The zoo analogue: a claim of `golden` (a path relative to the claims file's folder).
  std::string golden, cell, minus, metric = metric_cstr(Metric::accuracy);
  double threshold = 0;  // above: the bar the final value must clear
  double margin = NAN;   // gain, no_gain, loss: the smallest effect that counts (the file's `margin` unless set)
  // Earlier claims' ids this one needs reproduced: the effect it is about (a gain that vanishes
  // without the clip), or a stand-in that can learn at all (its ground-truth gain). Otherwise the
  // world could not have shown it: not testable here.
  std::vector<std::string> depends_on;
  bool requires_code = false;    // `requires = "code"`: the stand-in must write code at step 0
  std::string same_evidence_as;  // an earlier claim read from the same runs: counted once
  std::string why;       // not_testable: the reason
  std::string note;
};

struct ClaimsFile {
  std::string path, paper_golden;  // paper_golden: path of the paper's golden (relative to path's folder)
  double margin = NAN;             // the default margin of gain, no_gain and loss claims
  // A multi-seed golden whose seed sd per problem se (median of sd_seed / se_problems over its
  // gains and contrasts) widens one-seed intervals: a one-seed golden has no seed spread of its own.
  std::string one_seed_sd_from;
  std::vector<ClaimSpec> claims;
};

// Parses golden/claims.toml strictly; bad input -> InputError "FILE: claim[i].FIELD: what".
ClaimsFile claims_load(const std::string& path);

struct ClaimRow {
  ClaimSpec spec;  // a copy: rows outlive the file they were judged from
  ClaimVerdict verdict = ClaimVerdict::not_testable;
  // The paper's number (NaN when it gives text only) and its baseline.
  double paper_gain = NAN, paper_baseline = NAN;
  std::vector<std::string> paper_versions;  // the versions of the paper that state that number
  // The zoo analogue: measured mean (gain or contrast; `above`: the final value), its 95% interval,
  // and the evidence behind it.
  double value = NAN, lo = NAN, hi = NAN, baseline = NAN;
  int64_t seeds = 0;       // independent seeds: deterministic replicates (identical values) count once
  int64_t replicates = 0;  // the golden's seeds, replicates included
  double df = NAN;
  double inflation = 1;    // one-seed rows: the factor their se was widened by (one_seed_sd_from)
  std::string shared_with; // same_evidence_as: the claim whose runs this row reads again
  std::string source;  // "golden/zoo-full.toml (1 seed, 2026-11-24)"
  std::string reason;  // why this verdict, one line
};

// Judges every claim against the goldens it names (loaded once each). A claim whose golden has no
// matching entry is an InputError naming the claims file and the claim: a table must never drop a
// row silently.
std::vector<ClaimRow> claims_judge(const ClaimsFile& f);

// The texts every printer of a row shows (the tables here and the report's): the paper's number
// ("+21.4 (Qwen2.5-Math-7B, step 150; preprint-2025-05)", or its text), the analogue ("CELL [-
// MINUS] METRIC"), a value in the row's unit (signed points; an `above` claim's final value in
// percent) and the interval ("[lo, hi]", or "exact").
std::string claim_paper_text(const ClaimRow& r);
std::string claim_analogue_text(const ClaimSpec& s);
std::string claim_value_text(const ClaimRow& r, double v);
std::string claim_interval_text(const ClaimRow& r);

// "3 reproduced, 1 direction only, ...": each body of evidence once (rows with same_evidence_as skipped).
std::string claims_count_text(const std::vector<ClaimRow>& rows);

// Printing: an aligned text table, a markdown table (the README's), or JSON.
std::string claims_table(const std::vector<ClaimRow>& rows);
std::string claims_markdown(const std::vector<ClaimRow>& rows);
std::string claims_json(const std::vector<ClaimRow>& rows);

}  // namespace rlvr
