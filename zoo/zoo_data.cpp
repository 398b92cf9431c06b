#include "zoo/zoo_data.h"

#include <algorithm>
#include <string>

namespace rlvr::zoo {

ZooDoc zoo_doc_tokens(const Tokenizer& tok, const synth::CorpusDoc& d, synth::ChatTemplate t) {
  ZooDoc out;
  out.ids = tok.encode(synth::prompt_render(d.problem, t));
  out.prompt_len = static_cast<int64_t>(out.ids.size());
  const std::vector<int32_t> r = tok.encode(d.response + std::string(synth::template_stop(t)));
  out.ids.insert(out.ids.end(), r.begin(), r.end());
  return out;
}

ZooBatch zoo_batch(const std::vector<ZooDoc>& docs, int64_t max_len) {
  std::vector<std::vector<int32_t>> rows;
  rows.reserve(docs.size());
  for (const ZooDoc& d : docs)
    rows.emplace_back(d.ids.begin(), d.ids.begin() + std::min<int64_t>(max_len, static_cast<int64_t>(d.ids.size())));
  ZooBatch b;
  b.x = batch_left_padded(rows);
  const int64_t B = b.x.ids.size(0), T = b.x.ids.size(1);
  b.target = torch::full({B, T}, kIgnore, torch::kInt64);  // (B, T)
  auto ta = b.target.accessor<int64_t, 2>();
  for (int64_t r = 0; r < B; ++r) {
    const auto& row = rows[static_cast<size_t>(r)];
    const int64_t n = static_cast<int64_t>(row.size()), pad = T - n;
    b.tokens += n;
    // Slot pad+i holds token i and predicts token i+1; train it when token i+1 is a response token.
    for (int64_t i = std::max<int64_t>(docs[static_cast<size_t>(r)].prompt_len - 1, 0); i + 1 < n; ++i) {
      ta[r][pad + i] = row[static_cast<size_t>(i + 1)];
      ++b.targets;
    }
  }
  return b;
}

}  // namespace rlvr::zoo
