#include "zoo/zoo_plan.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "util/cpu_kernels.h"
#include "util/hash.h"
#include "util/error.h"
#include "zoo_code_hash.h"  // generated: RLVR_ZOO_CODE_HASH

namespace rlvr::zoo {

namespace fs = std::filesystem;

std::vector<ZooSpec> zoo_specs_load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw_input(dir, "not a folder of zoo specs");
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".toml") paths.push_back(e.path().string());
  if (paths.empty()) throw_input(dir, "no *.toml zoo specs");
  std::sort(paths.begin(), paths.end());
  std::vector<ZooSpec> out;
  for (const auto& p : paths) out.push_back(synth::zoo_spec_load(p));
  return out;
}

namespace {
// Qwen2 = Llama + q/k/v biases, so both families grow from a Llama base.
std::string base_family(const ZooSpec& s) { return s.family == "olmo2" ? "olmo2" : "llama"; }
}  // namespace

std::string zoo_base_key(const ZooSpec& s) {
  const auto& z = s.size;
  const auto& t = s.train;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%s L%d C%d H%d K%d F%d S%d tok=%s/%d steps=%d batch=%d lr=%.17g",
                base_family(s).c_str(), z.layers, z.d_model, z.heads, z.kv_heads, z.ffn, z.max_seq,
                std::string(synth::tokenizer_kind_name(s.tokenizer.kind)).c_str(), s.tokenizer.merges, t.base_steps,
                t.batch, t.lr);
  return buf;
}

std::vector<ZooBase> zoo_plan(const std::vector<ZooSpec>& specs) {
  std::map<std::string, ZooBase> by_key;
  for (const ZooSpec& s : specs) {
    ZooBase& b = by_key[zoo_base_key(s)];
    b.key = zoo_base_key(s);
    b.family = base_family(s);
    b.members.push_back(s);
  }
  std::vector<ZooBase> out;
  for (auto& [k, b] : by_key) {
    std::sort(b.members.begin(), b.members.end(), [](const ZooSpec& x, const ZooSpec& y) { return x.name < y.name; });
    // The base's seed folds its members' seeds in name order: stable however the specs were listed.
    uint64_t seed = hash_text(b.key);
    for (const ZooSpec& m : b.members) seed = hash_words({seed, m.seed});
    b.seed = seed;
    out.push_back(std::move(b));
  }
  std::sort(out.begin(), out.end(), [](const ZooBase& x, const ZooBase& y) { return x.members[0].name < y.members[0].name; });
  return out;
}

ZooBase zoo_plan_only(const std::vector<ZooSpec>& specs, const std::string& name) {
  std::string names;
  for (const ZooBase& b : zoo_plan(specs))
    for (const ZooSpec& m : b.members) {
      if (m.name == name) return b;
      names += (names.empty() ? "" : ", ") + m.name;
    }
  throw_input("--only", "unknown zoo model '" + name + "' (known: " + names + ")");
}

std::string zoo_code_hash() { return RLVR_ZOO_CODE_HASH; }

std::string zoo_hash_hex(const std::string& text) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(hash_text(text, 0x7a00)),
                static_cast<unsigned long long>(hash_text(text, 0x7a01)));
  return buf;
}

std::string zoo_base_hash(const ZooBase& b) {
  // The matrix kernels decide a trained model's bits as much as the code does (util/cpu_kernels.h).
  std::string text = "code=" + zoo_code_hash() + "\nkernels=" + cpu_kernels() + "\nbase=" + b.key + "\n";
  for (const ZooSpec& m : b.members) text += synth::zoo_spec_canonical(m) + "\n";
  return zoo_hash_hex(text);
}

std::string zoo_member_hash(const ZooBase& b, const ZooSpec& member) {
  return zoo_hash_hex("base=" + zoo_base_hash(b) + "\nmember=" + synth::zoo_spec_canonical(member));
}

}  // namespace rlvr::zoo
