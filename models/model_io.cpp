// model_io.cpp: HF model folder <-> Model (config.json, generation_config.json, safetensors).
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>

#include "models/model.h"
#include "models/safetensors_read.h"
#include "models/safetensors_write.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {
namespace {

std::string shape_str(c10::IntArrayRef s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + "]";
}

// A CPU tensor over the mapped bytes (copied first when the offset is not aligned for the dtype).
torch::Tensor st_tensor(const SafetensorsFile& f, const StTensorInfo& t, const std::string& name) {
  torch::ScalarType st;
  switch (t.dtype) {
    case StDtype::f32: st = torch::kFloat32; break;
    case StDtype::f16: st = torch::kFloat16; break;
    case StDtype::bf16: st = torch::kBFloat16; break;
    default:
      throw_input(f.path() + ": " + name, std::string("dtype ") + st_dtype_name(t.dtype) + " unsupported (F32, F16, BF16)");
  }
  const uint8_t* p = f.bytes(t);
  size_t es = st_dtype_size(t.dtype);
  if (reinterpret_cast<uintptr_t>(p) % es == 0) return torch::from_blob(const_cast<uint8_t*>(p), t.shape, st);
  auto out = torch::empty(t.shape, st);
  std::memcpy(out.data_ptr(), p, t.end - t.begin);
  return out;
}

StDtype st_dtype_of(torch::ScalarType s) {
  switch (s) {
    case torch::kFloat32: return StDtype::f32;
    case torch::kFloat16: return StDtype::f16;
    case torch::kBFloat16: return StDtype::bf16;
    default: throw std::invalid_argument("model_save: unsupported dtype");
  }
}

const char* dtype_name(torch::ScalarType s) {
  switch (s) {
    case torch::kFloat16: return "float16";
    case torch::kBFloat16: return "bfloat16";
    default: return "float32";
  }
}

bool is_float_st(StDtype d) { return d == StDtype::f32 || d == StDtype::f16 || d == StDtype::bf16; }
const char* dtype_name_st(StDtype d) {
  return d == StDtype::f32 ? "float32" : d == StDtype::f16 ? "float16" : d == StDtype::bf16 ? "bfloat16" : "?";
}

}  // namespace

Model model_load(const std::string& dir, torch::Device device, torch::ScalarType dtype) {
  torch::NoGradGuard no_grad;
  ModelConfig c = config_load(dir);
  SafetensorsSet set = SafetensorsSet::open_dir(dir);
  int64_t V = c.vocab_size, C = c.hidden_size, L = c.num_layers, Q = c.q_dim(), KV = c.kv_dim(), F = c.intermediate_size;
  auto opt = torch::TensorOptions().dtype(dtype).device(device);
  Model m;
  m.config = c;
  m.device = device;
  m.dtype = dtype;
  ModelWeights& w = m.w;
  w.embed = torch::empty({V, C}, opt);
  w.final_norm = torch::empty({C}, opt);
  w.attn_norm = torch::empty({L, C}, opt);
  w.mlp_norm = torch::empty({L, C}, opt);
  w.qkv_w = torch::empty({L, Q + 2 * KV, C}, opt);
  if (c.qkv_bias) w.qkv_b = torch::empty({L, Q + 2 * KV}, opt);
  if (c.qk_norm()) {
    w.q_norm = torch::empty({L, Q}, opt);
    w.k_norm = torch::empty({L, KV}, opt);
  }
  w.o_w = torch::empty({L, C, Q}, opt);
  w.gate_up_w = torch::empty({L, 2 * F, C}, opt);
  w.down_w = torch::empty({L, C, F}, opt);
  w.lm_head = c.tie_word_embeddings ? w.embed : torch::empty({V, C}, opt);

  std::set<std::string> expected;
  for (auto& [name, dst] : m.named_hf_tensors()) {
    expected.insert(name);
    auto e = set.get(name);
    if (e.info->shape != std::vector<int64_t>(dst.sizes().begin(), dst.sizes().end()))
      throw_input(e.file->path() + ": " + name, "shape " + shape_str(e.info->shape) + " does not match config.json (expected " +
                                                    shape_str(dst.sizes()) + ")");
    if (std::string(dtype_name_st(e.info->dtype)) != c.torch_dtype && is_float_st(e.info->dtype))
      throw_input(e.file->path() + ": " + name, std::string("dtype ") + st_dtype_name(e.info->dtype) +
                                                    " does not match config.json torch_dtype '" + c.torch_dtype + "'");
    dst.copy_(st_tensor(*e.file, *e.info, name));
  }
  for (const auto& name : set.names()) {
    if (expected.count(name)) continue;
    // Tied checkpoints sometimes store lm_head anyway; old ones store RoPE buffers.
    if (name == "lm_head.weight" && c.tie_word_embeddings) continue;
    if (name.find("rotary_emb.inv_freq") != std::string::npos) continue;
    auto e = set.get(name);
    throw_input(e.file->path() + ": " + name, std::string("unexpected tensor for model_type '") + family_model_type(c.family) +
                                                  "' with this config.json");
  }
  m.inv_freq = rope_inv_freq(c).to(device);
  return m;
}

void model_save(const Model& m, const std::string& dir, const std::string& tokenizer_dir) {
  torch::NoGradGuard no_grad;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw_input(dir, "cannot create folder (" + ec.message() + ")");
  ModelConfig c = m.config;
  c.torch_dtype = dtype_name(m.dtype);
  std::vector<torch::Tensor> keep;  // owns the CPU copies while the file is written
  std::vector<StTensorView> views;
  for (auto& [name, t] : m.named_hf_tensors()) {
    auto cpu = t.detach().to(torch::kCPU).contiguous();
    keep.push_back(cpu);
    views.push_back(StTensorView{name, st_dtype_of(cpu.scalar_type()), cpu.sizes().vec(),
                                 {static_cast<const uint8_t*>(cpu.data_ptr()), cpu.nbytes()}});
  }
  // A stale index would take precedence over the file we write.
  std::filesystem::remove(dir + "/model.safetensors.index.json", ec);
  safetensors_write(dir + "/model.safetensors", views);
  file_write_atomic(dir + "/config.json", config_to_json(c));
  file_write_atomic(dir + "/generation_config.json", generation_config_to_json(c));
  if (!tokenizer_dir.empty()) {
    for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt"}) {
      std::string src = tokenizer_dir + "/" + f, dst = dir + "/" + f;
      if (!file_exists(src) || std::filesystem::equivalent(src, dst, ec)) continue;
      std::filesystem::copy_file(src, dst, std::filesystem::copy_options::overwrite_existing, ec);
      if (ec && (ec.value() == ENOSPC || ec.value() == EDQUOT || ec.value() == EIO))
        throw_io(dst, "cannot copy from " + src + " (" + ec.message() + ")");
      if (ec) throw_input(dst, "cannot copy from " + src + " (" + ec.message() + ")");
    }
  }
}

}  // namespace rlvr
