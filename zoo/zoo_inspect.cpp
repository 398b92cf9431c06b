#include "zoo/zoo_inspect.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "eval/dataset.h"
#include "eval/evaluate.h"
#include "models/model.h"
#include "models/tokenizer.h"
#include "results/metric.h"
#include "synth/corpus_cues.h"
#include "synth/prior_spec.h"
#include "synth/world_render.h"
#include "util/error.h"
#include "util/file.h"
#include "zoo/zoo_cache.h"

namespace rlvr::zoo {

bool zoo_check_judgeable(double target, double tol, int64_t responses) {
  if (responses <= 0) return false;
  const double se = std::sqrt(target * (1 - target) / static_cast<double>(responses));
  return 2.5 * se <= tol;
}

namespace {

struct Measured {
  nlohmann::ordered_json json;
  double code_share = 0, code_accuracy = 0, language_accuracy = 0, box_rate = 0;
  int64_t n = 0, code = 0, language = 0;
};

// NaN (no responses of a strategy) becomes JSON null.
nlohmann::ordered_json num(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(); }

Measured measured(const EvalSet& s) {
  Measured m;
  for (const auto& it : s.items) (it.has_code ? m.code : m.language) += 1;
  m.n = static_cast<int64_t>(s.items.size());
  auto metric = [&](Metric k) { return s.metrics.at(metric_cstr(k)); };
  m.code_share = metric(Metric::code_frequency);
  m.code_accuracy = metric(Metric::accuracy_code);
  m.language_accuracy = metric(Metric::accuracy_language);
  m.box_rate = metric(Metric::boxed_rate);
  m.json["responses"] = m.n;
  m.json["code_share"] = num(m.code_share);
  m.json["code_accuracy"] = num(m.code_accuracy);
  m.json["language_accuracy"] = num(m.language_accuracy);
  m.json["box_rate"] = num(m.box_rate);
  m.json["accuracy"] = num(metric(Metric::accuracy));
  m.json["code_responses"] = m.code;
  m.json["language_responses"] = m.language;
  m.json["truncated_rate"] = num(metric(Metric::truncated_rate));
  m.json["response_tokens"] = num(metric(Metric::response_tokens));
  return m;
}

// Share of values in [lo, hi]: the problems near 0.5, where sharpening can move greedy decoding.
constexpr double kMidLo = 0.3, kMidHi = 0.7;

double mid_share(const std::vector<double>& v) {
  if (v.empty()) return NAN;
  double n = 0;
  for (double x : v) n += x >= kMidLo - 1e-12 && x <= kMidHi + 1e-12;
  return n / static_cast<double>(v.size());
}

// Into j: "propensity", the per-problem code propensity over the k samples (a histogram over
// j/k) against the planted per-class probabilities, and "entropy", each strategy's Monte-Carlo
// token entropy (mean -log p at T=1).
// Per planted class propensity (each distinct value of the spec's cue classes): the problems whose
// text has a class of that value, and their mean measured code propensity.
nlohmann::ordered_json by_planted_json(const std::map<std::string, std::pair<int64_t, int64_t>>& per_problem,
                                       const std::map<std::string, std::string>& text_of, const synth::ZooSpec& spec) {
  const std::vector<double> planted = synth::cue_code_classes(spec.prior, spec.world);
  std::map<double, std::pair<double, int64_t>> groups;  // planted -> (sum of propensities, problems)
  for (const auto& [id, c] : per_problem) {
    auto t = text_of.find(id);
    if (t == text_of.end()) continue;
    const auto klass = synth::problem_text_cue_class(t->second, spec.world);
    if (!klass || *klass >= static_cast<int>(planted.size())) continue;
    auto& g = groups[planted[static_cast<size_t>(*klass)]];
    g.first += static_cast<double>(c.first) / static_cast<double>(c.second);
    g.second += 1;
  }
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& [p, g] : groups)
    a.push_back({{"planted", p}, {"measured", g.first / static_cast<double>(g.second)}, {"problems", g.second}});
  return a;
}

void mechanism_json_put(nlohmann::ordered_json& out, const EvalSet& s, int64_t k, const synth::ZooSpec& spec,
                        const std::map<std::string, std::string>& text_of) {
  std::map<std::string, std::pair<int64_t, int64_t>> per_problem;  // id -> (code samples, samples)
  double ent[2] = {0, 0}, tok[2] = {0, 0};
  for (size_t i = 0; i < s.items.size(); ++i) {
    auto& c = per_problem[s.items[i].problem_id];
    c.first += s.items[i].has_code;
    c.second += 1;
    if (i < s.item_tokens.size()) {
      ent[s.items[i].has_code] += s.item_tokens[i].neg_logp;
      tok[s.items[i].has_code] += static_cast<double>(s.item_tokens[i].tokens);
    }
  }
  std::vector<int64_t> hist(static_cast<size_t>(k + 1), 0);
  std::vector<double> prop;
  for (const auto& [id, c] : per_problem) {
    prop.push_back(static_cast<double>(c.first) / static_cast<double>(c.second));
    if (c.second == k) ++hist[static_cast<size_t>(c.first)];
  }
  const std::vector<double> planted = synth::cue_code_classes(spec.prior, spec.world);
  nlohmann::ordered_json j;
  j["k"] = k;
  j["histogram"] = hist;  // problems with j of k samples in code, j = 0..k
  j["share_mid"] = num(mid_share(prop));
  j["planted_share_mid"] = num(mid_share(planted));
  j["mid"] = {kMidLo, kMidHi};
  j["by_planted"] = by_planted_json(per_problem, text_of, spec);
  nlohmann::ordered_json e;
  e["code"] = num(tok[1] > 0 ? ent[1] / tok[1] : NAN);
  e["language"] = num(tok[0] > 0 ? ent[0] / tok[0] : NAN);
  out["propensity"] = j;
  out["entropy"] = e;
}

std::string propensity_label(double p) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", p);
  return b;
}

ZooCheck check(const std::string& metric, double target, double measured, double tol, int64_t responses) {
  ZooCheck c{metric, target, measured, tol, responses};
  c.checked = zoo_check_judgeable(target, tol, responses) && std::isfinite(measured);
  c.pass = !c.checked || std::fabs(measured - target) <= tol + 1e-12;
  return c;
}

}  // namespace

ZooInspection zoo_inspect(const std::string& dir, const ZooInspectOptions& o, const GradeFn& grade) {
  if (o.n < 1) throw_input("--n", "must be >= 1, got " + std::to_string(o.n));
  if (o.k < 1) throw_input("--k", "must be >= 1, got " + std::to_string(o.k));
  if (!file_exists(dir + "/zoo.json")) throw_input(dir + "/zoo.json", "cannot read (not a built zoo model; run `rlvrbench zoo build`)");
  const auto rec = zoo_record_read(dir, "zoo.json");
  const synth::ZooSpec spec = synth::zoo_spec_parse(file_read(dir + "/zoo_spec.toml"), dir + "/zoo_spec.toml");
  const Model m = model_load(dir);
  const Tokenizer tok = Tokenizer::load(dir);
  std::vector<DatasetItem> data = dataset_load(dir + "/eval.jsonl");
  if (static_cast<int64_t>(data.size()) > o.n) data.resize(static_cast<size_t>(o.n));
  // The corpus's templates are the evaluator's: chatml is Qwen-Math's chat template.
  const PromptTemplate tmpl = spec.chat_template == synth::ChatTemplate::chatml ? PromptTemplate::qwen_math : PromptTemplate::plain;
  int64_t longest_prompt = 0;
  for (const auto& d : data)
    longest_prompt = std::max<int64_t>(longest_prompt, static_cast<int64_t>(tok.encode(prompt_render(tmpl, d.problem)).size()));

  EvalOptions eo;
  eo.max_new_tokens = std::max<int64_t>(16, std::min<int64_t>(256, spec.size.max_seq - longest_prompt));
  eo.greedy = true;
  eo.avg_k = o.k;
  eo.avg_temperature = 1.0;
  eo.top_p = 1.0;
  eo.seed = o.seed;
  eo.max_batch = o.max_batch;
  const EvalOutput out = evaluate(m, tok, tmpl, data, eo, grade);
  const Measured g = measured(out.greedy), s = measured(out.avg);

  const auto& p = spec.prior;
  const auto& t = spec.tolerance;
  ZooInspection r;
  r.checks = {
      check("code_share", p.code_share, s.code_share, t.code_share, s.n),
      check("code_accuracy", 1 - p.code_error, s.code_accuracy, t.code_accuracy, s.code),
      check("language_accuracy", 1 - p.language_error, s.language_accuracy, t.language_accuracy, s.language),
      check("box_rate", p.box_rate, s.box_rate, t.box_rate, s.n),
  };
  for (const ZooCheck& c : r.checks) r.pass = r.pass && c.pass;

  auto& j = r.json;
  j["name"] = spec.name;
  j["stands_for"] = spec.stands_for;
  j["dir"] = dir;
  j["hash"] = rec.value("hash", "");
  j["problems"] = static_cast<int64_t>(data.size());
  j["k"] = o.k;
  j["checked_at"] = "temperature 1";
  j["max_new_tokens"] = eo.max_new_tokens;
  nlohmann::ordered_json targets;
  targets["code_share"] = p.code_share;
  targets["code_accuracy"] = 1 - p.code_error;
  targets["language_accuracy"] = 1 - p.language_error;
  targets["box_rate"] = p.box_rate;
  targets["accuracy"] = p.code_share * (1 - p.code_error) + (1 - p.code_share) * (1 - p.language_error);
  j["target"] = targets;
  j["sampled"] = s.json;
  std::map<std::string, std::string> text_of;
  for (const auto& d : data) text_of[d.id] = d.problem;
  mechanism_json_put(j, out.avg, o.k, spec, text_of);
  // A member planted in blocks (code_blocks) must keep each block's propensity: the mechanism it is
  // built for lives in a block near the boundary, which a whole-model share can hide.
  if (!p.code_blocks.empty())
    for (const auto& b : j["propensity"]["by_planted"]) {
      r.checks.push_back(check("code_propensity@" + propensity_label(b["planted"].get<double>()), b["planted"].get<double>(),
                               b["measured"].get<double>(), t.code_share, b["problems"].get<int64_t>()));
      r.pass = r.pass && r.checks.back().pass;
    }
  j["greedy"] = g.json;
  j["checks"] = nlohmann::ordered_json::array();
  for (const ZooCheck& c : r.checks) {
    nlohmann::ordered_json x;
    x["metric"] = c.metric;
    x["target"] = c.target;
    x["measured"] = num(c.measured);
    x["tolerance"] = c.tolerance;
    x["responses"] = c.responses;
    x["checked"] = c.checked;
    x["pass"] = c.pass;
    j["checks"].push_back(x);
  }
  j["pass"] = r.pass;
  return r;
}

}  // namespace rlvr::zoo
