// dist.h: data-parallel ranks on PyTorch's own distributed engine, c10d: a TCPStore rendezvous and
// a Gloo process group on CPU (NCCL on CUDA builds of LibTorch that ship it). A rank learns its
// place from the environment, as torchrun and Slurm's srun set it:
//
//   RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
//
// Without WORLD_SIZE (or with WORLD_SIZE=1) there is one process and no process group: every
// collective is the identity, so a one-process run takes exactly the code path it always took.
// Every collective names this rank in its error: a peer that died breaks the connection at once, a
// peer that hangs fails the collective after the timeout.
#pragma once
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace rlvr {

// The rank's place, from the environment.
struct DistEnv {
  int64_t rank = 0, world = 1, local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int64_t master_port = 29500;  // torchrun's default
  // WORLD_SIZE was set by a launcher. WORLD_SIZE=1 with an explicit train.backend then forms a
  // 1-rank process group (torchrun --nproc-per-node 1 does the same): the smoke test of a backend
  // on a machine with one GPU (ci/gpu/check.sh's NCCL run). Unset: one process, no group.
  bool launched = false;
};

// Reads the variables above. No WORLD_SIZE: one process. InputError naming the variable on a value
// that is not a number, a rank outside [0, WORLD_SIZE), or a port outside [1, 65535].
DistEnv dist_env_read();

// A collective failed: a peer rank died or hung past the timeout (one line, naming this rank).
struct DistError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DistImpl;

class Dist {
 public:
  Dist() = default;  // one process: rank 0 of 1, no process group
  // Rendezvous and the process group. backend: "auto" (gloo on CPU, nccl on CUDA when built with
  // it), "gloo" or "nccl". InputError (exit 2, one line) on an unknown or unavailable backend, a
  // MASTER_PORT already in use, or ranks that disagree on WORLD_SIZE.
  static Dist init(const DistEnv& env, const std::string& backend, double timeout_s, bool cuda);

  int64_t rank() const { return rank_; }
  int64_t world() const { return world_; }
  bool active() const { return impl_ != nullptr; }  // a process group exists (world > 1, or a launched 1-rank group)
  bool lead() const { return rank_ == 0; }  // owns the database, the evaluations and the checkpoints
  const std::string& backend() const { return backend_; }
  double timeout_s() const { return timeout_s_; }

  // In place: the elementwise sum over ranks (the same bits on every rank).
  void allreduce_sum(at::Tensor& t) const;
  // Every rank's vector, in rank order (lengths may differ).
  std::vector<std::vector<double>> allgather(const std::vector<double>& mine) const;
  double allreduce_max(double v) const;
  void barrier() const;

 private:
  int64_t rank_ = 0, world_ = 1;
  std::string backend_ = "none";
  double timeout_s_ = 0;
  std::shared_ptr<DistImpl> impl_;
};

}  // namespace rlvr
