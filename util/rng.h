// rng.h: a counter-based random stream. Draw i is mix64(key + gamma * i), so every draw depends
// only on (key, i) and the bytes are the same on every platform (util/hash.h). No LibTorch here.
#pragma once
#include <cstdint>

#include "util/hash.h"

namespace rlvr {

class Rng {
 public:
  explicit Rng(uint64_t key) : key_(key) {}
  uint64_t next() { return mix64(key_ + kGoldenGamma * ++counter_); }
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

}  // namespace rlvr
