// dist_gloo.h: the one place rlvrbench makes a Gloo process group. LibTorch 2.x carries Gloo inside
// libtorch_cpu but ships no Gloo headers, and ProcessGroupGloo.hpp includes them; so only
// dist_gloo.cpp sees that header (with Debian's libgloo-dev headers as declarations), and everyone
// else holds the group as a c10d::Backend. dist_gloo.cpp calls nothing of Gloo's: every Gloo
// object is made and used inside libtorch_cpu, so there is one Gloo build in the process, PyTorch's
// (CTest dist/one_gloo checks the binary links no libgloo and references no gloo:: symbol).
#pragma once
#include <chrono>
#include <string>

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

namespace rlvr {

// A Gloo group of `world` ranks over `store`, its TCP transport bound to `host`, one worker thread.
c10::intrusive_ptr<c10d::Backend> dist_gloo_create(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world,
                                                   const std::string& host, std::chrono::milliseconds timeout);

}  // namespace rlvr
