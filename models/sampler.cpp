#include "models/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "models/philox.h"
#include "util/error.h"

namespace rlvr {


void sampling_params_check(const SamplingParams& p, const Model& m) {
  if (p.n < 1) throw_input("--n", "must be >= 1");
  if (!(p.temperature >= 0) || !std::isfinite(p.temperature)) throw_input("--temperature", "must be a finite number >= 0");
  if (!(p.top_p > 0 && p.top_p <= 1)) throw_input("--top-p", "must be in (0, 1]");
  if (p.top_k < 0) throw_input("--top-k", "must be >= 0");
  if (p.max_new_tokens < 0) throw_input("--max-new-tokens", "must be >= 0");
  if (p.max_batch < 1) throw_input("--max-batch", "must be >= 1");
  for (int32_t e : p.eos_ids)
    if (e < 0 || e >= m.config.vocab_size) throw_input("--eos", "token id " + std::to_string(e) + " out of range");
  for (const auto& s : p.stop)
    if (s.empty()) throw_input("--stop", "empty stop string");
}

namespace {

// Inverse CDF in token-id order, in float64 so the cumulative sum of 150k terms stays exact
// enough; right-bisection never returns a zero-probability token. probs (B, V), u (B) -> (B) int64.
// On the CPU one loop a row does what cumsum, searchsorted and clamp do (the sum in the same
// order, token by token in float64, so the same token).
torch::Tensor inverse_cdf(const torch::Tensor& probs, const torch::Tensor& u) {
  const int64_t B = probs.size(0), V = probs.size(1);
  if (!probs.device().is_cpu()) {
    auto cdf = probs.to(torch::kFloat64).cumsum(-1);
    auto target = u.to(cdf.device(), torch::kFloat64).view({B, 1}) * cdf.narrow(-1, V - 1, 1);
    return torch::searchsorted(cdf, target, /*out_int32=*/false, /*right=*/true).view({B}).clamp_max(V - 1);
  }
  auto pc = probs.to(torch::kFloat32).contiguous();
  auto uc = u.to(torch::kFloat64).contiguous();
  auto tok = torch::empty({B}, torch::kInt64);
  const float* pp = pc.data_ptr<float>();
  const double* up = uc.data_ptr<double>();
  int64_t* tp = tok.data_ptr<int64_t>();
  for (int64_t b = 0; b < B; ++b) {
    const float* row = pp + b * V;
    double total = 0;
    for (int64_t v = 0; v < V; ++v) total += static_cast<double>(row[v]);
    const double target = up[b] * total;
    double cum = 0;
    int64_t v = 0;
    for (; v < V; ++v) {  // the first token whose cumulative sum passes the target (right bisection)
      cum += static_cast<double>(row[v]);
      if (cum > target) break;
    }
    tp[b] = std::min(v, V - 1);
  }
  return tok;
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> sample_step(const torch::Tensor& logits, const torch::Tensor& u,
                                                    const SamplingParams& p) {
  int64_t B = logits.size(0), V = logits.size(1);
  auto logp = torch::log_softmax(logits, -1);  // temperature 1: what the policy ratio needs
  torch::Tensor tok;
  if (p.temperature == 0) {
    tok = logits.argmax(-1);
  } else {
    bool top_k = p.top_k > 0 && p.top_k < V, top_p = p.top_p < 1;
    torch::Tensor probs;
    if (!top_k && !top_p && p.temperature == 1.0) {
      probs = logp.exp();
    } else {
      const float kNegInf = -std::numeric_limits<float>::infinity();
      auto s = logits / p.temperature;
      if (top_k) {
        auto kth = std::get<0>(s.topk(p.top_k, -1)).narrow(-1, p.top_k - 1, 1);  // ties with the k-th stay (as HF)
        s = s.masked_fill(s < kth, kNegInf);
      }
      if (top_p) {
        auto [sorted, idx] = s.sort(-1, /*descending=*/true);
        auto pr = torch::softmax(sorted, -1);
        // Drop a token when the tokens more likely than it already reach top_p (keeps >= 1).
        auto before = pr.cumsum(-1) - pr;
        sorted = sorted.masked_fill(before >= p.top_p, kNegInf);
        s = torch::empty_like(s).scatter_(-1, idx, sorted);
      }
      probs = torch::softmax(s, -1);
    }
    tok = inverse_cdf(probs, u);
  }
  if (logp.device().is_cpu() && logp.scalar_type() == torch::kFloat32) {  // the gather as a loop (one op less a token)
    auto lp = torch::empty({B}, logp.options());
    auto lc = logp.contiguous();
    const float* l = lc.data_ptr<float>();
    const int64_t* t = tok.data_ptr<int64_t>();
    float* o = lp.data_ptr<float>();
    for (int64_t b = 0; b < B; ++b) o[b] = l[b * V + t[b]];
    return {tok, lp};
  }
  auto lp = logp.gather(-1, tok.view({B, 1})).view({B});
  return {tok, lp};
}

namespace {

struct SeqState {
  int64_t seq = 0;         // index into the output
  int64_t prompt_len = 0;  // real prompt tokens (its next position)
  bool done = false;
};

bool ends_with_stop(const DecodeFn& decode, const std::vector<int32_t>& ids, const std::vector<std::string>& stop,
                    size_t window) {
  size_t n = ids.size(), from = n > window ? n - window : 0;
  std::string tail = decode(std::span<const int32_t>(ids.data() + from, n - from));
  for (const auto& s : stop)
    if (tail.find(s) != std::string::npos) return true;
  return false;
}

// Each prompt checked (non-empty, ids in the vocabulary) and its id's hash (the sampling stream).
std::vector<uint64_t> prompt_hashes(const std::vector<SamplePrompt>& prompts, int64_t V) {
  std::vector<uint64_t> hashes;
  for (size_t i = 0; i < prompts.size(); ++i) {
    const auto& pr = prompts[i];
    if (pr.ids.empty()) throw_input("prompt " + std::to_string(i), "empty (no tokens)");
    for (int32_t t : pr.ids)
      if (t < 0 || t >= V) throw_input("prompt " + std::to_string(i), "token id " + std::to_string(t) + " out of range");
    hashes.push_back(prompt_id_hash(pr.id.empty() ? std::to_string(i) : pr.id));
  }
  return hashes;
}

// One batch of sample rows being decoded: the KV cache and last logits of its live rows.
struct DecodeBatch {
  KVCache cache;
  torch::Tensor logits;     // (rows, V)
  std::vector<SeqState> st;  // the rows, in cache order
};

// Prefills each distinct prompt of rows [s0, s1) once, then gives every sample row a copy of its
// prompt's cache and logits.
DecodeBatch batch_prefill(const Model& m, const std::vector<SamplePrompt>& prompts, const std::vector<Sample>& out, int64_t s0,
                          int64_t s1, int64_t max_new_tokens) {
  std::map<int64_t, int64_t> uniq;  // prompt index -> row in the prefill batch
  std::vector<std::vector<int32_t>> rows;
  std::vector<int64_t> row_of;
  DecodeBatch b;
  for (int64_t i = s0; i < s1; ++i) {
    int64_t pi = out[i].prompt_index;
    auto [it, fresh] = uniq.emplace(pi, static_cast<int64_t>(rows.size()));
    if (fresh) rows.push_back(prompts[pi].ids);
    row_of.push_back(it->second);
    b.st.push_back({i, static_cast<int64_t>(prompts[pi].ids.size()), false});
  }
  TokenBatch pre = batch_left_padded(rows, m.device);
  int64_t P = pre.ids.size(1);
  b.cache = kv_cache_new(m, static_cast<int64_t>(rows.size()), P + max_new_tokens);
  auto hidden = model_hidden(m, pre, &b.cache);
  b.logits = model_logits(m, hidden.narrow(1, P - 1, 1).squeeze(1));  // (U, V)
  if (static_cast<int64_t>(rows.size()) != s1 - s0) {
    auto sel = torch::tensor(row_of, torch::kInt64).to(m.device);
    b.cache.k = b.cache.k.index_select(1, sel);
    b.cache.v = b.cache.v.index_select(1, sel);
    b.cache.key_valid = b.cache.key_valid.index_select(0, sel);
    b.logits = b.logits.index_select(0, sel);
  }
  return b;
}

// Draws decode step `step`'s token for every row, appends it, marks the rows that ended (eos, a
// stop string); the rows still running.
std::vector<int64_t> batch_draw(DecodeBatch& b, std::vector<Sample>& out, const std::vector<uint64_t>& hashes,
                                const std::vector<int32_t>& eos, const SamplingParams& p, const DecodeFn& decode,
                                size_t stop_window, int64_t step) {
  const int64_t Bc = static_cast<int64_t>(b.st.size());
  auto u = torch::empty({Bc}, torch::kFloat64);
  auto ua = u.accessor<double, 1>();
  for (int64_t r = 0; r < Bc; ++r) {
    const Sample& s = out[b.st[r].seq];
    ua[r] = philox_uniform(p.seed, hashes[s.prompt_index], static_cast<uint32_t>(s.sample_index), static_cast<uint32_t>(step));
  }
  auto [t, lp] = sample_step(b.logits, u, p);
  t = t.to(torch::kCPU);
  lp = lp.to(torch::kCPU);
  auto ta = t.accessor<int64_t, 1>();
  auto la = lp.accessor<float, 1>();
  std::vector<int64_t> keep;
  for (int64_t r = 0; r < Bc; ++r) {
    if (b.st[r].done) continue;
    Sample& s = out[b.st[r].seq];
    int32_t id = static_cast<int32_t>(ta[r]);
    s.ids.push_back(id);
    s.logprobs.push_back(la[r]);
    if (std::find(eos.begin(), eos.end(), id) != eos.end()) {
      s.finish = FinishReason::eos;
      b.st[r].done = true;
    } else if (!p.stop.empty() && ends_with_stop(decode, s.ids, p.stop, stop_window)) {
      s.finish = FinishReason::stop;
      b.st[r].done = true;
    } else {
      keep.push_back(r);
    }
  }
  return keep;
}

// Drops finished rows once they are a quarter of the batch (copying the cache costs as much as a
// few decode steps, so not on every finished row), then decodes the live rows' last tokens.
void batch_advance(const Model& m, DecodeBatch& b, const std::vector<Sample>& out, const std::vector<int64_t>& keep) {
  if (static_cast<int64_t>(keep.size()) * 4 <= static_cast<int64_t>(b.st.size()) * 3) {
    auto sel = torch::tensor(keep, torch::kInt64).to(m.device);
    b.cache.k = b.cache.k.index_select(1, sel);
    b.cache.v = b.cache.v.index_select(1, sel);
    b.cache.key_valid = b.cache.key_valid.index_select(0, sel);
    std::vector<SeqState> st2;
    for (int64_t r : keep) st2.push_back(b.st[r]);
    b.st = std::move(st2);
  }
  int64_t Bn = static_cast<int64_t>(b.st.size());
  auto ids = torch::empty({Bn, 1}, torch::kInt64);
  auto pos = torch::empty({Bn, 1}, torch::kInt64);
  auto ia = ids.accessor<int64_t, 2>();
  auto pa = pos.accessor<int64_t, 2>();
  for (int64_t r = 0; r < Bn; ++r) {
    const Sample& s = out[b.st[r].seq];
    ia[r][0] = s.ids.back();
    pa[r][0] = b.st[r].prompt_len + static_cast<int64_t>(s.ids.size()) - 1;
  }
  TokenBatch next{ids.to(m.device), pos.to(m.device), torch::ones({Bn, 1}, torch::TensorOptions().dtype(torch::kBool).device(m.device))};
  b.logits = model_logits(m, model_hidden(m, next, &b.cache).squeeze(1));
}

// Each sample's text: its tokens decoded without a final eos, cut at the first stop string.
void texts_fill(std::vector<Sample>& out, const SamplingParams& p, const DecodeFn& decode) {
  for (auto& s : out) {
    size_t n = s.ids.size();
    if (s.finish == FinishReason::eos && n > 0) --n;
    s.text = decode(std::span<const int32_t>(s.ids.data(), n));
    if (s.finish == FinishReason::stop) {
      size_t cut = std::string::npos;
      for (const auto& stop : p.stop) cut = std::min(cut, s.text.find(stop));
      if (cut != std::string::npos) s.text.resize(cut);
    }
  }
}

}  // namespace

std::vector<Sample> sample(const Model& m, const std::vector<SamplePrompt>& prompts, const SamplingParams& p,
                           const DecodeFn& decode) {
  sampling_params_check(p, m);
  if (!p.stop.empty() && !decode) throw std::invalid_argument("sample: stop strings need a decoder");
  c10::InferenceMode inference;
  const std::vector<int32_t> eos = p.eos_ids.empty() ? m.config.eos_token_ids : p.eos_ids;
  const std::vector<uint64_t> hashes = prompt_hashes(prompts, m.config.vocab_size);
  size_t stop_window = 2;
  for (const auto& s : p.stop) stop_window = std::max(stop_window, s.size() + 2);

  const int64_t total = static_cast<int64_t>(prompts.size()) * p.n;
  std::vector<Sample> out(total);
  for (int64_t i = 0; i < total; ++i) {
    out[i].prompt_index = i / p.n;
    out[i].sample_index = i % p.n;
  }
  for (int64_t s0 = 0; s0 < total && p.max_new_tokens > 0; s0 += p.max_batch) {
    DecodeBatch b = batch_prefill(m, prompts, out, s0, std::min(total, s0 + p.max_batch), p.max_new_tokens);
    for (int64_t step = 0; step < p.max_new_tokens; ++step) {
      const std::vector<int64_t> keep = batch_draw(b, out, hashes, eos, p, decode, stop_window, step);
      if (keep.empty() || step + 1 == p.max_new_tokens) break;
      batch_advance(m, b, out, keep);
    }
  }
  if (decode) texts_fill(out, p, decode);
  return out;
}

}  // namespace rlvr
