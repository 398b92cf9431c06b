// dist_gloo.cpp: dist_gloo.h's factory, the only file that includes ProcessGroupGloo.hpp.
#include "rl/dist_gloo.h"

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>

namespace rlvr {

c10::intrusive_ptr<c10d::Backend> dist_gloo_create(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world,
                                                   const std::string& host, std::chrono::milliseconds timeout) {
  auto o = c10d::ProcessGroupGloo::Options::create(timeout);
  o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(host));
  o->threads = 1;
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world, o);
}

}  // namespace rlvr
