// train_launch.h: `rlvrbench train ... --nproc N`: N local data-parallel ranks of this very
// command, each told its place the way torchrun does (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT), watched until all end.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace rlvr::app {

// Runs `args` (the train command line without --nproc) as ranks 0..n-1 of this executable and
// waits. When a rank fails the others get `grace_s` to fail too (a dead peer breaks their
// collectives at once; a hung one after train.dist_timeout_s), then are killed. Returns rank 0's
// exit status, or 1 when it succeeded and another rank did not; one line per failed rank on stderr.
int train_launch(const std::vector<std::string>& args, int64_t n, double grace_s, bool quiet);

}  // namespace rlvr::app
