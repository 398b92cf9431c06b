// rng.h: the world's randomness. Counter-based (splitmix64) so that every draw depends only on
// (seed, stream, counter) and the bytes are identical on every platform and standard library
// (std:: distributions are implementation-defined, so none is used anywhere in synth/).
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace rlvr::synth {

// splitmix64's finalizer: a bijective 64-bit mixer with full avalanche.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Folds several words into one key (order matters): hash_words({seed, split, index}).
constexpr uint64_t hash_words(std::initializer_list<uint64_t> words) {
  uint64_t h = 0x243f6a8885a308d3ull;  // pi's fraction bits: an arbitrary nonzero start
  for (uint64_t w : words) h = mix64(h ^ mix64(w));
  return h;
}

// FNV-1a over bytes, then mixed: a stable hash of strings (canonical expressions).
constexpr uint64_t hash_text(std::string_view s, uint64_t salt = 0) {
  uint64_t h = 0xcbf29ce484222325ull ^ salt;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return mix64(h);
}

// A uniform double in [0, 1) from a 64-bit hash (53 high bits).
constexpr double unit_from(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

// A stream of draws: state = key, each draw mixes key + counter.
class Rng {
 public:
  explicit Rng(uint64_t key) : key_(key) {}
  uint64_t next() { return mix64(key_ + 0x9e3779b97f4a7c15ull * ++counter_); }
  // Uniform integer in [0, n), n >= 1, without modulo bias (rejection on the top of the range).
  uint64_t below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    for (;;) {
      uint64_t x = next();
      if (x < limit) return x % n;
    }
  }
  // Uniform integer in [lo, hi], lo <= hi.
  int64_t range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1)); }
  double unit() { return unit_from(next()); }
  bool bernoulli(double p) { return unit() < p; }

 private:
  uint64_t key_;
  uint64_t counter_ = 0;
};

}  // namespace rlvr::synth
