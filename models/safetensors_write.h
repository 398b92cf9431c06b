// safetensors_write.h: writes a .safetensors file that HF safetensors/transformers load.
// Header keys sorted, header padded with spaces to 8 bytes so every tensor is 8-byte aligned in the
// file (what the reference writer does), written atomically. No LibTorch here.
#pragma once
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "models/safetensors_read.h"

namespace rlvr {

struct StTensorView {
  std::string name;
  StDtype dtype;
  std::vector<int64_t> shape;
  std::span<const uint8_t> bytes;  // numel x dtype size, little-endian
};

// Tensors are laid out in name order. metadata becomes "__metadata__" (HF writes {"format": "pt"}).
void safetensors_write(const std::string& path, const std::vector<StTensorView>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace rlvr
