// zoo_progress.h: the build's progress bar on stderr (step, loss, tokens/s, ETA).
// On a terminal one line is redrawn in place; otherwise (logs, ctest) a line every 10% of steps or 15 seconds.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace rlvr::zoo {

class ProgressBar {
 public:
  // lines: never redraw in place (several bars run at once).
  ProgressBar(std::string label, int64_t total, bool quiet = false, bool lines = false);
  // After step `step` (1-based) of `total`: its loss and the tokens it consumed.
  void update(int64_t step, double loss, int64_t tokens);
  void finish(const std::string& note);

 private:
  std::string label_;
  int64_t total_;
  bool quiet_, tty_;
  int64_t tokens_ = 0, last_decile_ = -1;
  std::chrono::steady_clock::time_point start_, last_line_;
};

}  // namespace rlvr::zoo
