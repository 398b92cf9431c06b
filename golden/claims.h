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

namespace rlvr {

// What the paper says happens, on the zoo analogue's measured value (one name table:
// claim_expect_name / parse in claims.cpp).
enum class ClaimExpect {
  gain,          // the value rises: reproduced when the interval is above 0
  no_gain,       // it does not rise: reproduced when the mean is <= 0, refuted when the interval is above 0
  loss,          // it falls: reproduced when the interval is below 0
  above,         // the final value (baseline + gain) exceeds `threshold`
  not_testable,  // no analogue here; `why` says why
};
const char* claim_expect_name(ClaimExpect e);

enum class ClaimVerdict { reproduced, direction_only, refuted, not_testable };
const char* claim_verdict_name(ClaimVerdict v);  // "reproduced", "direction only", "refuted", "not testable here"

struct ClaimSpec {
  std::string id;      // unique, [a-z0-9-]
  std::string claim;   // the paper's statement, one line
  std::string group;   // rows with the same group print together (e.g. "random reward")
  ClaimExpect expect = ClaimExpect::gain;
  // The paper's number: a cell of the paper golden (model/reward, metric, step), or text.
  std::string paper_cell, paper_minus, paper_metric = "accuracy", paper_text;  // paper_minus: a contrast claim
  int64_t paper_step = 0;
  // The zoo analogue: a claim of `golden` (a path relative to the claims file's folder).
  std::string golden, cell, minus, metric = "accuracy";
  double threshold = 0;  // above: the bar the final value must clear
  std::string depends_on;  // another claim's id: this one is about the effect that one establishes
  std::string why;       // not_testable: the reason
  std::string note;
};

struct ClaimsFile {
  std::string path, paper_golden;  // paper_golden: path of the paper's golden (relative to path's folder)
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
  int64_t seeds = 0;
  double df = NAN;
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

// Printing: an aligned text table, a markdown table (the README's), or JSON.
std::string claims_table(const std::vector<ClaimRow>& rows);
std::string claims_markdown(const std::vector<ClaimRow>& rows);
std::string claims_json(const std::vector<ClaimRow>& rows);

}  // namespace rlvr
