// dtype.h: the floating-point type a model runs in (run key run.dtype, --dtype), with one name
// table (util/enum_names.h). Torch-free; models/model.h maps it to a torch::ScalarType.
#pragma once
#include <cstdint>
#include <span>

#include "util/enum_names.h"

namespace rlvr {

// automatic: float32 on CPU, bfloat16 on CUDA (what a run without run.dtype gets).
enum class Dtype : uint8_t { automatic, float32, bfloat16, float16 };
// The first name of a value is how it prints; the short ones are accepted aliases.
constexpr EnumName<Dtype> kDtypeNames[] = {
    {Dtype::automatic, ""},      {Dtype::float32, "float32"}, {Dtype::bfloat16, "bfloat16"},
    {Dtype::float16, "float16"}, {Dtype::float32, "fp32"},    {Dtype::bfloat16, "bf16"},
    {Dtype::float16, "fp16"},
};
constexpr std::span<const EnumName<Dtype>> enum_names(Dtype) { return kDtypeNames; }

}  // namespace rlvr
