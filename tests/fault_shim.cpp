// fault_shim.cpp: an LD_PRELOAD library that makes the machine fail on purpose, for the fault
// tests (tests/disk_full.sh, tests/kill_anywhere.sh). Environment:
//   RLVR_FAULT_DIR=PATH               writes to files under PATH are watched (nothing else is)
//   RLVR_FAULT_ENOSPC_AFTER=N         after N bytes written under PATH by this process, every write
//                                     there fails with ENOSPC (the one that crosses N is short), as
//                                     on a disk that has just filled
//   RLVR_FAULT_KILL_ON_RENAME=SUBSTR  a rename() whose target contains SUBSTR SIGKILLs the process
//                                     instead of renaming (a crash at the last moment of a commit)
//   RLVR_FAULT_RENAME_DELAY_MS=MS     every rename() waits MS first (so two writers surely overlap)
//   RLVR_FAULT_COUNT_TO=FILE          at exit, write the bytes written under PATH to FILE (to size
//                                     a sweep of RLVR_FAULT_ENOSPC_AFTER from a run that fit)
// write, pwrite, pwrite64 (SQLite), writev and rename are interposed; everything else passes.
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace {

std::atomic<int64_t> g_written{0};

const char* env(const char* name) {
  const char* v = getenv(name);
  return v && *v ? v : nullptr;
}

// True when fd is a file under RLVR_FAULT_DIR.
bool watched(int fd) {
  const char* dir = env("RLVR_FAULT_DIR");
  if (!dir) return false;
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  if (n <= 0) return false;
  target[n] = 0;
  const size_t len = strlen(dir);  // PATH itself or below it, not PATH-other
  return strncmp(target, dir, len) == 0 && (target[len] == '/' || target[len] == 0 || dir[len - 1] == '/');
}

// How many of `count` bytes may be written to fd now; -1: none (errno = ENOSPC).
ssize_t allowance(int fd, size_t count) {
  if (count == 0 || !watched(fd)) return static_cast<ssize_t>(count);
  const char* after = env("RLVR_FAULT_ENOSPC_AFTER");
  if (!after) {
    g_written += static_cast<int64_t>(count);
    return static_cast<ssize_t>(count);
  }
  const int64_t budget = strtoll(after, nullptr, 10);
  const int64_t used = g_written.load();
  if (used >= budget) {
    errno = ENOSPC;
    return -1;
  }
  const int64_t ok = budget - used < static_cast<int64_t>(count) ? budget - used : static_cast<int64_t>(count);
  g_written += ok;
  return static_cast<ssize_t>(ok);
}

__attribute__((destructor)) void report_count() {
  if (const char* to = env("RLVR_FAULT_COUNT_TO"))
    if (FILE* f = fopen(to, "w")) {
      fprintf(f, "%lld\n", static_cast<long long>(g_written.load()));
      fclose(f);
    }
}

template <class F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

ssize_t write(int fd, const void* buf, size_t count) {
  static auto real = next<ssize_t (*)(int, const void*, size_t)>("write");
  ssize_t n = allowance(fd, count);
  return n < 0 ? -1 : real(fd, buf, static_cast<size_t>(n));
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t off) {
  static auto real = next<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  ssize_t n = allowance(fd, count);
  return n < 0 ? -1 : real(fd, buf, static_cast<size_t>(n), off);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off64_t off) {
  static auto real = next<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  ssize_t n = allowance(fd, count);
  return n < 0 ? -1 : real(fd, buf, static_cast<size_t>(n), off);
}

ssize_t writev(int fd, const struct iovec* iov, int iovcnt) {
  static auto real = next<ssize_t (*)(int, const struct iovec*, int)>("writev");
  size_t total = 0;
  for (int i = 0; i < iovcnt; ++i) total += iov[i].iov_len;
  ssize_t n = allowance(fd, total);
  if (n < 0) return -1;
  if (static_cast<size_t>(n) == total) return real(fd, iov, iovcnt);
  // Short: write the allowed prefix of the first buffers (a later call gets ENOSPC).
  static auto real_write = next<ssize_t (*)(int, const void*, size_t)>("write");
  size_t done = 0;
  for (int i = 0; i < iovcnt && done < static_cast<size_t>(n); ++i) {
    size_t take = iov[i].iov_len < static_cast<size_t>(n) - done ? iov[i].iov_len : static_cast<size_t>(n) - done;
    ssize_t w = real_write(fd, iov[i].iov_base, take);
    if (w <= 0) return done ? static_cast<ssize_t>(done) : w;
    done += static_cast<size_t>(w);
  }
  return static_cast<ssize_t>(done);
}

int rename(const char* from, const char* to) {
  static auto real = next<int (*)(const char*, const char*)>("rename");
  const char* kill_on = env("RLVR_FAULT_KILL_ON_RENAME");
  if (const char* ms = env("RLVR_FAULT_RENAME_DELAY_MS")) usleep(static_cast<useconds_t>(atoi(ms)) * 1000);
  if (kill_on && strstr(to, kill_on)) {
    fprintf(stderr, "fault_shim: SIGKILL before rename(%s, %s)\n", from, to);
    kill(getpid(), SIGKILL);
  }
  return real(from, to);
}

}  // extern "C"
