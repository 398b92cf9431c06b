# rlvr_use_torch(target): link LibTorch and reuse one precompiled header of <torch/torch.h>.
# A translation unit that includes <torch/torch.h> costs ~20 s on 2 cores; with the shared PCH
# it costs a few seconds. Headers seen by non-torch code must never include torch.
add_library(rlvr_torch_pch STATIC "${CMAKE_CURRENT_LIST_DIR}/torch_pch.cpp")
target_link_libraries(rlvr_torch_pch PUBLIC ${TORCH_LIBRARIES})
target_include_directories(rlvr_torch_pch SYSTEM PUBLIC ${TORCH_INCLUDE_DIRS})
target_precompile_headers(rlvr_torch_pch PRIVATE <torch/torch.h>)

function(rlvr_use_torch target)
  target_link_libraries(${target} PUBLIC rlvr_torch_pch)
  target_precompile_headers(${target} REUSE_FROM rlvr_torch_pch)
endfunction()
