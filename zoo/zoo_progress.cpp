#include "zoo/zoo_progress.h"

#include <unistd.h>

#include <cstdio>

namespace rlvr::zoo {

ProgressBar::ProgressBar(std::string label, int64_t total, bool quiet, bool lines)
    : label_(std::move(label)), total_(total), quiet_(quiet), tty_(!lines && isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()), last_line_(start_) {}

void ProgressBar::update(int64_t step, double loss, int64_t tokens) {
  tokens_ += tokens;
  if (quiet_) return;
  const int64_t decile = total_ > 0 ? step * 10 / total_ : 10;
  const auto now = std::chrono::steady_clock::now();
  if (!tty_ && decile == last_decile_ && now - last_line_ < std::chrono::seconds(15)) return;
  last_decile_ = decile;
  last_line_ = now;
  const double s = std::chrono::duration<double>(now - start_).count();
  const double eta = step > 0 ? s * static_cast<double>(total_ - step) / static_cast<double>(step) : 0;
  constexpr int kWidth = 24;
  const int filled = total_ > 0 ? static_cast<int>(kWidth * step / total_) : kWidth;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "%s%-28s [%s] %5lld/%-5lld loss %.4f  %6.0f tok/s  ETA %4.0fs%s", tty_ ? "\r" : "",
               label_.c_str(), bar.c_str(), static_cast<long long>(step), static_cast<long long>(total_), loss,
               s > 0 ? static_cast<double>(tokens_) / s : 0.0, eta, tty_ ? "" : "\n");
  std::fflush(stderr);
}

void ProgressBar::finish(const std::string& note) {
  if (quiet_) return;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "%s%-28s done in %.1fs %s\n", tty_ ? "\r\033[K" : "", label_.c_str(), s, note.c_str());
  std::fflush(stderr);
}

}  // namespace rlvr::zoo
