// zoo_plan.h: which zoo members share a pretrained base, and the cache keys of bases and members.
//
//   std::vector<ZooSpec> specs = zoo_specs_load("models/zoo");       // every *.toml, sorted by name
//   std::vector<ZooBase> bases = zoo_plan(specs);                     // grouped by base_key
//   std::string h = zoo_member_hash(bases[0], bases[0].members[0]);   // zoo.json "hash"
//
// docs/design.md ("Why a synthetic zoo"): one base pretrained on the union of its members' corpora,
// then a short fine-tune per member on its own planted mixture. Members share a base when the
// base's architecture, size, tokenizer and [train] base settings agree. Qwen2 and Llama share one:
// the base is a Llama (no q/k/v biases) and a Qwen2 member starts its fine-tune from it with zero
// biases, which is the same function; OLMo-2 (post-norm, q/k norms) needs a base of its own.
#pragma once
#include <string>
#include <vector>

#include "synth/prior_spec.h"

namespace rlvr::zoo {

using synth::ZooSpec;

struct ZooBase {
  std::string key;               // zoo_base_key of every member
  std::vector<ZooSpec> members;  // sorted by name
  std::string family;            // the base's own family: "llama" or "olmo2"
  uint64_t seed = 0;             // initialisation and corpus draws of the base
};

// Every models/zoo-style *.toml in `dir`, sorted by name (InputError on a malformed one).
std::vector<ZooSpec> zoo_specs_load(const std::string& dir);
// What must agree for two specs to share a base (architecture class, size, tokenizer, base schedule).
std::string zoo_base_key(const ZooSpec& s);
// Groups specs by base key; bases ordered by their first member's name.
std::vector<ZooBase> zoo_plan(const std::vector<ZooSpec>& specs);
// The base (and its members) of the spec named `name`; InputError "--only: unknown zoo model" otherwise.
ZooBase zoo_plan_only(const std::vector<ZooSpec>& specs, const std::string& name);

// Hash of the code that decides a build's bytes (zoo/, synth/, models/ sources; zoo_code_hash.cmake).
std::string zoo_code_hash();
// 32 hex digits over the code hash and every member's canonical spec: the base depends on all of them.
std::string zoo_base_hash(const ZooBase& b);
// The base hash and this member's canonical spec.
std::string zoo_member_hash(const ZooBase& b, const ZooSpec& member);
// 32 hex digits of text (two salted 64-bit FNV/splitmix hashes; a cache key, not a signature).
std::string zoo_hash_hex(const std::string& text);

}  // namespace rlvr::zoo
