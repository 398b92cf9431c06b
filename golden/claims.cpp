// claims.cpp: golden/claims.toml -> ClaimsFile (strict), and the verdict of each claim from the
// goldens it names. Rules: golden/README.md, "Claims".
#include "golden/claims.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

#include "golden/stats.h"
#include "golden/text.h"
#include "results/metric.h"
#include "util/error.h"
#include "util/toml_reader.h"

namespace rlvr {

namespace {

constexpr const char* kExpectNames[] = {"gain", "no_gain", "loss", "above", "not_testable"};  // ClaimExpect order
constexpr const char* kVerdictNames[] = {"reproduced", "direction only", "not reproduced on the stand-in", "inconclusive",
                                         "not testable here"};

bool id_ok(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// "model/reward" -> (model, reward); the reward may itself hold no '/'.
std::pair<std::string, std::string> split_cell(const std::string& cell) {
  size_t k = cell.find('/');
  if (k == std::string::npos) return {"", ""};
  return {cell.substr(0, k), cell.substr(k + 1)};
}

std::string resolve(const std::string& base_file, const std::string& rel) {
  namespace fs = std::filesystem;
  fs::path p(rel);
  if (p.is_absolute()) return rel;
  return (fs::path(base_file).parent_path() / p).lexically_normal().string();
}

const GoldenEntry* find_entry(const Golden& g, ClaimKind kind, const std::string& cell, const std::string& minus,
                              const std::string& metric, int64_t step) {
  auto [model, reward] = split_cell(cell);
  const GoldenEntry* best = nullptr;
  for (const GoldenEntry& e : g.entries) {
    if (e.kind != kind || e.model != model || e.reward != reward || e.metric != metric) continue;
    if (kind == ClaimKind::contrast && e.minus != minus) continue;
    if (step >= 0 && e.step != step) continue;
    if (!best || e.step > best->step) best = &e;  // no step named: the golden's last
  }
  return best;
}

// Wilson's score interval (95%) of a proportion p of n: never outside [0, 1], and not empty at 0 or n.
std::pair<double, double> wilson95(double p, double n) {
  const double z = 1.959964, z2 = z * z;
  double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::string seeds_text(int64_t n) { return std::to_string(n) + (n == 1 ? " seed" : " seeds"); }

}  // namespace

const char* claim_expect_name(ClaimExpect e) { return kExpectNames[static_cast<size_t>(e)]; }
const char* claim_verdict_name(ClaimVerdict v) { return kVerdictNames[static_cast<size_t>(v)]; }

ClaimsFile claims_load(const std::string& path) {
  toml::table root = toml_parse_file(path);
  TomlReader r(root, path);
  ClaimsFile f;
  f.path = path;
  f.paper_golden = r.string("paper_golden");
  f.margin = r.number_opt("margin", 0, 1).value_or(NAN);
  f.one_seed_sd_from = r.string_opt("one_seed_sd_from").value_or("");
  const toml::array* arr = r.array_opt("claim");
  if (!arr || arr->empty()) r.fail("claim", "missing: a claims file needs at least one [[claim]]");
  std::set<std::string> ids;
  for (size_t i = 0; i < arr->size(); ++i) {
    std::string field = "claim[" + std::to_string(i) + "]";
    const toml::node* n = arr->get(i);
    if (!n->is_table()) r.fail(field, "expected a table");
    TomlReader c(*n->as_table(), path, field + ".");
    ClaimSpec s;
    s.id = c.string("id");
    if (!id_ok(s.id)) c.fail("id", "'" + s.id + "': use [a-z0-9-]");
    if (!ids.insert(s.id).second) c.fail("id", "'" + s.id + "' appears twice");
    s.claim = c.string("claim");
    s.group = c.string("group");
    std::string ex = c.string_in("expect", {"gain", "no_gain", "loss", "above", "not_testable"});
    for (size_t k = 0; k < std::size(kExpectNames); ++k)
      if (ex == kExpectNames[k]) s.expect = static_cast<ClaimExpect>(k);
    s.paper_cell = c.string_opt("paper_cell").value_or("");
    s.paper_minus = c.string_opt("paper_minus").value_or("");
    s.paper_metric = c.string_opt("paper_metric").value_or(metric_cstr(Metric::accuracy));
    s.paper_step = c.integer_opt("paper_step", 0, 1'000'000).value_or(-1);
    s.paper_text = c.string_opt("paper").value_or("");
    if (s.paper_cell.empty() && s.paper_text.empty()) c.fail("paper", "missing: give paper_cell (a cell of the paper golden) or paper (text)");
    if (!s.paper_cell.empty() && split_cell(s.paper_cell).first.empty()) c.fail("paper_cell", "expected MODEL/REWARD, got '" + s.paper_cell + "'");
    if (!s.paper_cell.empty() && s.paper_step < 0) c.fail("paper_step", "missing (the paper golden's step of paper_cell)");
    s.note = c.string_opt("note").value_or("");
    if (const toml::node* d = c.node("depends_on")) {  // one id, or a list of ids
      if (d->is_string()) s.depends_on = {d->as_string()->get()};
      else if (const toml::array* a = d->as_array()) {
        for (size_t k = 0; k < a->size(); ++k) {
          if (!a->get(k)->is_string()) c.fail("depends_on", "expected an id or a list of ids");
          s.depends_on.push_back(a->get(k)->as_string()->get());
        }
      } else {
        c.fail("depends_on", "expected an id or a list of ids");
      }
    }
    for (const auto& d : s.depends_on)
      if (!ids.count(d) || d == s.id) c.fail("depends_on", "no earlier claim with id '" + d + "'");
    s.same_evidence_as = c.string_opt("same_evidence_as").value_or("");
    if (!s.same_evidence_as.empty() && (!ids.count(s.same_evidence_as) || s.same_evidence_as == s.id))
      c.fail("same_evidence_as", "no earlier claim with id '" + s.same_evidence_as + "'");
    if (auto req = c.string_opt("requires")) {
      if (*req != "code") c.fail("requires", "expected \"code\", got '" + *req + "'");
      s.requires_code = true;
    }
    if (s.expect == ClaimExpect::not_testable) {
      s.why = c.string("why");
    } else {
      s.golden = c.string("golden");
      s.cell = c.string("cell");
      if (split_cell(s.cell).first.empty()) c.fail("cell", "expected MODEL/REWARD, got '" + s.cell + "'");
      s.minus = c.string_opt("minus").value_or("");
      s.metric = c.string_in("metric", {metric_key(Metric::accuracy), metric_key(Metric::code_frequency)});
      if (s.expect == ClaimExpect::above) {
        s.threshold = c.number("threshold", 0, 1);
        if (!s.minus.empty()) c.fail("minus", "an 'above' claim is about one cell's final value, not a contrast");
      } else {
        s.margin = c.number_opt("margin", 0, 1).value_or(f.margin);
        if (std::isnan(s.margin)) c.fail("margin", "missing: a " + std::string(kExpectNames[static_cast<size_t>(s.expect)]) +
                                                       " claim needs the smallest effect that counts (here or at the top of the file)");
      }
    }
    c.finish();
    f.claims.push_back(std::move(s));
  }
  r.finish();
  return f;
}

namespace {

// The paper's own number for the claim (its golden's gain or contrast), shown beside ours.
void paper_fill(ClaimRow& row, const Golden& paper, const ClaimSpec& s, const ClaimsFile& f, const std::string& field) {
  const GoldenEntry* p = find_entry(paper, s.paper_minus.empty() ? ClaimKind::gain : ClaimKind::contrast, s.paper_cell,
                                    s.paper_minus, s.paper_metric, s.paper_step);
  if (!p)
    throw_input(f.path, field + ".paper_cell: " + paper.path + " has no claim " + s.paper_cell +
                            (s.paper_minus.empty() ? "" : " - " + s.paper_minus) + " " + s.paper_metric + " at step " +
                            std::to_string(s.paper_step));
  row.paper_gain = p->gain;
  row.paper_baseline = p->baseline;
  row.paper_versions = p->versions;
}

// The measured value and its 95% interval from the golden entry `e`. `inflation` (one-seed
// goldens): the factor the se is widened by for the seed spread one seed cannot show, with `df`.
void interval_fill(ClaimRow& row, const GoldenEntry& e, const ClaimSpec& s, double inflation, double inflation_df) {
  auto seeds_it = e.measured.find("seeds");
  row.replicates = row.seeds = seeds_it != e.measured.end() ? static_cast<int64_t>(seeds_it->second) : 1;
  row.df = e.df;
  // A v3 golden keeps no df: its sd_seed is the plain sample sd of its seeds (n - 1 df).
  if (!std::isfinite(e.df) && !e.seed_values.empty() && row.seeds >= 2) row.df = static_cast<double>(row.seeds - 1);
  // The interval of the measured mean: sd of one seed over sqrt(seeds), t with the golden's df.
  double se = e.sd_seed / std::sqrt(static_cast<double>(std::max<int64_t>(row.seeds, 1)));
  double df = std::isfinite(row.df) && row.df > 0 ? row.df : 1e9;
  // Seeds that all gave the same value are one deterministic result repeated (a greedy eval-only
  // cell): one piece of evidence, whose only noise is that of its problems (df problems - 1).
  if (!(se > 0)) {
    row.seeds = 1;
    auto sp = e.measured.find("se_problems"), np = e.measured.find("problems");
    if (sp != e.measured.end() && sp->second > 0) {
      se = sp->second;
      df = np != e.measured.end() && np->second > 1 ? np->second - 1 : 1e9;
      row.df = df;
    }
  } else if (row.seeds == 1 && inflation > 1) {
    se *= inflation;
    df = row.df = inflation_df;
    row.inflation = inflation;
  }
  double half = se > 0 ? stats::t_crit(0.05, df) * se : 0;
  row.baseline = e.baseline;
  row.value = s.expect == ClaimExpect::above ? e.baseline + e.gain : e.gain;
  row.lo = row.value - half, row.hi = row.value + half;
  if (s.expect == ClaimExpect::above) {
    // The final value is a proportion. Greedy step 0 is the same for every seed, so the gain's
    // seed spread is the final's; one seed has only the binomial noise of its problems, and
    // the gain's floor (1 / problems) would put 200 of 200 at [95%, 105%]: Wilson instead.
    auto problems = e.measured.find("problems");
    if (row.seeds <= 1 && problems != e.measured.end() && problems->second > 0) {
      auto [lo, hi] = wilson95(row.value, problems->second);
      row.lo = lo, row.hi = hi;
    }
    row.lo = std::max(row.lo, 0.0), row.hi = std::min(row.hi, 1.0);
  }
}

// The verdict and its reason from the interval and the margin m (golden/README.md, "Claims"):
// a gain is reproduced when significant and at least m; not reproduced when the interval excludes
// a gain of m (equivalence, TOST at the interval's level); direction only when the mean reaches m
// but the interval also reaches 0; inconclusive otherwise. no_gain and loss mirror it.
void verdict_fill(ClaimRow& row, const GoldenEntry& e, const ClaimSpec& s) {
  auto pts = [](double v) { return fmt("%+.1f", v * 100); };
  const std::string iv = "[" + pts(row.lo) + ", " + pts(row.hi) + "]", m = fmt("%.1f", s.margin * 100);
  const double v = row.value, lo = row.lo, hi = row.hi, mg = s.margin;
  switch (s.expect) {
    case ClaimExpect::gain:
      if (lo > 0 && v >= mg) row.verdict = ClaimVerdict::reproduced, row.reason = "interval " + iv + " above 0, mean at least the margin " + m;
      else if (hi < mg) row.verdict = ClaimVerdict::not_reproduced, row.reason = "interval " + iv + " excludes a gain of " + m + " or more";
      else if (v >= mg) row.verdict = ClaimVerdict::direction_only, row.reason = "mean " + pts(v) + " reaches the margin " + m + " but interval " + iv + " reaches 0";
      else row.verdict = ClaimVerdict::inconclusive, row.reason = "mean " + pts(v) + " below the margin " + m + ", interval " + iv + " admits it";
      break;
    case ClaimExpect::no_gain:
      if (hi < mg) row.verdict = ClaimVerdict::reproduced, row.reason = "interval " + iv + " excludes a gain of " + m + " or more";
      else if (lo > 0 && v >= mg) row.verdict = ClaimVerdict::not_reproduced, row.reason = "a significant gain: interval " + iv + ", mean at least " + m;
      else row.verdict = ClaimVerdict::inconclusive, row.reason = "interval " + iv + " admits a gain of " + m;
      break;
    case ClaimExpect::loss:
      if (hi < 0 && v <= -mg) row.verdict = ClaimVerdict::reproduced, row.reason = "interval " + iv + " below 0, mean at least the margin " + m;
      else if (lo > -mg) row.verdict = ClaimVerdict::not_reproduced, row.reason = "interval " + iv + " excludes a loss of " + m + " or more";
      else if (v <= -mg) row.verdict = ClaimVerdict::direction_only, row.reason = "mean " + pts(v) + " reaches the margin -" + m + " but interval " + iv + " reaches 0";
      else row.verdict = ClaimVerdict::inconclusive, row.reason = "mean " + pts(v) + " short of the margin -" + m + ", interval " + iv + " admits it";
      break;
    case ClaimExpect::above: {
      char b[96];
      std::snprintf(b, sizeof b, "final %.1f%% from %.1f%%, bar %.0f%%", row.value * 100, e.baseline * 100, s.threshold * 100);
      row.verdict = row.lo > s.threshold ? ClaimVerdict::reproduced
                    : row.hi < s.threshold ? ClaimVerdict::not_reproduced
                    : e.gain > 0         ? ClaimVerdict::direction_only
                                         : ClaimVerdict::inconclusive;
      row.reason = std::string(b) + (row.lo > s.threshold ? ": cleared" : row.hi < s.threshold ? ": interval below the bar" : ": rises, bar within the interval");
      break;
    }
    case ClaimExpect::not_testable: break;
  }
}

// One-seed intervals widen by sqrt(1 + r^2), r the median over a multi-seed golden's gain and
// contrast claims of sd_seed / (one seed's standard error over its problems, the RMS of
// seed_se): how far one seed scatters beyond its problems' noise. The t then has that golden's
// seeds - 1 df. Returns {factor, df}.
std::pair<double, double> one_seed_inflation(const ClaimsFile& f, const Golden& ref) {
  std::vector<double> r;
  for (const auto& e : ref.entries) {
    if ((e.kind != ClaimKind::gain && e.kind != ClaimKind::contrast) || !(e.sd_seed > 0) || e.seed_se.size() < 2) continue;
    double v = 0;
    for (double x : e.seed_se) v += x * x;
    const double se = std::sqrt(v / static_cast<double>(e.seed_se.size()));
    if (se > 0) r.push_back(e.sd_seed / se);
  }
  if (r.empty()) throw_input(f.path, "one_seed_sd_from: " + ref.path + " has no multi-seed gain or contrast claim with seed_se");
  std::sort(r.begin(), r.end());
  const double med = r.size() % 2 ? r[r.size() / 2] : 0.5 * (r[r.size() / 2 - 1] + r[r.size() / 2]);
  return {std::sqrt(1 + med * med), static_cast<double>(ref.provenance.seeds.size()) - 1};
}

// Why the stand-in could not have shown the claim ("" when it could): a claim it needs is not
// reproduced, or a reward about code on a stand-in that does not write code.
std::string untestable_why(const ClaimSpec& s, const Golden& g, const std::map<std::string, ClaimVerdict>& by_id) {
  for (const auto& d : s.depends_on) {
    auto it = by_id.find(d);
    if (it != by_id.end() && it->second != ClaimVerdict::reproduced)
      return "needs '" + d + "' reproduced, which is " + claim_verdict_name(it->second) + ": the stand-in could not have shown this";
  }
  if (s.requires_code) {
    const GoldenEntry* code = find_entry(g, ClaimKind::gain, s.cell, "", metric_cstr(Metric::code_frequency), -1);
    if (code && code->baseline < kClaimCodeBaselineMin)
      return "the stand-in writes code in " + fmt("%.1f", code->baseline * 100) + "% of its answers at step 0 (below " +
             fmt("%.0f", kClaimCodeBaselineMin * 100) + "%): a reward about code never fires on it";
  }
  return "";
}

}  // namespace

std::vector<ClaimRow> claims_judge(const ClaimsFile& f) {
  std::map<std::string, std::unique_ptr<Golden>> goldens;
  auto golden = [&](const std::string& rel) -> const Golden& {
    std::string p = resolve(f.path, rel);
    auto& g = goldens[p];
    if (!g) g = std::make_unique<Golden>(golden_load(p));
    return *g;
  };
  const Golden& paper = golden(f.paper_golden);
  const auto [inflation, inflation_df] = f.one_seed_sd_from.empty() ? std::pair{1.0, 0.0} : one_seed_inflation(f, golden(f.one_seed_sd_from));
  std::vector<ClaimRow> rows;
  std::map<std::string, ClaimVerdict> by_id;
  for (size_t i = 0; i < f.claims.size(); ++i) {
    const ClaimSpec& s = f.claims[i];
    const std::string field = "claim[" + std::to_string(i) + "]";
    ClaimRow row;
    row.spec = s;
    row.shared_with = s.same_evidence_as;
    if (!s.paper_cell.empty()) paper_fill(row, paper, s, f, field);
    if (s.expect == ClaimExpect::not_testable) {
      row.verdict = ClaimVerdict::not_testable;
      row.reason = s.why;
      by_id[s.id] = row.verdict;
      rows.push_back(std::move(row));
      continue;
    }
    const Golden& g = golden(s.golden);
    ClaimKind kind = s.minus.empty() ? ClaimKind::gain : ClaimKind::contrast;
    const GoldenEntry* e = find_entry(g, kind, s.cell, s.minus, s.metric, -1);
    if (!e)
      throw_input(f.path, field + ".cell: " + g.path + " has no " + claim_kind_name(kind) + " claim " + s.cell +
                              (s.minus.empty() ? "" : " - " + s.minus) + " " + s.metric);
    interval_fill(row, *e, s, inflation, inflation_df);
    row.source = s.golden + " (" + seeds_text(row.replicates) + ", " + g.provenance.date + ")";
    verdict_fill(row, *e, s);
    // "Not reproduced" only from a world that could have shown the effect.
    if (std::string why = untestable_why(s, g, by_id); !why.empty()) {
      row.reason = why + " (measured: " + row.reason + ")";
      row.verdict = ClaimVerdict::not_testable;
    }
    by_id[s.id] = row.verdict;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string claims_count_text(const std::vector<ClaimRow>& rows) {
  int64_t n[5] = {0, 0, 0, 0, 0}, shared = 0;
  for (const auto& r : rows) {
    if (!r.shared_with.empty()) {
      ++shared;
      continue;
    }
    ++n[static_cast<size_t>(r.verdict)];
  }
  std::string o;
  for (size_t k = 0; k < 5; ++k)
    if (n[k]) o += (o.empty() ? "" : ", ") + std::to_string(n[k]) + " " + kVerdictNames[k];
  if (shared) o += " (" + std::to_string(shared) + (shared == 1 ? " row reads" : " rows read") + " the runs of another row and is counted once)";
  return o;
}

}  // namespace rlvr
