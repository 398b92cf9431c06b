#include "models/logprobs.h"

#include <algorithm>

#include "util/error.h"

namespace rlvr {

ResponseLogprobs response_logprobs(const Model& m, const std::vector<std::vector<int32_t>>& prompts,
                                   const std::vector<std::vector<int32_t>>& responses) {
  if (prompts.size() != responses.size()) throw std::invalid_argument("response_logprobs: prompts and responses differ in count");
  int64_t B = static_cast<int64_t>(prompts.size()), P = 0, R = 0, V = m.config.vocab_size;
  for (int64_t b = 0; b < B; ++b) {
    if (prompts[b].empty()) throw_input("prompt " + std::to_string(b), "empty (no tokens)");
    P = std::max<int64_t>(P, static_cast<int64_t>(prompts[b].size()));
    R = std::max<int64_t>(R, static_cast<int64_t>(responses[b].size()));
  }
  auto ids = torch::zeros({B, P + R}, torch::kInt64);
  auto pos = torch::zeros({B, P + R}, torch::kInt64);
  auto valid = torch::zeros({B, P + R}, torch::kBool);
  auto target = torch::zeros({B, R}, torch::kInt64);
  auto mask = torch::zeros({B, R}, torch::kBool);
  {
    auto ia = ids.accessor<int64_t, 2>();
    auto pa = pos.accessor<int64_t, 2>();
    auto va = valid.accessor<bool, 2>();
    auto ta = target.accessor<int64_t, 2>();
    auto ma = mask.accessor<bool, 2>();
    for (int64_t b = 0; b < B; ++b) {
      const auto& pr = prompts[b];
      const auto& rs = responses[b];
      int64_t np = static_cast<int64_t>(pr.size()), pad = P - np;
      auto put = [&](int64_t slot, int32_t id, int64_t position) {
        if (id < 0 || id >= V) throw_input("row " + std::to_string(b), "token id " + std::to_string(id) + " out of range");
        ia[b][slot] = id;
        pa[b][slot] = position;
        va[b][slot] = true;
      };
      for (int64_t i = 0; i < np; ++i) put(pad + i, pr[i], i);
      for (int64_t j = 0; j < static_cast<int64_t>(rs.size()); ++j) {
        put(P + j, rs[j], np + j);
        ta[b][j] = rs[j];
        ma[b][j] = true;
      }
    }
  }
  TokenBatch x{ids.to(m.device), pos.to(m.device), valid.to(m.device)};
  ResponseLogprobs out;
  out.mask = mask.to(m.device);
  if (R == 0) {
    out.logprobs = torch::zeros({B, 0}, torch::TensorOptions().dtype(torch::kFloat32).device(m.device));
    return out;
  }
  // Only the R slots that predict response tokens need logits: slot P-1+j predicts token j.
  auto hidden = model_hidden(m, x).narrow(1, P - 1, R);  // (B, R, C)
  auto tgt = target.to(m.device);
  std::vector<torch::Tensor> parts;
  const int64_t chunk = std::max<int64_t>(1, (int64_t{1} << 24) / std::max<int64_t>(1, B * V));  // ~64 MB of logits
  for (int64_t j = 0; j < R; j += chunk) {
    int64_t n = std::min(chunk, R - j);
    auto lp = torch::log_softmax(model_logits(m, hidden.narrow(1, j, n)), -1);  // (B, n, V)
    parts.push_back(lp.gather(-1, tgt.narrow(1, j, n).unsqueeze(-1)).squeeze(-1));
  }
  out.logprobs = torch::cat(parts, 1).masked_fill(out.mask.logical_not(), 0.0);
  return out;
}

std::vector<std::vector<float>> response_logprobs_vec(const Model& m, const std::vector<std::vector<int32_t>>& prompts,
                                                      const std::vector<std::vector<int32_t>>& responses) {
  c10::InferenceMode inference;
  auto r = response_logprobs(m, prompts, responses);
  auto lp = r.logprobs.to(torch::kCPU).contiguous();
  std::vector<std::vector<float>> out(prompts.size());
  for (size_t b = 0; b < prompts.size(); ++b) {
    const float* row = lp.data_ptr<float>() + b * lp.size(1);
    out[b].assign(row, row + responses[b].size());
  }
  return out;
}

}  // namespace rlvr
