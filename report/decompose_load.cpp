// decompose_load.cpp: the per-run strategy metrics read from the store and summarized per cell.
#include <algorithm>
#include <map>
#include <tuple>

#include "report/decompose.h"
#include "util/error.h"

namespace rlvr::report {

namespace {

// Latest finished run per (suite, cell, seed, mutant) with a step-0 and a later eval, as `gains`;
// a mutant's runs are the cell "cell@mutant", as in the report.
constexpr const char* kRunsSql = R"sql(
WITH latest AS (SELECT MAX(id) AS run FROM runs GROUP BY suite, cell, seed, mutant)
SELECT g.suite, CASE WHEN g.mutant = '' THEN g.cell ELSE g.cell || '@' || g.mutant END, g.dataset, g.seed, g.final_step,
       g.accuracy_step0, g.final_accuracy,
       (SELECT value FROM evals e WHERE e.run = g.run AND e.dataset = g.dataset AND e.step = 0 AND e.metric = 'code_frequency'),
       (SELECT value FROM evals e WHERE e.run = g.run AND e.dataset = g.dataset AND e.step = g.final_step AND e.metric = 'code_frequency'),
       (SELECT value FROM evals e WHERE e.run = g.run AND e.dataset = g.dataset AND e.step = 0 AND e.metric = 'accuracy_code'),
       (SELECT value FROM evals e WHERE e.run = g.run AND e.dataset = g.dataset AND e.step = g.final_step AND e.metric = 'accuracy_code'),
       (SELECT value FROM evals e WHERE e.run = g.run AND e.dataset = g.dataset AND e.step = 0 AND e.metric = 'accuracy_language'),
       (SELECT value FROM evals e WHERE e.run = g.run AND e.dataset = g.dataset AND e.step = g.final_step AND e.metric = 'accuracy_language')
FROM cell_gain g JOIN latest USING (run)
WHERE g.status = 'finished' AND g.final_step > 0 AND (?1 = '' OR g.cell = ?1)
ORDER BY 1, 2, 3, 4)sql";

std::optional<double> opt(const Value& v) {
  if (const double* d = std::get_if<double>(&v)) return *d;
  if (const int64_t* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

// Mean over the values that are set (nullopt when none is).
struct OptMean {
  double sum = 0;
  int n = 0;
  void add(const std::optional<double>& v) { if (v) sum += *v, ++n; }
  std::optional<double> get() const { return n ? std::optional<double>(sum / n) : std::nullopt; }
};

GainSummary summary(const std::vector<double>& x) {
  std::vector<RunGain> g;
  for (double v : x) g.push_back({0, 0, 0, 0, v});
  return gain_summary(g);
}

struct Acc {
  DecomposeRow row;
  OptMean code0, code1, ac0, ac1, al0, al1;
  double acc0 = 0, acc1 = 0;
  std::vector<double> gain, shift, within, wc, wl;
};

void add_run(Acc& a, const std::vector<Value>& r) {
  StrategyEval s0{opt(r[5]), opt(r[7]), opt(r[9]), opt(r[11])}, s1{opt(r[6]), opt(r[8]), opt(r[10]), opt(r[12])};
  Split s = decompose(s0, s1);
  a.row.last_step = std::max(a.row.last_step, std::get<int64_t>(r[4]));
  a.code0.add(s0.code), a.code1.add(s1.code), a.ac0.add(s0.acc_code), a.ac1.add(s1.acc_code);
  a.al0.add(s0.acc_lang), a.al1.add(s1.acc_lang);
  a.acc0 += *s0.accuracy, a.acc1 += *s1.accuracy;
  a.gain.push_back(s.gain);
  if (!s.undefined.empty()) {
    a.row.undefined_seeds.push_back(std::get<int64_t>(r[3]));
    if (a.row.undefined_reason.empty()) a.row.undefined_reason = s.undefined;
    return;
  }
  a.shift.push_back(*s.shift), a.within.push_back(*s.within), a.wc.push_back(*s.within_code), a.wl.push_back(*s.within_lang);
}

DecomposeRow finish(Acc& a) {
  DecomposeRow& d = a.row;
  double n = static_cast<double>(a.gain.size());
  d.acc0 = a.acc0 / n, d.acc1 = a.acc1 / n;
  d.code0 = a.code0.get(), d.code1 = a.code1.get(), d.acc_code0 = a.ac0.get(), d.acc_code1 = a.ac1.get();
  d.acc_lang0 = a.al0.get(), d.acc_lang1 = a.al1.get();
  d.gain = summary(a.gain), d.shift = summary(a.shift), d.within = summary(a.within);
  d.within_code = summary(a.wc), d.within_lang = summary(a.wl);
  return d;
}

}  // namespace

std::vector<DecomposeRow> decompose_load(ReadOnlyDb& db, const std::string& cell, const std::vector<int64_t>& seeds) {
  if (!cell.empty() && db.query("SELECT COUNT(*) FROM runs WHERE cell = ?1", {cell}).rows[0][0] == Value{int64_t{0}}) {
    std::string cells;
    for (const auto& r : db.query("SELECT DISTINCT cell FROM runs ORDER BY cell").rows)
      cells += (cells.empty() ? "" : ", ") + value_text(r[0], Format::csv);
    throw_input("--cell", "no runs of cell '" + cell + "' (cells: " + cells + ")");
  }
  std::map<std::tuple<std::string, std::string, std::string>, Acc> cells;
  for (const auto& r : db.query(kRunsSql, {cell}, "decompose").rows) {
    if (!opt(r[5]) || !opt(r[6])) continue;  // a NaN accuracy has no gain (as in `gains`)
    if (!seeds.empty() && std::find(seeds.begin(), seeds.end(), std::get<int64_t>(r[3])) == seeds.end()) continue;
    auto key = std::make_tuple(std::get<std::string>(r[0]), std::get<std::string>(r[1]), std::get<std::string>(r[2]));
    Acc& a = cells[key];
    std::tie(a.row.suite, a.row.cell, a.row.dataset) = key;
    add_run(a, r);
  }
  std::vector<DecomposeRow> out;
  for (auto& [k, a] : cells) out.push_back(finish(a));
  return out;
}

Table decompose_table(const std::vector<DecomposeRow>& rows) {
  Table t;
  t.columns = {"suite", "cell", "dataset", "seeds", "split_seeds", "last_step", "accuracy_step0", "accuracy_last",
               "code_step0", "code_last", "acc_code_step0", "acc_code_last", "acc_lang_step0", "acc_lang_last",
               "gain", "gain_lo", "gain_hi", "shift", "shift_lo", "shift_hi", "within", "within_lo", "within_hi",
               "within_code", "within_lang", "undefined"};
  auto v = [](const std::optional<double>& x) { return x ? Value{*x} : Value{}; };
  auto mean = [](const GainSummary& g) { return g.seeds ? Value{g.mean} : Value{}; };
  for (const DecomposeRow& d : rows) {
    std::string undefined;
    for (int64_t s : d.undefined_seeds) undefined += (undefined.empty() ? "seeds " : ",") + std::to_string(s);
    if (!undefined.empty()) undefined += ": " + d.undefined_reason;
    t.rows.push_back({d.suite, d.cell, d.dataset, static_cast<int64_t>(d.gain.seeds), static_cast<int64_t>(d.shift.seeds),
                      d.last_step, d.acc0, d.acc1, v(d.code0), v(d.code1), v(d.acc_code0), v(d.acc_code1), v(d.acc_lang0),
                      v(d.acc_lang1), d.gain.mean, v(d.gain.lo), v(d.gain.hi), mean(d.shift), v(d.shift.lo), v(d.shift.hi),
                      mean(d.within), v(d.within.lo), v(d.within.hi), mean(d.within_code), mean(d.within_lang), undefined});
  }
  return t;
}

}  // namespace rlvr::report
