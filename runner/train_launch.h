// train_launch.h: `rlvrbench train ... --nproc N`: N local data-parallel ranks of this very
// command, each told its place the way torchrun does (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
// MASTER_PORT), watched until all end.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "rl/dist.h"
#include "rl/run_config.h"

namespace rlvr {

// Runs `args` (the train command line without --nproc) as ranks 0..n-1 of this executable and
// waits. When a rank fails the others get `grace_s` to fail too (a dead peer breaks their
// collectives at once; a hung one after train.dist_timeout_s), then are killed. Returns rank 0's
// exit status, or 4 when it was killed or succeeded and another rank did not (a dead rank: the
// environment broke); one line per failed rank on stderr.
int train_launch(const std::vector<std::string>& args, int64_t n, double grace_s, bool quiet);

// `train ... --nproc N`: checks that `cfg` splits over N ranks and that its backend exists, then
// relaunches this command's arguments (argv[1..], without --nproc) as N local ranks. InputError
// naming --nproc when a launcher already started this process (WORLD_SIZE set).
int train_launch_nproc(const RunConfig& cfg, int64_t nproc, int argc, char** argv, bool quiet);

// A rank's device before anything initializes CUDA: CTest's resource group for a single process,
// the local rank's GPU for a multi-rank CUDA run that no resource spec pinned.
void rank_device_bind(const RunConfig& cfg, const DistEnv& env);

// Under `ctest --resource-spec-file`, a test that asked for RESOURCE_GROUPS "N,gpus:1" gets one GPU
// id per group in CTEST_RESOURCE_GROUP_<i>_GPUS ("id:3,slots:1"): the GPU id of group `rank`, or ""
// outside such a test (or for a group without GPUs). InputError naming the variable when ctest's
// value cannot be read. Rank r is pinned to it with CUDA_VISIBLE_DEVICES (it then sees cuda:0).
std::string ctest_gpu_of(int64_t rank);
void ctest_gpu_bind(int64_t rank);  // sets CUDA_VISIBLE_DEVICES to ctest_gpu_of(rank) when not ""

// A rank of a multi-rank CUDA run (torchrun, srun, --nproc) that no resource spec pinned takes the
// GPU of its LOCAL_RANK: the LOCAL_RANK-th entry of CUDA_VISIBLE_DEVICES, or GPU LOCAL_RANK when
// that is unset (a list of one is kept: srun --gpus-per-task=1), so every rank's "cuda" is its own
// cuda:0 (before anything initializes CUDA).
// InputError when CUDA_VISIBLE_DEVICES lists fewer GPUs than LOCAL_RANK needs.
void cuda_bind_local_rank(int64_t local_rank);

}  // namespace rlvr
