// model_fixture: writes a tiny random-weight model folder for the CLI tests, intact or with one
// corruption the loader must refuse (exit 2 naming the file and tensor).
//   model_fixture DIR MODE TOKENIZER_DIR
// MODE: ok | truncated | out_of_range | overlap | shape | dtype | missing | missing_shard
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "models/safetensors_read.h"
#include "models/safetensors_write.h"
#include "models/tokenizer.h"
#include "util/error.h"
#include "util/file.h"

using namespace rlvr;
using json = nlohmann::json;

namespace {

// Rewrites a safetensors file with an edited header, keeping the data bytes.
void edit_header(const std::string& path, const std::function<void(json&)>& edit) {
  std::string bytes = file_read(path);
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  json h = json::parse(bytes.substr(8, n));
  edit(h);
  std::string nh = h.dump();
  uint64_t nn = nh.size();
  std::string out(8, '\0');
  std::memcpy(out.data(), &nn, 8);
  file_write_atomic(path, out + nh + bytes.substr(8 + n));
}

void edit_config(const std::string& dir, const std::function<void(json&)>& edit) {
  json c = json::parse(file_read(dir + "/config.json"));
  edit(c);
  file_write_atomic(dir + "/config.json", c.dump(2));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: model_fixture DIR MODE TOKENIZER_DIR\n");
    return 2;
  }
  std::string dir = argv[1], mode = argv[2], tokdir = argv[3];
  try {
    Tokenizer tok = Tokenizer::load(tokdir);
    ModelConfig c;
    c.family = Family::qwen2;
    c.vocab_size = tok.vocab_size();
    c.hidden_size = 16;
    c.intermediate_size = 24;
    c.num_layers = 1;
    c.num_heads = 2;
    c.num_kv_heads = 1;
    c.head_dim = 8;
    c.qkv_bias = true;
    c.tie_word_embeddings = true;
    InitOptions opt;
    opt.std = 0.5;
    std::filesystem::remove_all(dir);
    model_save(model_init(c, 1, opt), dir, tokdir);
    std::string st = dir + "/model.safetensors";
    const std::string victim = "model.layers.0.self_attn.k_proj.weight";
    if (mode == "ok") {
    } else if (mode == "truncated") {
      std::string b = file_read(st);
      file_write_atomic(st, b.substr(0, b.size() - 100));
    } else if (mode == "out_of_range") {
      edit_header(st, [&](json& h) {
        h[victim]["data_offsets"][0] = h[victim]["data_offsets"][0].get<uint64_t>() + (1u << 30);
        h[victim]["data_offsets"][1] = h[victim]["data_offsets"][1].get<uint64_t>() + (1u << 30);
      });
    } else if (mode == "overlap") {
      edit_header(st, [&](json& h) {
        h[victim]["data_offsets"][0] = h[victim]["data_offsets"][0].get<uint64_t>() - 8;
        h[victim]["data_offsets"][1] = h[victim]["data_offsets"][1].get<uint64_t>() - 8;
      });
    } else if (mode == "shape") {
      edit_config(dir, [](json& j) { j["intermediate_size"] = 32; });
    } else if (mode == "dtype") {
      edit_config(dir, [](json& j) { j["torch_dtype"] = "bfloat16"; });
    } else if (mode == "missing") {
      edit_header(st, [&](json& h) {
        // Keep the buffer fully indexed: give the victim's bytes to an unrelated name? No: drop it and
        // shrink nothing, so rename it instead (a misspelt tensor name is how this happens in practice).
        h["model.layers.0.self_attn.k_proj.weights"] = h[victim];
        h.erase(victim);
      });
    } else if (mode == "missing_shard") {
      auto f = SafetensorsFile::open(st);
      std::vector<StTensorView> a, b;
      json wm;
      for (auto& [n, t] : f->tensors()) {
        bool first = n.rfind("model.layers.", 0) != 0;
        (first ? a : b).push_back({n, t.dtype, t.shape, {f->bytes(t), t.end - t.begin}});
        wm[n] = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      }
      safetensors_write(dir + "/model-00001-of-00002.safetensors", a);
      f.reset();
      std::filesystem::remove(st);
      file_write_atomic(dir + "/model.safetensors.index.json", json{{"metadata", json::object()}, {"weight_map", wm}}.dump(2));
    } else {
      std::fprintf(stderr, "model_fixture: unknown mode '%s'\n", mode.c_str());
      return 2;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "model_fixture: %s\n", e.what());
    return 3;
  }
  return 0;
}
