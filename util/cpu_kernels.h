// cpu_kernels.h: which CPU kernels this process's LibTorch runs, and the pins that make them the
// same on every x86-64 machine. Three libraries inside PyTorch's LibTorch pick their code path for
// the CPU they find when they start, and that path decides the bits of a CPU run as much as the
// code does:
//   MKL (fp32 GEMM, rlvrbench's forward and backward): its dispatcher picks AVX2, AVX-512 or AMX
//     kernels by CPU; MKL_CBWR=AVX2 (Conditional Numerical Reproducibility) fixes the AVX2 branch.
//     Measured on this project's AMD EPYC (AVX2, no AVX-512): MKL's own choice and MKL_CBWR=AVX2
//     give the same bits and 51-68 GFLOP/s on one core; COMPATIBLE (SSE2) gives other bits at 13-20.
//   ATen's vectorized kernels (softmax, exp, reductions): AVX-512 on a CPU that has it unless
//     ATEN_CPU_CAPABILITY says otherwise.
//   oneDNN (bf16 matmuls, some fused ops): its JIT picks the widest ISA; ONEDNN_MAX_CPU_ISA caps it.
// rlvrbench pins all three to AVX2 wherever the CPU has AVX2 and FMA and the user has not set the
// variable (the user's choice wins), and records the kernels with every CPU run (its device) and in
// the zoo cache key. The libraries read the variables when they first run, so the torch-free
// front sets them before it execs rlvrbench-torch, and a LibTorch binary started directly sets
// them and execs itself once (cpu_pins_or_reexec). Header only, no LibTorch.
#pragma once
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace rlvr {

struct CpuPin {
  const char* var;    // the environment variable the library reads
  const char* value;  // rlvrbench's pin
  const char* label;  // how the device string names the library
};
// One table for setting, checking and printing the pins.
inline constexpr CpuPin kCpuPins[] = {
    {"MKL_CBWR", "AVX2", "MKL"},
    {"ATEN_CPU_CAPABILITY", "avx2", "ATen"},
    {"ONEDNN_MAX_CPU_ISA", "AVX2", "oneDNN"},
};

// True where the pins apply: an x86-64 CPU with AVX2 and FMA.
inline bool cpu_pins_apply() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

// Sets every pin the environment lacks (where the pins apply). True when it set one (this
// process's LibTorch, if loaded, has not seen it).
inline bool cpu_pins_env() {
  if (!cpu_pins_apply()) return false;
  bool set = false;
  for (const CpuPin& p : kCpuPins) {
    if (const char* v = std::getenv(p.var); v && *v) continue;
    set = setenv(p.var, p.value, /*overwrite=*/1) == 0 || set;
  }
  return set;
}

// "MKL AVX2, ATen AVX2, oneDNN AVX2": each library's pinned path, "auto" where none is set. ATen's
// own answer (at::get_cpu_capability, looked up at run time so that nothing links LibTorch for it)
// is preferred where this process has it: it says what ATen actually runs.
inline std::string cpu_kernels() {
  std::string out;
  for (const CpuPin& p : kCpuPins) {
    const char* v = std::getenv(p.var);
    std::string path = v && *v ? v : "auto";
    if (!std::strcmp(p.var, "ATEN_CPU_CAPABILITY")) {
      using Cap = std::string (*)();
      if (auto f = reinterpret_cast<Cap>(dlsym(RTLD_DEFAULT, "_ZN2at18get_cpu_capabilityB5cxx11Ev"))) path = f();
    }
    for (char& c : path) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += (out.empty() ? "" : ", ") + std::string(p.label) + " " + path;
  }
  return out;
}

// For a binary that links LibTorch: when a pin was not in the environment at start, set it and
// exec this binary again with the same arguments, so that the libraries start with it. Returns
// when nothing had to change (or the exec failed: then the run goes on with the libraries' own
// choice, which its device string records).
inline void cpu_pins_or_reexec(char** argv) {
  if (!cpu_pins_env()) return;
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return;
  self[n] = '\0';
  execv(self, argv);
  std::fprintf(stderr, "warning: cannot re-run %s with the CPU kernel pins (util/cpu_kernels.h): %s\n", self, std::strerror(errno));
}

}  // namespace rlvr
