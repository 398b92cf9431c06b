// dist.cpp: the c10d rendezvous and collectives of dist.h.
#include "rl/dist.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "rl/dist_gloo.h"
#include "util/error.h"

namespace rlvr {

struct DistImpl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::Backend> gloo;  // dist_gloo.h
#ifdef USE_C10D_NCCL
  c10::intrusive_ptr<c10d::ProcessGroupNCCL> nccl;
#endif
  std::chrono::milliseconds timeout{0};

  // Runs one collective and waits for it; any failure is this rank's one-line DistError.
  template <typename F>
  void run(int64_t rank, const char* what, F&& start) {
    try {
      c10::intrusive_ptr<c10d::Work> w = start();
      w->wait(timeout);
    } catch (const std::exception& e) {
      std::string msg = e.what();
      msg = msg.substr(0, msg.find('\n'));
      throw DistError("rank " + std::to_string(rank) + ": " + what + " failed (a peer rank died, or hung past the " +
                      std::to_string(timeout.count() / 1000) + " s timeout): " + msg);
    }
  }
  // The process group of a collective on `t`: NCCL for CUDA tensors where the run uses NCCL, Gloo
  // for everything else (NCCL moves CUDA tensors only; an NCCL run keeps a Gloo group beside it
  // for its small CPU collectives, as PyTorch's "cpu:gloo,cuda:nccl" does).
  template <typename F>
  void each(const at::Tensor& t, F&& f) {
#ifdef USE_C10D_NCCL
    if (nccl && t.is_cuda()) return f(*nccl);
#endif
    (void)t;
    f(*gloo);
  }
};

namespace {

// An integer environment variable in [lo, hi]; `fallback` when unset or empty.
int64_t env_int(const char* name, int64_t fallback, int64_t lo, int64_t hi) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  char* end = nullptr;
  const long long x = std::strtoll(v, &end, 10);
  if (*end != '\0' || x < lo || x > hi)
    throw_input(name, "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" + std::string(v) + "'");
  return x;
}

}  // namespace

DistEnv dist_env_read() {
  DistEnv e;
  e.world = env_int("WORLD_SIZE", 1, 1, 65536);
  e.rank = env_int("RANK", 0, 0, 65535);
  if (e.rank >= e.world)
    throw_input("RANK", std::to_string(e.rank) + " is not below WORLD_SIZE " + std::to_string(e.world));
  e.local_rank = env_int("LOCAL_RANK", e.rank, 0, 65535);
  if (const char* a = std::getenv("MASTER_ADDR"); a && *a) e.master_addr = a;
  e.master_port = env_int("MASTER_PORT", e.master_port, 1, 65535);
  const char* w = std::getenv("WORLD_SIZE");
  e.launched = w && *w;
  return e;
}

Dist Dist::init(const DistEnv& env, const std::string& backend, double timeout_s, bool cuda) {
  Dist d;
  d.rank_ = env.rank;
  d.world_ = env.world;
  d.timeout_s_ = timeout_s;
  if (backend != "auto" && backend != "gloo" && backend != "nccl")
    throw_input("train.backend", "unknown '" + backend + "' (known: auto, gloo, nccl)");
#ifndef USE_C10D_NCCL
  if (backend == "nccl")
    throw_input("train.backend", "nccl: this LibTorch has no NCCL (a CPU build); use gloo, or a CUDA build (ci/cuda_build.sh)");
#endif
  // One process: no rendezvous, no process group (unless a launcher asked for a 1-rank group of
  // an explicit backend, see DistEnv::launched).
  if (env.world == 1 && !(env.launched && backend != "auto")) return d;
  d.backend_ = backend == "auto" ? (cuda ? "nccl" : "gloo") : backend;
#ifndef USE_C10D_NCCL
  if (d.backend_ == "nccl") d.backend_ = "gloo";  // auto on CUDA without NCCL: Gloo moves CUDA tensors too
#endif
  auto impl = std::make_shared<DistImpl>();
  impl->timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000));
  c10d::TCPStoreOptions so;
  so.port = static_cast<uint16_t>(env.master_port);
  so.isServer = env.rank == 0;
  so.numWorkers = static_cast<size_t>(env.world);
  so.waitWorkers = false;
  so.timeout = impl->timeout;
  try {
    impl->store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, so);
  } catch (const std::exception& e) {
    std::string msg = e.what();
    msg = msg.substr(0, msg.find('\n'));
    throw_input("MASTER_PORT", (env.rank == 0 ? "rank 0 cannot listen on " : "rank " + std::to_string(env.rank) + " cannot reach ") +
                                   env.master_addr + ":" + std::to_string(env.master_port) +
                                   (env.rank == 0 ? " (is the port in use?): " : ": ") + msg);
  }
  // Every rank states its WORLD_SIZE before the process group forms: ranks that disagree would
  // otherwise wait for each other until the timeout.
  auto store = c10::make_intrusive<c10d::PrefixStore>("rlvrbench", impl->store);
  const std::string mine = std::to_string(env.world);
  store->set("world_size/" + std::to_string(env.rank), std::vector<uint8_t>(mine.begin(), mine.end()));
  try {
    for (int64_t r = 0; r < env.world; ++r) {
      if (r == env.rank) continue;
      store->wait({"world_size/" + std::to_string(r)}, impl->timeout);
      std::vector<uint8_t> v = store->get("world_size/" + std::to_string(r));
      const std::string theirs(v.begin(), v.end());
      if (theirs != mine) {
        // Rank 0 serves the store: it waits (5 s at most) until the rank it disagrees with has read
        // rank 0's size too, so that rank reports the mismatch rather than a dropped connection.
        try {
          if (env.rank == 0)
            store->wait({"world_size/seen/" + std::to_string(r)}, std::chrono::milliseconds(5000));
          else
            store->set("world_size/seen/" + std::to_string(env.rank), std::vector<uint8_t>{1});
        } catch (const std::exception&) {  // the other rank is gone already: nothing to wait for
        }
        throw_input("WORLD_SIZE", "rank " + std::to_string(env.rank) + " has " + mine + ", rank " + std::to_string(r) + " has " + theirs);
      }
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    std::string msg = e.what();
    throw_input("WORLD_SIZE", "rank " + std::to_string(env.rank) + ": not every one of the " + mine + " ranks arrived within " +
                                  std::to_string(static_cast<int64_t>(timeout_s)) + " s: " + msg.substr(0, msg.find('\n')));
  }
#ifdef USE_C10D_NCCL
  if (d.backend_ == "nccl") {
    auto o = c10d::ProcessGroupNCCL::Options::create();
    o->timeout = impl->timeout;
    impl->nccl = c10::make_intrusive<c10d::ProcessGroupNCCL>(c10::make_intrusive<c10d::PrefixStore>("nccl", store),
                                                              static_cast<int>(env.rank), static_cast<int>(env.world), o);
  }
#endif
  if (d.backend_ == "gloo" || d.backend_ == "nccl") {  // NCCL runs keep Gloo for CPU tensors
    impl->gloo = dist_gloo_create(c10::make_intrusive<c10d::PrefixStore>("gloo", store), static_cast<int>(env.rank),
                                  static_cast<int>(env.world), env.master_addr == "localhost" ? "127.0.0.1" : env.master_addr,
                                  impl->timeout);
  }
  d.impl_ = impl;
  return d;
}

void Dist::allreduce_sum(at::Tensor& t) const {
  if (!active()) return;
  std::vector<at::Tensor> v = {t};
  impl_->each(t, [&](auto& pg) { impl_->run(rank_, "allreduce", [&] { return pg.allreduce(v); }); });
}

std::vector<std::vector<double>> Dist::allgather(const std::vector<double>& mine) const {
  if (!active()) return {mine};
  // Gloo gathers equal sizes: the lengths first, then every vector padded to the longest.
  at::Tensor n = torch::tensor({static_cast<int64_t>(mine.size())}, torch::kInt64);
  std::vector<at::Tensor> ns;
  for (int64_t r = 0; r < world_; ++r) ns.push_back(torch::zeros({1}, torch::kInt64));
  std::vector<std::vector<at::Tensor>> nout = {ns};
  std::vector<at::Tensor> nin = {n};
  impl_->each(n, [&](auto& pg) { impl_->run(rank_, "allgather", [&] { return pg.allgather(nout, nin); }); });
  int64_t longest = 0;
  std::vector<int64_t> lens;
  for (const auto& t : nout[0]) {
    lens.push_back(t.item<int64_t>());
    longest = std::max(longest, lens.back());
  }
  at::Tensor x = torch::zeros({std::max<int64_t>(1, longest)}, torch::kFloat64);
  std::copy(mine.begin(), mine.end(), x.data_ptr<double>());
  std::vector<at::Tensor> xs;
  for (int64_t r = 0; r < world_; ++r) xs.push_back(torch::zeros_like(x));
  std::vector<std::vector<at::Tensor>> xout = {xs};
  std::vector<at::Tensor> xin = {x};
  impl_->each(x, [&](auto& pg) { impl_->run(rank_, "allgather", [&] { return pg.allgather(xout, xin); }); });
  std::vector<std::vector<double>> out;
  for (int64_t r = 0; r < world_; ++r) {
    const double* p = xout[0][static_cast<size_t>(r)].data_ptr<double>();
    out.emplace_back(p, p + lens[static_cast<size_t>(r)]);
  }
  return out;
}

double Dist::allreduce_max(double v) const {
  if (!active()) return v;
  at::Tensor t = torch::tensor({v}, torch::kFloat64);
  std::vector<at::Tensor> tv = {t};
  c10d::AllreduceOptions o;
  o.reduceOp = c10d::ReduceOp::MAX;
  impl_->each(t, [&](auto& pg) { impl_->run(rank_, "allreduce", [&] { return pg.allreduce(tv, o); }); });
  return t.item<double>();
}

void Dist::barrier() const {
  if (!active()) return;
  // A barrier on the Gloo group (every run has one): it orders host-side work, which is what callers need.
  impl_->each(at::Tensor(), [&](auto& pg) { impl_->run(rank_, "barrier", [&] { return pg.barrier(); }); });
}

}  // namespace rlvr
