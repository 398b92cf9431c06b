// philox.h: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11), a
// counter-based generator: output = bijection(counter, key), no state. A sampled token's random
// number is a pure function of (seed, prompt id, sample index, step), so any sample reproduces on
// its own, whatever else shared its batch. No LibTorch here.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "util/hash.h"

namespace rlvr {

inline std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> ctr, std::array<uint32_t, 2> key) {
  constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = static_cast<uint64_t>(kM0) * ctr[0];
    uint64_t p1 = static_cast<uint64_t>(kM1) * ctr[2];
    ctr = {static_cast<uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<uint32_t>(p1),
           static_cast<uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<uint32_t>(p0)};
    key[0] += kW0;
    key[1] += kW1;
  }
  return ctr;
}

// The prompt's key in the counter: FNV-1a 64 of its id (stable across platforms and runs).
inline uint64_t prompt_id_hash(std::string_view id) { return fnv1a64(id); }

// Uniform double in [0, 1) with 53 random bits for (seed, prompt, sample, step).
inline double philox_uniform(uint64_t seed, uint64_t prompt_hash, uint32_t sample, uint32_t step) {
  auto r = philox4x32_10({step, sample, static_cast<uint32_t>(prompt_hash), static_cast<uint32_t>(prompt_hash >> 32)},
                         {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)});
  uint64_t a = r[0] >> 5, b = r[1] >> 6;  // 27 + 26 bits
  return (static_cast<double>(a) * 67108864.0 + static_cast<double>(b)) * (1.0 / 9007199254740992.0);
}

}  // namespace rlvr
