// model_test.cpp: KV cache vs full forward, batch invariance, save/load, load errors, per family.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "models/model.h"
#include "models/model_test_util.h"
#include "models/safetensors_read.h"
#include "models/safetensors_write.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {
namespace {

using test::kFamilies;
using test::TempDir;
using test::tiny_model;

std::vector<int32_t> seq(int n, int start) {
  std::vector<int32_t> v;
  for (int i = 0; i < n; ++i) v.push_back((start + 7 * i) % 59);
  return v;
}

float max_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<float>(); }

class FamilyTest : public ::testing::TestWithParam<Family> {};

TEST_P(FamilyTest, KvCacheDecodingEqualsFullForward) {
  torch::NoGradGuard g;
  Model m = tiny_model(GetParam());
  // Two rows of different lengths (left padding), then 12 decode steps one token at a time.
  std::vector<std::vector<int32_t>> full = {seq(30, 3), seq(22, 11)};
  int prompt[2] = {9, 5};
  std::vector<std::vector<int32_t>> pre = {std::vector<int32_t>(full[0].begin(), full[0].begin() + prompt[0]),
                                          std::vector<int32_t>(full[1].begin(), full[1].begin() + prompt[1])};
  TokenBatch x = batch_left_padded(pre);
  KVCache cache = kv_cache_new(m, 2, 9 + 13);
  auto logits = model_forward(m, x, &cache);
  std::vector<torch::Tensor> steps[2];
  for (int b = 0; b < 2; ++b) steps[b].push_back(logits[b][8]);
  for (int t = 0; t < 13; ++t) {
    auto ids = torch::tensor({(int64_t)full[0][prompt[0] + t], (int64_t)full[1][prompt[1] + t]}).view({2, 1});
    auto pos = torch::tensor({(int64_t)prompt[0] + t, (int64_t)prompt[1] + t}).view({2, 1});
    auto l = model_forward(m, {ids, pos, torch::ones({2, 1}, torch::kBool)}, &cache);
    for (int b = 0; b < 2; ++b) steps[b].push_back(l[b][0]);
  }
  EXPECT_EQ(cache.len, 22);
  for (int b = 0; b < 2; ++b) {
    auto ref = model_forward(m, batch_left_padded({full[b]}))[0];  // (T, V)
    for (int t = 0; t <= 13; ++t) {
      float d = max_diff(steps[b][t], ref[prompt[b] - 1 + t]);
      EXPECT_LE(d, 1e-4) << "row " << b << " step " << t;
    }
  }
  // The logits are not trivially equal: consecutive positions differ.
  EXPECT_GT(max_diff(steps[0][0], steps[0][1]), 1e-2);
}

TEST_P(FamilyTest, BatchInvariance) {
  torch::NoGradGuard g;
  Model m = tiny_model(GetParam());
  std::vector<std::vector<int32_t>> rows = {seq(7, 1), seq(19, 2), seq(13, 5), seq(1, 4)};
  auto batched = model_forward(m, batch_left_padded(rows));
  int64_t T = batched.size(1);
  for (size_t b = 0; b < rows.size(); ++b) {
    auto alone = model_forward(m, batch_left_padded({rows[b]}))[0];
    int64_t n = (int64_t)rows[b].size();
    // Float rounding only: a few ulps of the logits' scale (different GEMM shapes round differently).
    float d = max_diff(batched[b].narrow(0, T - n, n), alone), scale = alone.abs().max().item<float>();
    EXPECT_LE(d, 1e-6 * std::max(1.0f, scale) * 8) << "row " << b << " scale " << scale;
  }
}

TEST_P(FamilyTest, SaveLoadRoundTripBitExact) {
  torch::NoGradGuard g;
  Model m = tiny_model(GetParam(), 7);
  TempDir dir;
  model_save(m, dir.path);
  Model r = model_load(dir.path);
  ASSERT_EQ(r.parameters().size(), m.parameters().size());
  for (size_t i = 0; i < m.parameters().size(); ++i) EXPECT_TRUE(torch::equal(m.parameters()[i], r.parameters()[i])) << i;
  EXPECT_EQ(r.config.eos_token_ids, m.config.eos_token_ids);
  EXPECT_EQ(r.config.rope_scaling.type, m.config.rope_scaling.type);
  auto x = batch_left_padded({seq(10, 3)});
  EXPECT_TRUE(torch::equal(model_forward(m, x), model_forward(r, x)));
  // HF names and the safetensors layout HF transformers expects.
  auto f = SafetensorsFile::open(dir.path + "/model.safetensors");
  EXPECT_NE(f->find("model.embed_tokens.weight"), nullptr);
  EXPECT_NE(f->find("lm_head.weight"), nullptr);
  EXPECT_NE(f->find("model.layers.1.mlp.down_proj.weight"), nullptr);
  EXPECT_EQ(f->metadata().at("format"), "pt");
  auto cfg = nlohmann::json::parse(file_read(dir.path + "/config.json"));
  EXPECT_EQ(cfg["model_type"], family_model_type(GetParam()));
  EXPECT_EQ(cfg["architectures"][0], family_architecture(GetParam()));
  EXPECT_EQ(cfg["torch_dtype"], "float32");
}

INSTANTIATE_TEST_SUITE_P(Families, FamilyTest, ::testing::ValuesIn(kFamilies),
                         [](const auto& info) { return std::string(family_model_type(info.param)); });

TEST(ModelIo, TiedEmbeddingsAndBf16RoundTrip) {
  torch::NoGradGuard g;
  auto c = test::tiny_config(Family::qwen2);
  c.tie_word_embeddings = true;
  Model m = model_init(c, 3, {}, torch::kCPU, torch::kBFloat16);
  TempDir dir;
  model_save(m, dir.path);
  auto f = SafetensorsFile::open(dir.path + "/model.safetensors");
  EXPECT_EQ(f->find("lm_head.weight"), nullptr);
  EXPECT_EQ(f->find("model.embed_tokens.weight")->dtype, StDtype::bf16);
  Model r = model_load(dir.path, torch::kCPU, torch::kBFloat16);
  EXPECT_TRUE(r.w.lm_head.is_same(r.w.embed));
  EXPECT_TRUE(torch::equal(r.w.qkv_w, m.w.qkv_w));
  // BF16 on disk converts to an fp32 compute dtype exactly.
  Model r32 = model_load(dir.path, torch::kCPU, torch::kFloat32);
  EXPECT_TRUE(torch::equal(r32.w.qkv_w, m.w.qkv_w.to(torch::kFloat32)));
}

// ---- bad input: every message names the file and the tensor ------------------------------------

std::string load_error(const std::string& dir) {
  try {
    model_load(dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

struct SavedModel {
  TempDir dir;
  Model m = tiny_model(Family::llama);
  SavedModel() { model_save(m, dir.path); }
  std::string st() const { return dir.path + "/model.safetensors"; }
  // Rewrites model.safetensors from the saved tensors after `edit`.
  void rewrite(const std::function<void(std::vector<StTensorView>&)>& edit) {
    auto f = SafetensorsFile::open(st());
    std::vector<StTensorView> v;
    std::vector<std::vector<uint8_t>> keep;
    for (auto& [n, t] : f->tensors()) {
      keep.emplace_back(f->bytes(t), f->bytes(t) + (t.end - t.begin));
    }
    size_t i = 0;
    for (auto& [n, t] : f->tensors()) v.push_back({n, t.dtype, t.shape, {keep[i].data(), keep[i].size()}}), ++i;
    edit(v);
    safetensors_write(st() + ".new", v);
    f.reset();
    std::filesystem::rename(st() + ".new", st());
  }
};

TEST(ModelIoErrors, MissingTensor) {
  SavedModel s;
  s.rewrite([](auto& v) { std::erase_if(v, [](auto& t) { return t.name == "model.layers.1.self_attn.k_proj.weight"; }); });
  EXPECT_EQ(load_error(s.dir.path), s.st() + ": model.layers.1.self_attn.k_proj.weight: missing tensor");
}

TEST(ModelIoErrors, ShapeMismatchWithConfig) {
  SavedModel s;
  auto cfg = nlohmann::json::parse(file_read(s.dir.path + "/config.json"));
  cfg["intermediate_size"] = 48;
  file_write_atomic(s.dir.path + "/config.json", cfg.dump());
  std::string e = load_error(s.dir.path);
  EXPECT_NE(e.find(s.st() + ": model.layers.0.mlp."), std::string::npos) << e;
  EXPECT_NE(e.find("does not match config.json"), std::string::npos) << e;
}

TEST(ModelIoErrors, DtypeMismatchWithConfig) {
  SavedModel s;
  auto cfg = nlohmann::json::parse(file_read(s.dir.path + "/config.json"));
  cfg["torch_dtype"] = "bfloat16";
  file_write_atomic(s.dir.path + "/config.json", cfg.dump());
  std::string e = load_error(s.dir.path);
  EXPECT_NE(e.find(s.st() + ": "), std::string::npos) << e;
  EXPECT_NE(e.find("dtype F32 does not match config.json torch_dtype 'bfloat16'"), std::string::npos) << e;
}

TEST(ModelIoErrors, UnsupportedTensorDtype) {
  SavedModel s;
  std::vector<uint8_t> bytes;
  s.rewrite([&](auto& v) {
    for (auto& t : v)
      if (t.name == "model.norm.weight") {
        bytes.assign(t.bytes.size() / 4, 1);
        t.dtype = StDtype::i8;
        t.bytes = {bytes.data(), bytes.size()};
      }
  });
  EXPECT_EQ(load_error(s.dir.path), s.st() + ": model.norm.weight: dtype I8 unsupported (F32, F16, BF16)");
}

TEST(ModelIoErrors, UnexpectedTensor) {
  SavedModel s;
  std::vector<uint8_t> bytes(16, 0);
  s.rewrite([&](auto& v) { v.push_back({"model.layers.0.self_attn.o_proj.bias", StDtype::f32, {4}, {bytes.data(), 16}}); });
  EXPECT_EQ(load_error(s.dir.path),
            s.st() + ": model.layers.0.self_attn.o_proj.bias: unexpected tensor for model_type 'llama' with this config.json");
}

TEST(ModelIoErrors, ShardedIndexLoadsAndNamesMissingShard) {
  torch::NoGradGuard g;
  SavedModel s;
  // Split the single file into two shards plus an index, as HF writes large checkpoints.
  auto f = SafetensorsFile::open(s.st());
  std::vector<StTensorView> a, b;
  nlohmann::json wm;
  for (auto& [n, t] : f->tensors()) {
    bool first = n.find("layers.1.") == std::string::npos;
    (first ? a : b).push_back({n, t.dtype, t.shape, {f->bytes(t), t.end - t.begin}});
    wm[n] = first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
  }
  safetensors_write(s.dir.path + "/model-00001-of-00002.safetensors", a);
  safetensors_write(s.dir.path + "/model-00002-of-00002.safetensors", b);
  f.reset();
  std::filesystem::remove(s.st());
  std::string index = s.dir.path + "/model.safetensors.index.json";
  file_write_atomic(index, nlohmann::json{{"metadata", {{"total_size", 0}}}, {"weight_map", wm}}.dump());
  Model r = model_load(s.dir.path);
  for (size_t i = 0; i < r.parameters().size(); ++i) EXPECT_TRUE(torch::equal(r.parameters()[i], s.m.parameters()[i]));
  std::filesystem::remove(s.dir.path + "/model-00002-of-00002.safetensors");
  std::string e = load_error(s.dir.path);
  EXPECT_NE(e.find(index + ": weight_map: model.layers.1."), std::string::npos) << e;
  EXPECT_NE(e.find("shard 'model-00002-of-00002.safetensors' missing"), std::string::npos) << e;
}

TEST(ModelIoErrors, NoWeightsAtAll) {
  SavedModel s;
  std::filesystem::remove(s.st());
  EXPECT_EQ(load_error(s.dir.path), s.dir.path + ": no model.safetensors or model.safetensors.index.json");
}

}  // namespace
}  // namespace rlvr
