// blas_core.h: which OpenBLAS kernels this process's LibTorch matrix products run on. OpenBLAS
// picks them for the CPU it detects when it loads (an unrecognised CPU gets the generic SSE3
// "Prescott" kernels; OPENBLAS_CORETYPE overrides the choice), and the kernels decide the bits of
// a CPU run as much as the code does. So the kernel set is recorded with every CPU run (its
// device) and in the zoo cache key.
//
// rlvrbench asks for one kernel set itself: Haswell (AVX2 + FMA) wherever the CPU has AVX2 and FMA
// and the user has not set OPENBLAS_CORETYPE. OpenBLAS's own choice depends on whether it knows
// the CPU model (this project's Xeon, under a hypervisor, is unknown to it and gets Prescott; an
// AVX-512 machine it knows gets SkylakeX), so pinning one set makes the bits of a CPU run the
// same on every AVX2 machine, and Haswell was the fastest there: GEMM 78-82 GFLOP/s against
// Prescott's 22-33 on one core (bench/step_bench). OpenBLAS reads the variable when it loads, so
// the torch-free front sets it before it execs rlvrbench-torch, and a LibTorch binary started
// directly sets it and execs itself once (blas_core_pin_or_reexec). LibTorch's own kernels need
// no pin: ATen 1.13 runs its AVX2 kernels on AVX-512 CPUs too unless ATEN_CPU_CAPABILITY says
// otherwise (checked: the bits of sum/exp/log_softmax differ only under avx512). Header only, no
// LibTorch.
#pragma once
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rlvr {

// The kernel set OpenBLAS reports (openblas_get_corename, looked up at run time so that nothing
// links OpenBLAS for it), else the OPENBLAS_CORETYPE asked for, else "unknown".
inline std::string blas_core() {
  using CoreName = char* (*)();
  if (auto f = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"))) {
    if (const char* name = f(); name && *name) return name;
  }
  const char* v = std::getenv("OPENBLAS_CORETYPE");
  return v && *v ? v : "unknown";
}

// The kernel set rlvrbench pins where the CPU can run it.
inline constexpr const char* kBlasCorePinned = "Haswell";

// Sets OPENBLAS_CORETYPE to kBlasCorePinned unless it is set already (the user's choice wins) or
// the CPU lacks AVX2 or FMA. True when it set it (this process's OpenBLAS, if loaded, has not seen it).
inline bool blas_core_pin_env() {
  if (const char* v = std::getenv("OPENBLAS_CORETYPE"); v && *v) return false;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) return false;
  return setenv("OPENBLAS_CORETYPE", kBlasCorePinned, /*overwrite=*/1) == 0;
#else
  return false;
#endif
}

// For a binary that links OpenBLAS: when the pin was not in the environment at start, set it and
// exec this binary again with the same arguments, so that OpenBLAS loads with it. Returns when
// nothing had to change (or the exec failed: then the run goes on with OpenBLAS's own choice,
// which its device string records).
inline void blas_core_pin_or_reexec(char** argv) {
  if (!blas_core_pin_env()) return;
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = '\0';
  execv(self, argv);
  std::fprintf(stderr, "warning: cannot re-run %s with OPENBLAS_CORETYPE=%s: %s\n", self, kBlasCorePinned, std::strerror(errno));
}

}  // namespace rlvr
