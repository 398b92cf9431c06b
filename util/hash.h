// hash.h: the project's one home for hashing. Every function is a pure function of its inputs with
// fixed constants, so a hash (and everything keyed by it: samples, shuffles, labels, zoo worlds) is
// identical on every platform and standard library. std::hash and std:: distributions are
// implementation-defined and used nowhere a result depends on them. No LibTorch here.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace rlvr {

// 2^64 / golden ratio: splitmix64's increment, and the stride of a counter-based stream.
constexpr uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ull;

// splitmix64's finalizer (Steele, Lea, Flood 2014): a bijective 64-bit mixer with full avalanche.
constexpr uint64_t mix64(uint64_t x) {
  x += kGoldenGamma;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// FNV-1a 64 (Fowler, Noll, Vo): a stable hash of bytes. `basis` defaults to the standard offset.
constexpr uint64_t kFnvOffsetBasis = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;
constexpr uint64_t fnv1a64(std::string_view s, uint64_t basis = kFnvOffsetBasis) {
  uint64_t h = basis;
  for (unsigned char c : s) h = (h ^ c) * kFnvPrime;
  return h;
}

// FNV-1a, salted and then mixed: a well-spread hash of text (canonical expressions, cache keys).
constexpr uint64_t hash_text(std::string_view s, uint64_t salt = 0) { return mix64(fnv1a64(s, kFnvOffsetBasis ^ salt)); }

// Folds several words into one key, order mattering: hash_words({seed, split, index}).
constexpr uint64_t hash_words(std::initializer_list<uint64_t> words) {
  uint64_t h = 0x243f6a8885a308d3ull;  // pi's fraction bits: an arbitrary nonzero start
  for (uint64_t w : words) h = mix64(h ^ mix64(w));
  return h;
}

// The seed of one random stream: (run seed, stream salt, index such as the step) -> 64 bits, so a
// stream's draws follow from those three alone (what makes a resumed run exact).
constexpr uint64_t stream_seed(uint64_t seed, uint64_t salt, uint64_t index = 0) {
  return mix64(mix64(mix64(seed) ^ salt) ^ index);
}

// A uniform double in [0, 1) from a 64-bit hash (its 53 high bits).
constexpr double unit_from(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

}  // namespace rlvr
