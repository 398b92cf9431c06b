#include "results/run_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "results/eval_means.h"
#include "results/metric.h"
#include "util/jsonl_fields.h"
#include "util/error.h"
#include "util/file.h"
#include "util/hash.h"

namespace rlvr {

namespace {

using nlohmann::json;

constexpr const char* kFormatName = "rlvrbench-run";
constexpr double kMeanTolerance = 1e-9;  // an eval line's accuracy vs its samples' mean


// Field readers naming the line: "FILE:LINE: FIELD: what".
struct Line {
  const json& j;
  std::string where;
  const json* get(const char* f) const {
    auto it = j.find(f);
    return it == j.end() ? nullptr : &*it;
  }
  [[noreturn]] void fail(const std::string& field, const std::string& what) const { throw_input(where, field + ": " + what); }
  std::string str(const char* f) const {
    const json* v = get(f);
    if (!v) fail(f, "missing");
    if (!v->is_string()) fail(f, "expected a JSON string");
    if (v->get_ref<const std::string&>().empty()) fail(f, "must not be empty");
    return v->get<std::string>();
  }
  std::optional<std::string> str_or_null(const char* f, bool required) const {
    const json* v = get(f);
    if (!v) {
      if (required) fail(f, "missing (null when there is none)");
      return std::nullopt;
    }
    if (v->is_null()) return std::nullopt;
    if (!v->is_string()) fail(f, "expected a JSON string or null");
    return v->get<std::string>();
  }
  int64_t integer(const char* f, int64_t lo, int64_t hi, std::optional<int64_t> dflt = std::nullopt) const {
    const json* v = get(f);
    if (!v) {
      if (dflt) return *dflt;
      fail(f, "missing");
    }
    if (!v->is_number_integer()) fail(f, "expected an integer");
    const int64_t x = v->get<int64_t>();
    if (x < lo || x > hi) fail(f, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " + std::to_string(x));
    return x;
  }
  bool boolean(const char* f) const {
    const json* v = get(f);
    if (!v) fail(f, "missing");
    if (!v->is_boolean()) fail(f, "expected true or false");
    return v->get<bool>();
  }
  std::optional<bool> opt_boolean(const char* f) const {
    const json* v = get(f);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_boolean()) fail(f, "expected true, false or null");
    return v->get<bool>();
  }
  std::map<std::string, double> values(const char* f) const {
    const json* v = get(f);
    if (!v) fail(f, "missing");
    if (!v->is_object()) fail(f, "expected an object of numbers");
    std::map<std::string, double> out;
    for (auto it = v->begin(); it != v->end(); ++it) {
      if (it.key().empty()) fail(f, "empty key");
      if (it->is_null()) out[it.key()] = std::numeric_limits<double>::quiet_NaN();
      else if (it->is_number()) out[it.key()] = it->get<double>();
      else fail(std::string(f) + "." + it.key(), "expected a number or null");
    }
    return out;
  }
  void only(std::initializer_list<const char*> known) const {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (std::none_of(known.begin(), known.end(), [&](const char* k) { return it.key() == k; })) fail(it.key(), "unknown field");
  }
};

constexpr int64_t kMaxStep = 100000000;
constexpr int64_t kMaxSample = 1000000;

// A config value as text: strings as they are, everything else as JSON writes it.
std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Flat TOML of the config (dotted keys, values as TOML literals), for runs.config_toml.
std::string config_toml_of(const std::map<std::string, json>& cfg) {
  std::string out = "# config of an ingested run (key-values as the trainer reported them)\n";
  for (const auto& [k, v] : cfg) {
    std::string key = "\"" + k + "\"";
    out += key + " = " + (v.is_string() ? json(v.get<std::string>()).dump() : v.dump()) + "\n";
  }
  return out;
}

void read_header(const Line& h, RunFile& f) {
  h.only({"format", "version", "suite", "cell", "model", "reward", "seed", "mutant", "config", "config_toml", "trainer", "status",
          "fail_step", "fail_reason", "started_at", "ended_at", "host", "device", "git_commit", "framework_version", "threads"});
  if (h.str("format") != kFormatName) h.fail("format", "expected \"" + std::string(kFormatName) + "\"");
  const int64_t v = h.integer("version", 1, 1000);
  if (v != kRunFileVersion) h.fail("version", "this build reads version " + std::to_string(kRunFileVersion) + ", got " + std::to_string(v));
  RunInfo& in = f.info;
  in.suite = h.str("suite");
  in.cell = h.str("cell");
  in.model = h.str("model");
  in.reward = h.str("reward");
  // The cell is MODEL/LABEL; the label may differ from the reward function ("ground_truth" is "math").
  if (in.cell.rfind(in.model + "/", 0) != 0 || in.cell.size() == in.model.size() + 1)
    h.fail("cell", "expected \"" + in.model + "/LABEL\" (the model, then the reward's label), got '" + in.cell + "'");
  in.seed = h.integer("seed", 0, std::numeric_limits<int32_t>::max());
  in.mutant = h.str_or_null("mutant", false).value_or("");
  const json* trainer = h.get("trainer");
  if (!trainer || !trainer->is_object()) h.fail("trainer", trainer ? "expected {\"name\": ..., \"version\": ...}" : "missing");
  Line t{*trainer, h.where};
  f.params["trainer.name"] = Line{*trainer, h.where + ": trainer"}.str("name");
  f.params["trainer.version"] = Line{*trainer, h.where + ": trainer"}.str("version");
  (void)t;
  const json* cfg = h.get("config");
  if (!cfg || !cfg->is_object()) h.fail("config", cfg ? "expected an object of key-values" : "missing");
  std::map<std::string, json> config;
  for (auto it = cfg->begin(); it != cfg->end(); ++it) {
    if (it.key().empty()) h.fail("config", "empty key");
    if (it->is_object() || it->is_array()) h.fail("config." + it.key(), "expected a string, number or boolean (flatten nested keys)");
    config[it.key()] = *it;
    f.params[it.key()] = value_text(*it);
  }
  in.config_toml = h.str_or_null("config_toml", false).value_or(config_toml_of(config));
  if (auto st = h.str_or_null("status", false)) {
    auto s = enum_parse<RunStatus>(*st);
    if (!s || *s == RunStatus::running) h.fail("status", "expected finished, failed or killed, got '" + *st + "'");
    f.status = *s;
  }
  if (h.get("fail_step") && !h.get("fail_step")->is_null()) f.fail_step = h.integer("fail_step", 0, kMaxStep);
  f.fail_reason = h.str_or_null("fail_reason", false).value_or("");
  if (f.status == RunStatus::failed && f.fail_reason.empty()) h.fail("fail_reason", "missing: a failed run says why");
  if (f.status == RunStatus::finished && (f.fail_step || !f.fail_reason.empty())) h.fail("fail_reason", "a finished run has none");
  in.device = h.str_or_null("device", false).value_or("unknown (" + f.params["trainer.name"] + ")");
  in.git_commit = h.str_or_null("git_commit", false).value_or("unknown");
  in.libtorch_version = h.str_or_null("framework_version", false).value_or("unknown");
  in.host = h.str_or_null("host", false).value_or("");
  in.threads = h.integer("threads", 0, 1 << 20, 0);
  if (auto s = h.str_or_null("started_at", false)) f.params["trainer.started_at"] = *s;
  if (auto s = h.str_or_null("ended_at", false)) f.params["trainer.ended_at"] = *s;
}

}  // namespace

std::string run_file_fingerprint(std::string_view bytes) {
  // FNV-1a 64 (util/hash.h) from 1469598103934665603: the standard offset basis short of its last
  // digit, as every stored fingerprint was made; kept, so a file ingested before still matches.
  constexpr uint64_t kFingerprintBasis = 1469598103934665603ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(bytes, kFingerprintBasis)));
  return buf;
}

RunFile run_file_read(const std::string& file, const std::set<std::string>* problem_ids, const std::string& name) {
  RunFile f;
  const std::string path = name.empty() ? file : name;
  f.path = path;
  const std::string bytes = file_read(file);  // InputError naming the file when unreadable
  f.fingerprint = run_file_fingerprint(bytes);
  std::istringstream in(bytes);
  std::string text;
  int64_t lineno = 0, last_step = -1;
  bool header = false;
  std::map<std::pair<int64_t, std::string>, size_t> eval_at;  // (step, dataset) -> index in f.evals
  std::set<std::tuple<int64_t, std::string, std::string, int64_t>> seen_samples;
  std::map<std::pair<int64_t, std::string>, bool> tokens_all;  // every item of an eval gave response_tokens
  while (std::getline(in, text)) {
    ++lineno;
    const std::string where = path + ":" + std::to_string(lineno);
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    const json j = jsonl_object(text, where);
    const Line l{j, where};
    if (!header) {
      read_header(l, f);
      header = true;
      continue;
    }
    const std::string type = l.str("type");
    const int64_t step = l.integer("step", 0, kMaxStep);
    if (step < last_step) l.fail("step", "out of order: " + std::to_string(step) + " after step " + std::to_string(last_step));
    last_step = step;
    if (type == "metrics") {
      l.only({"type", "step", "values"});
      if (f.metrics.count(step)) l.fail("step", "a second metrics line for step " + std::to_string(step));
      f.metrics[step] = l.values("values");
      continue;
    }
    if (type != "sample" && type != "eval") l.fail("type", "expected \"sample\", \"metrics\" or \"eval\", got '" + type + "'");
    const std::string dataset = l.str("dataset");
    auto [it, fresh] = eval_at.try_emplace({step, dataset}, f.evals.size());
    if (fresh) {
      f.evals.push_back(RunFileEval{step, dataset, {}, {}, std::nullopt});
      tokens_all[{step, dataset}] = true;
    }
    RunFileEval& e = f.evals[it->second];
    if (type == "eval") {
      l.only({"type", "step", "dataset", "values"});
      if (e.values) l.fail("dataset", "a second eval line for step " + std::to_string(step) + " on '" + dataset + "'");
      e.values = l.values("values");
      continue;
    }
    l.only({"type", "step", "dataset", "problem_id", "sample", "response", "extracted", "correct", "has_code", "has_code_strict", "boxed",
            "response_tokens"});
    EvalItem item;
    item.problem_id = l.str("problem_id");
    if (problem_ids && !problem_ids->count(item.problem_id))
      l.fail("problem_id", "'" + item.problem_id + "' is not a problem of the eval dataset");
    item.sample = l.integer("sample", 0, kMaxSample, 0);
    if (!seen_samples.insert({step, dataset, item.problem_id, item.sample}).second)
      l.fail("problem_id", "duplicate: step " + std::to_string(step) + ", '" + dataset + "', problem '" + item.problem_id + "', sample " +
                               std::to_string(item.sample) + " given twice");
    (void)l.str_or_null("response", /*required=*/true);
    item.extracted = l.str_or_null("extracted", /*required=*/true);
    item.correct = l.boolean("correct");
    item.has_code = l.boolean("has_code");
    item.has_code_strict = l.opt_boolean("has_code_strict");
    item.boxed = l.opt_boolean("boxed");
    if (l.get("response_tokens")) e.response_tokens.push_back(l.integer("response_tokens", 0, 1 << 24));
    else tokens_all[{step, dataset}] = false;
    e.items.push_back(std::move(item));
  }
  if (!header) throw_input(path, "empty: no header line");
  std::stable_sort(f.evals.begin(), f.evals.end(), [](const RunFileEval& a, const RunFileEval& b) {
    return std::tie(a.step, a.dataset) < std::tie(b.step, b.dataset);
  });
  for (RunFileEval& e : f.evals) {
    const std::string where = path + ": step " + std::to_string(e.step) + ", dataset '" + e.dataset + "'";
    if (!tokens_all[{e.step, e.dataset}]) e.response_tokens.clear();
    if (e.items.empty() && !e.values) throw_input(where, "no samples");
    // The items stay in file order with their tokens; the database sorts them by key.
    if (e.values && !e.items.empty()) {  // the recorded mean must be the samples' mean
      const std::string accuracy = metric_cstr(Metric::accuracy);
      auto acc = e.values->find(accuracy);
      const double mean = run_file_eval_means(e).at(accuracy);
      if (acc != e.values->end() && !(std::abs(acc->second - mean) <= kMeanTolerance))
        throw_input(where, "values." + accuracy + ": " + std::to_string(acc->second) + " is not the samples' mean " + std::to_string(mean));
    }
  }
  if (f.evals.empty()) throw_input(path, "no sample lines: an ingested run needs its graded eval responses");
  f.params["ingest.file"] = path;
  f.params["ingest.fingerprint"] = f.fingerprint;
  return f;
}

std::map<std::string, double> run_file_eval_means(const RunFileEval& e) {
  // An empty evaluation stores no strict or boxed rate (nothing says it measured them).
  std::map<std::string, double> m = eval_item_means(e.items);
  if (e.items.empty()) m.erase(std::string(metric_key(Metric::code_frequency_strict))), m.erase(std::string(metric_key(Metric::boxed_rate)));
  if (!e.response_tokens.empty()) m[std::string(metric_key(Metric::response_tokens))] = eval_mean_tokens(e.response_tokens);
  return m;
}

std::optional<int64_t> run_file_store(Store& store, const RunFile& f) {
  if (store.run_find_by_param("ingest.fingerprint", f.fingerprint)) return std::nullopt;
  Txn txn = store.batch();  // the Store writes below nest in it: one file, one all-or-nothing write
  const int64_t run = store.run_begin(f.info);
  store.run_params(run, f.params);
  for (const auto& [step, values] : f.metrics) store.step_metrics_write(run, step, values);
  for (const RunFileEval& e : f.evals) store.eval_write(run, e.step, e.dataset, e.values ? *e.values : run_file_eval_means(e), e.items);
  if (f.status == RunStatus::finished) store.run_finish(run);
  else if (f.status == RunStatus::failed) store.run_fail(run, f.fail_step.value_or(0), f.fail_reason);
  else store.run_mark_killed(run, f.fail_step, f.fail_reason.empty() ? "killed (as the trainer reported)" : f.fail_reason);
  txn.commit();
  return run;
}

std::string run_file_export(Store& store, int64_t run) {
  const std::optional<RunRow> r = store.run_get(run);
  if (!r) throw_input("--run", "no run " + std::to_string(run) + " in " + store.path());
  if (r->status == RunStatus::running) throw_input("--run", "run " + std::to_string(run) + " is still running");
  std::map<std::string, std::string> params = store.run_params_get(run);
  json h;
  h["format"] = kFormatName;
  h["version"] = kRunFileVersion;
  h["suite"] = r->info.suite;
  h["cell"] = r->info.cell;
  h["model"] = r->info.model;
  h["reward"] = r->info.reward;
  h["seed"] = r->info.seed;
  if (!r->info.mutant.empty()) h["mutant"] = r->info.mutant;
  json cfg = json::object();
  for (const auto& [k, v] : params)
    if (k.rfind("trainer.", 0) != 0 && k.rfind("ingest.", 0) != 0) cfg[k] = v;
  h["config"] = cfg;
  h["config_toml"] = r->info.config_toml;
  const bool ours = !params.count("trainer.name");
  h["trainer"] = {{"name", ours ? "rlvrbench" : params["trainer.name"]}, {"version", ours ? r->info.git_commit : params["trainer.version"]}};
  h["status"] = std::string(enum_name(r->status));
  if (r->fail_step) h["fail_step"] = *r->fail_step;
  if (r->fail_reason) h["fail_reason"] = *r->fail_reason;
  h["started_at"] = params.count("trainer.started_at") ? params["trainer.started_at"] : r->started_at;
  if (r->ended_at) h["ended_at"] = params.count("trainer.ended_at") ? params["trainer.ended_at"] : *r->ended_at;
  h["host"] = r->info.host;
  h["device"] = r->info.device;
  h["git_commit"] = r->info.git_commit;
  h["framework_version"] = r->info.libtorch_version;
  h["threads"] = r->info.threads;
  std::string out = jsonl_dump(h) + "\n";

  auto num = [](std::optional<double> v) { return v && std::isfinite(*v) ? json(*v) : json(nullptr); };
  std::map<int64_t, json> metrics;  // step -> values
  for (const auto& [step, values] : store.step_metrics_all(run))
    for (const auto& [k, v] : values) metrics[step][k] = num(v);
  std::map<int64_t, std::vector<std::string>> eval_sets;  // step -> datasets
  for (const std::string& d : store.eval_datasets(run))
    for (int64_t s : store.eval_steps(run, d)) eval_sets[s].push_back(d);
  std::set<int64_t> steps;
  for (const auto& [s, _] : metrics) steps.insert(s);
  for (const auto& [s, _] : eval_sets) steps.insert(s);
  for (int64_t s : steps) {
    if (metrics.count(s)) out += jsonl_dump({{"type", "metrics"}, {"step", s}, {"values", metrics[s]}}) + "\n";
    for (const std::string& d : eval_sets[s]) {
      json vals = json::object();
      for (const auto& [k, v] : store.eval_metrics(run, s, d)) vals[k] = num(v);
      out += jsonl_dump({{"type", "eval"}, {"step", s}, {"dataset", d}, {"values", vals}}) + "\n";
      for (const EvalItem& e : store.eval_items(run, s, d)) {
        json x = {{"type", "sample"}, {"step", s}, {"dataset", d}, {"problem_id", e.problem_id}, {"sample", e.sample},
                  {"response", nullptr}, {"extracted", e.extracted ? json(*e.extracted) : json(nullptr)},
                  {"correct", e.correct}, {"has_code", e.has_code}};
        if (e.has_code_strict) x["has_code_strict"] = *e.has_code_strict;
        if (e.boxed) x["boxed"] = *e.boxed;
        out += jsonl_dump(x) + "\n";
      }
    }
  }
  return out;
}

}  // namespace rlvr
