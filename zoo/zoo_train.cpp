#include "zoo/zoo_train.h"

#include <chrono>
#include <cmath>
#include <future>

namespace rlvr::zoo {

double zoo_lr_at(const TrainSchedule& s, int64_t step) {
  const int64_t warm = std::max<int64_t>(1, static_cast<int64_t>(s.warmup_frac * static_cast<double>(s.steps)));
  if (step < warm) return s.lr * static_cast<double>(step + 1) / static_cast<double>(warm);
  const double t = s.steps > warm ? static_cast<double>(step - warm) / static_cast<double>(s.steps - warm) : 1.0;
  const double lo = s.lr * s.final_lr_frac;
  return lo + 0.5 * (s.lr - lo) * (1.0 + std::cos(M_PI * std::min(t, 1.0)));
}

namespace {

std::vector<ZooDoc> docs_of_step(const DocSource& docs, int64_t step, int64_t batch) {
  std::vector<ZooDoc> out;
  out.reserve(static_cast<size_t>(batch));
  for (int64_t r = 0; r < batch; ++r) out.push_back(docs(step, r));
  return out;
}

}  // namespace

TrainStats zoo_train(Model& m, const DocSource& docs, const TrainSchedule& s, ProgressBar* progress) {
  TrainStats st;
  st.steps = s.steps;
  const auto start = std::chrono::steady_clock::now();
  // Matrices decay; norms and biases do not (they have no scale to shrink towards).
  std::vector<torch::Tensor> decay = {m.w.embed, m.w.qkv_w, m.w.o_w, m.w.gate_up_w, m.w.down_w};
  if (!m.config.tie_word_embeddings) decay.push_back(m.w.lm_head);
  std::vector<torch::Tensor> no_decay = {m.w.final_norm, m.w.attn_norm, m.w.mlp_norm};
  for (const auto& t : {m.w.qkv_b, m.w.q_norm, m.w.k_norm})
    if (t.defined()) no_decay.push_back(t);
  for (auto& t : decay) t.requires_grad_(true);
  for (auto& t : no_decay) t.requires_grad_(true);
  using torch::optim::AdamWOptions;
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<AdamWOptions>(AdamWOptions(s.lr).betas({0.9, 0.95}).weight_decay(s.weight_decay)));
  groups.emplace_back(no_decay, std::make_unique<AdamWOptions>(AdamWOptions(s.lr).betas({0.9, 0.95}).weight_decay(0.0)));
  torch::optim::AdamW opt(std::move(groups));
  std::vector<torch::Tensor> params = decay;
  params.insert(params.end(), no_decay.begin(), no_decay.end());

  const int64_t tail = std::max<int64_t>(1, s.steps / 10);
  double tail_loss = 0;
  // The next step's documents are drawn and tokenized on a helper thread while this step trains:
  // the result is the same (docs are a pure function of (step, row)), only the wait is hidden.
  std::future<std::vector<ZooDoc>> next;
  if (s.steps > 0) next = std::async(std::launch::async, docs_of_step, std::cref(docs), int64_t{0}, s.batch);
  for (int64_t step = 0; step < s.steps; ++step) {
    std::vector<ZooDoc> batch_docs = next.get();
    if (step + 1 < s.steps) next = std::async(std::launch::async, docs_of_step, std::cref(docs), step + 1, s.batch);
    const ZooBatch b = zoo_batch(batch_docs, s.max_len);
    const double lr = zoo_lr_at(s, step);
    for (auto& g : opt.param_groups()) static_cast<AdamWOptions&>(g.options()).lr(lr);
    opt.zero_grad();
    auto logits = model_forward(m, b.x);  // (B, T, V) float32
    auto loss = torch::nn::functional::cross_entropy(
        logits.view({-1, logits.size(-1)}), b.target.view({-1}),
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnore));
    loss.backward();
    torch::nn::utils::clip_grad_norm_(params, s.clip);
    opt.step();
    const double l = loss.item<double>();
    if (!std::isfinite(l)) throw std::runtime_error("zoo_train: loss is not finite at step " + std::to_string(step));
    if (step >= s.steps - tail) tail_loss += l;
    st.tokens += b.tokens;
    if (progress) progress->update(step + 1, l, b.tokens);
  }
  for (auto& t : params) t.requires_grad_(false);
  st.final_loss = s.steps > 0 ? tail_loss / static_cast<double>(std::min(tail, s.steps)) : 0.0;
  st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return st;
}

}  // namespace rlvr::zoo
