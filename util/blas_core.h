// blas_core.h: which OpenBLAS kernels this process's LibTorch matrix products run on. OpenBLAS
// picks them for the CPU it detects when it loads (an unrecognised CPU gets the generic SSE3
// "Prescott" kernels; OPENBLAS_CORETYPE overrides the choice), and the kernels decide the bits of
// a CPU run as much as the code does. So the kernel set is recorded with every CPU run (its
// device) and in the zoo cache key. Measured on this project's Xeon, where OpenBLAS picks Prescott:
// OPENBLAS_CORETYPE=Haswell runs a quick-recipe step 1.3x and the zoo build 1.5x faster, and trains
// other models, so the goldens in golden/ (measured with OpenBLAS's own choice) do not hold under
// it (results/measure/README.md). Header only, no LibTorch.
#pragma once
#include <dlfcn.h>

#include <cstdlib>
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

}  // namespace rlvr
