#include "results/provenance.h"

#include <unistd.h>

#include <climits>
#include <thread>

// Generated on every build by results/provenance_git.cmake (only rewritten when it changes, so an
// unchanged commit does not recompile anything): defines RLVR_GIT_COMMIT.
#include "provenance_git.h"

namespace rlvr {

std::string provenance_git_commit() { return RLVR_GIT_COMMIT; }

std::string provenance_host() {
  char buf[HOST_NAME_MAX + 1] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unknown";
  return buf;
}

int provenance_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

}  // namespace rlvr
