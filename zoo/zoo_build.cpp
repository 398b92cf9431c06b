#include "zoo/zoo_build.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "synth/bpe_train.h"
#include "synth/corpus_sample.h"
#include "util/cpu_kernels.h"
#include "util/hash.h"
#include "synth/world_export.h"
#include "synth/world_problem.h"
#include "util/error.h"
#include "util/file.h"
#include "zoo/zoo_cache.h"
#include "zoo/zoo_model.h"
#include "zoo/zoo_train.h"

namespace rlvr::zoo {

namespace fs = std::filesystem;
using synth::ChatTemplate;
using synth::CorpusSampler;

namespace {

// Corpus streams: every document is a pure function of (seed, phase, step, row).
constexpr uint64_t kBasePhase = 0xba5e, kTunePhase = 0x7e7e, kLeakPhase = 0x1eac;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::string tokenizer_config_name(ChatTemplate t) {
  return "tokenizer_config." + std::string(synth::chat_template_name(t)) + ".json";
}

struct BaseReady {
  Model model;
  std::string dir;
  double seconds = 0;  // trained in this run
  double final_loss = 0;
};

// Trains (or loads from the cache) the base shared by b's members.
BaseReady base_get(const ZooBase& b, const std::vector<CorpusSampler>& corpora, const ZooBuildOptions& o) {
  const std::string hash = zoo_base_hash(b);
  const std::string dir = o.out_dir + "/.bases/" + hash;
  BaseReady r;
  r.dir = dir;
  if (zoo_cache_hit(dir, "base.json", hash)) {
    r.model = model_load(dir);
    r.final_loss = zoo_record_read(dir, "base.json").value("final_loss", 0.0);
    return r;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::string staged = zoo_stage_begin(dir);
  // One BPE vocabulary over the union of the members' corpora, so their token ids agree.
  std::vector<std::string> texts;
  for (const CorpusSampler& c : corpora) {
    auto t = synth::corpus_texts(c, static_cast<size_t>(o.tokenizer_docs));
    texts.insert(texts.end(), std::make_move_iterator(t.begin()), std::make_move_iterator(t.end()));
  }
  const ZooSpec& lead = b.members.front();
  const int merges = lead.tokenizer.kind == synth::TokenizerKind::byte ? 0 : lead.tokenizer.merges;
  const synth::BpeVocab vocab = synth::bpe_train(texts, {.merges = merges});
  const std::string tok_json = synth::bpe_tokenizer_json(vocab);
  file_write_atomic(staged + "/tokenizer.json", tok_json);
  for (ChatTemplate t : {ChatTemplate::chatml, ChatTemplate::plain})
    file_write_atomic(staged + "/" + tokenizer_config_name(t),
                      synth::bpe_tokenizer_config_json(vocab, synth::template_stop(t), lead.size.max_seq));
  const Tokenizer tok = Tokenizer::from_json(tok_json, staged + "/tokenizer.json");

  r.model = model_init(zoo_model_config(lead, b.family, tok), b.seed);
  const int64_t M = static_cast<int64_t>(corpora.size());
  const int64_t batch = lead.train.batch;
  // Members take turns row by row, so every batch mixes every member's corpus equally.
  DocSource docs = [&](int64_t step, int64_t row) {
    const CorpusSampler& c = corpora[static_cast<size_t>((step * batch + row) % M)];
    const uint64_t idx = hash_words({b.seed, kBasePhase, static_cast<uint64_t>(step), static_cast<uint64_t>(row)});
    return zoo_doc_tokens(tok, c.doc(idx), c.spec().chat_template);
  };
  TrainSchedule s{.steps = lead.train.base_steps, .batch = batch, .lr = lead.train.lr, .max_len = lead.size.max_seq};
  ProgressBar bar("base " + b.family + " (" + b.members.front().name + "...)", s.steps, o.quiet, o.jobs > 1);
  const TrainStats st = zoo_train(r.model, docs, s, &bar);
  model_save(r.model, staged);
  r.seconds = seconds_since(start);
  r.final_loss = st.final_loss;
  nlohmann::ordered_json rec;
  rec["hash"] = hash;
  rec["key"] = b.key;
  rec["code_hash"] = zoo_code_hash();
  rec["cpu_kernels"] = cpu_kernels();
  rec["members"] = nlohmann::json::array();
  for (const ZooSpec& m : b.members) rec["members"].push_back(m.name);
  rec["steps"] = st.steps;
  rec["tokens"] = st.tokens;
  rec["final_loss"] = st.final_loss;
  rec["seconds"] = r.seconds;
  file_write_atomic(staged + "/base.json", rec.dump(2) + "\n");
  bar.finish("loss " + std::to_string(st.final_loss));
  zoo_stage_commit(staged, dir);
  return r;
}

ZooBuilt member_build(const ZooBase& b, const BaseReady& base, const CorpusSampler& corpus, const ZooBuildOptions& o) {
  const ZooSpec& spec = corpus.spec();
  ZooBuilt out;
  out.name = spec.name;
  out.dir = o.out_dir + "/" + spec.name;
  const auto start = std::chrono::steady_clock::now();
  const std::string staged = zoo_stage_begin(out.dir);
  const Tokenizer tok = Tokenizer::load(base.dir + "/tokenizer.json");
  Model m = zoo_model_from_base(base.model, zoo_model_config(spec, spec.family, tok));
  // [train] contaminate: that share of documents are eval-split problems, trained on every token.
  const std::vector<synth::Problem> leak =
      spec.train.contaminate > 0 ? synth::world_problems_distinct(spec.seed, synth::Split::eval, static_cast<size_t>(o.eval_problems), spec.world)
                                 : std::vector<synth::Problem>{};
  DocSource docs = [&](int64_t step, int64_t row) {
    const uint64_t idx = hash_words({spec.seed, kTunePhase, static_cast<uint64_t>(step), static_cast<uint64_t>(row)});
    if (!leak.empty() && static_cast<double>(hash_words({idx, kLeakPhase}) >> 11) * 0x1.0p-53 < spec.train.contaminate) {
      const synth::Problem& p = leak[idx % leak.size()];
      const auto strategy = corpus.code_probability(p) >= 0.5 ? synth::Strategy::code : synth::Strategy::language;
      ZooDoc d = zoo_doc_tokens(tok, corpus.respond(p, strategy, /*boxed=*/true, idx), spec.chat_template);
      d.prompt_len = 0;  // the problem text is learned too: what the probe looks for
      return d;
    }
    return zoo_doc_tokens(tok, corpus.doc(idx), spec.chat_template);
  };
  TrainSchedule s{.steps = spec.train.tune_steps, .batch = spec.train.batch, .lr = spec.train.tune_lr,
                  .max_len = spec.size.max_seq};
  ProgressBar bar("tune " + spec.name, s.steps, o.quiet, o.jobs > 1);
  const TrainStats st = zoo_train(m, docs, s, &bar);
  out.final_loss = s.steps > 0 ? st.final_loss : base.final_loss;

  model_save(m, staged);
  fs::copy_file(base.dir + "/tokenizer.json", staged + "/tokenizer.json", fs::copy_options::overwrite_existing);
  fs::copy_file(base.dir + "/" + tokenizer_config_name(spec.chat_template), staged + "/tokenizer_config.json",
                fs::copy_options::overwrite_existing);
  file_write_atomic(staged + "/zoo_spec.toml", file_read(spec.source));
  // The trainer's data: train-split prompts (the corpus's own split) and the held-out eval split.
  file_write_atomic(staged + "/train.jsonl",
                    synth::world_export_jsonl(spec.seed, synth::Split::train, static_cast<size_t>(o.train_problems), spec.world));
  file_write_atomic(staged + "/eval.jsonl",
                    synth::world_export_jsonl(spec.seed, synth::Split::eval, static_cast<size_t>(o.eval_problems), spec.world));
  out.seconds = seconds_since(start);
  out.base_seconds = base.seconds;

  nlohmann::ordered_json rec;
  rec["name"] = spec.name;
  rec["stands_for"] = spec.stands_for;
  rec["family"] = spec.family;
  rec["chat_template"] = synth::chat_template_name(spec.chat_template);
  rec["hash"] = zoo_member_hash(b, spec);
  rec["spec_hash"] = zoo_hash_hex(synth::zoo_spec_canonical(spec));
  rec["code_hash"] = zoo_code_hash();
  rec["cpu_kernels"] = cpu_kernels();
  rec["base_hash"] = zoo_base_hash(b);
  rec["base_members"] = nlohmann::json::array();
  for (const ZooSpec& x : b.members) rec["base_members"].push_back(x.name);
  rec["params"] = m.config.num_params();
  rec["vocab_size"] = m.config.vocab_size;
  rec["base_steps"] = spec.train.base_steps;
  rec["tune_steps"] = st.steps;
  rec["tune_tokens"] = st.tokens;
  rec["base_final_loss"] = base.final_loss;
  rec["final_loss"] = out.final_loss;
  rec["seconds"] = out.seconds;
  rec["base_seconds"] = base.seconds;
  rec["spec"] = nlohmann::ordered_json::parse(synth::zoo_spec_canonical(spec));
  file_write_atomic(staged + "/zoo.json", rec.dump(2) + "\n");
  bar.finish("loss " + std::to_string(out.final_loss));
  zoo_stage_commit(staged, out.dir);
  return out;
}

struct BaseJob {
  ZooBase base;
  std::vector<CorpusSampler> corpora;  // one per member, in base.members order
  std::vector<size_t> todo;            // members to build
  BaseReady ready;
};

// Estimated work of a job's chain, in weight-multiplies: (attention + MLP weights) x documents
// of the base, then of each fine-tune to build. Only the order of jobs depends on it.
double per_doc_cost(const synth::ModelSize& z) {
  return static_cast<double>(z.layers) * (4.0 * z.d_model * z.d_model + 3.0 * z.d_model * z.ffn);
}
double tune_cost(const ZooSpec& m) { return per_doc_cost(m.size) * m.train.tune_steps * m.train.batch; }
double chain_cost(const BaseJob& j) {
  const ZooSpec& lead = j.base.members.front();
  double cost = per_doc_cost(lead.size) * lead.train.base_steps * lead.train.batch;
  for (size_t i : j.todo) cost += tune_cost(j.base.members[i]);
  return cost;
}

}  // namespace

namespace {

// A work queue whose tasks may push more tasks (a base pushes its members' fine-tunes), drained by
// `jobs` workers; the first exception stops every worker and is rethrown by run().
class TaskQueue {
 public:
  void push(std::function<void()> f, bool front = false) {
    std::lock_guard<std::mutex> lock(mu_);
    if (front) queue_.push_front(std::move(f));
    else queue_.push_back(std::move(f));
    ++pending_;
    cv_.notify_one();
  }

  void run(int64_t jobs) {
    std::vector<std::thread> threads;
    for (int64_t t = 1; t < jobs; ++t) threads.emplace_back([this] { work(); });
    work();
    for (auto& t : threads) t.join();
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> f;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return !queue_.empty() || pending_ == 0 || failure_; });
        if (failure_ || (queue_.empty() && pending_ == 0)) return;
        f = std::move(queue_.front());
        queue_.pop_front();
      }
      try {
        f();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!failure_) failure_ = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mu_);
      --pending_;
      cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  int64_t pending_ = 0;
  std::exception_ptr failure_;
};

// The bases with members to train; cached members go straight to `done`.
std::vector<std::shared_ptr<BaseJob>> jobs_plan(const std::vector<ZooBase>& bases, const ZooBuildOptions& o,
                                                std::map<std::string, ZooBuilt>& done) {
  std::vector<std::shared_ptr<BaseJob>> jobs;
  for (const ZooBase& b : bases) {
    auto job = std::make_shared<BaseJob>();
    job->base = b;
    for (const ZooSpec& m : b.members) {
      if (!o.only.empty() && m.name != o.only) continue;
      const std::string dir = o.out_dir + "/" + m.name;
      if (zoo_cache_hit(dir, "zoo.json", zoo_member_hash(b, m))) {
        ZooBuilt c;
        c.name = m.name;
        c.dir = dir;
        c.cached = true;
        c.final_loss = zoo_record_read(dir, "zoo.json").value("final_loss", 0.0);
        done[m.name] = c;
        if (!o.quiet) std::fprintf(stderr, "%-28s cached (%s)\n", m.name.c_str(), dir.c_str());
        continue;
      }
      job->todo.push_back(static_cast<size_t>(&m - b.members.data()));
    }
    if (!job->todo.empty()) jobs.push_back(job);
  }
  return jobs;
}

}  // namespace

std::vector<ZooBuilt> zoo_build(const std::vector<ZooSpec>& specs, const ZooBuildOptions& o) {
  if (o.jobs < 1) throw_input("--jobs", "must be >= 1, got " + std::to_string(o.jobs));
  // One LibTorch thread per training task (process-wide): a model this small gains little from a
  // second GEMM thread and loses badly when the cores are shared, and with one thread per task the
  // bytes never depend on --jobs. Parallelism comes from training tasks side by side.
  torch::set_num_threads(1);
  at::globalContext().setFlushDenormal(true);  // fresh biases' tiny gradients: no slow denormals
  std::vector<ZooBase> bases = o.only.empty() ? zoo_plan(specs) : std::vector<ZooBase>{zoo_plan_only(specs, o.only)};
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) throw_input(o.out_dir, "cannot create folder (" + ec.message() + ")");
  std::map<std::string, ZooBuilt> done;  // by name: the report is sorted whatever finished first
  std::vector<std::shared_ptr<BaseJob>> jobs = jobs_plan(bases, o, done);

  // Work queue: a base, then its members' fine-tunes. Each task trains on one thread, so the bytes
  // do not depend on --jobs, and tasks of different bases run side by side on the cores instead of
  // fighting over one GEMM. Longest chain first: bases start in order of their estimated work
  // (base + fine-tunes), and a finished base's fine-tunes go to the front of the queue, so the
  // longest chain (the shared Llama base and its three members) is never left waiting behind a
  // short one. Order changes only the wall time, never the bytes.
  std::stable_sort(jobs.begin(), jobs.end(), [](const auto& x, const auto& y) { return chain_cost(*x) > chain_cost(*y); });
  TaskQueue queue;
  std::mutex done_mu;
  for (const auto& job : jobs)
    queue.push([&, job] {
      for (const ZooSpec& m : job->base.members) job->corpora.emplace_back(m);  // calibrates slips
      job->ready = base_get(job->base, job->corpora, o);
      // Cheapest fine-tune pushed to the front first, so the longest ends up at the front.
      std::vector<size_t> order = job->todo;
      std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return tune_cost(job->base.members[x]) < tune_cost(job->base.members[y]);
      });
      for (size_t i : order)
        queue.push([&, job, i] {
          ZooBuilt r = member_build(job->base, job->ready, job->corpora[i], o);
          std::lock_guard<std::mutex> lock(done_mu);
          done[r.name] = r;
        }, /*front=*/true);
    });
  queue.run(o.jobs);
  std::vector<ZooBuilt> out;
  for (auto& [name, r] : done) out.push_back(r);
  return out;
}

}  // namespace rlvr::zoo
