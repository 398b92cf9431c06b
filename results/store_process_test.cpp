// Several processes on one file, and processes that die mid-write: what ctest -j and a killed
// trainer do to the results database.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "results/store.h"
#include "results/test_util.h"

namespace rlvr {
namespace {

RunInfo info(int64_t seed) { return test::cell_run_info("quick", "m/gt", seed); }

std::vector<EvalItem> items(int n) {
  std::vector<EvalItem> v(n);
  for (int i = 0; i < n; ++i) {
    v[i].problem_id = test::numbered("p", i);
    v[i].correct = i % 3 == 0;
    v[i].extracted = std::to_string(i);
  }
  return v;
}

// Blocks until the parent writes a byte (or closes the pipe).
void wait_for(int fd) {
  char c;
  while (read(fd, &c, 1) < 0 && errno == EINTR) {
  }
}

void expect_intact(Store& st) {
  Db db = test::db_of(st);
  Stmt s = db.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(s.step());
  EXPECT_EQ(s.get_text(0), "ok");
}

TEST(StoreProcess, KilledInsideATransactionLeavesNothing) {
  test::TempDb tmp;
  std::string path = tmp.path();
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t pid = test::child_start([&] {
    Store st(path);
    int64_t run = st.run_begin(info(1));
    Db db = test::db_of(st);
    Txn txn(db);
    Stmt ins = db.prepare("INSERT INTO step_metrics (run, key, step, value) VALUES (?1, 'loss', ?2, 1.0)");
    for (int s = 0; s < 1000; ++s) {
      ins.bind(1, run).bind(2, s).run();
      ins.reset();
    }
    char c = 'x';
    if (write(ready[1], &c, 1) != 1) _exit(3);
    pause();  // holding the write lock with uncommitted rows until SIGKILL
  });
  wait_for(ready[0]);
  kill(pid, SIGKILL);
  EXPECT_EQ(test::child_wait(pid), 128 + SIGKILL);
  close(ready[0]);
  close(ready[1]);

  Store st(path);
  expect_intact(st);
  Db db = test::db_of(st);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM runs"), 1);  // committed before the Txn
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM step_metrics"), 0);
  // The dead process's lock is gone: writing works at once.
  st.step_metrics_write(1, 0, {{"loss", 1.0}});
}

TEST(StoreProcess, ExitWithoutCommitLeavesNothing) {
  test::TempDb tmp;
  std::string path = tmp.path();
  pid_t pid = test::child_start([&] {
    Store st(path);
    int64_t run = st.run_begin(info(1));
    Db db = test::db_of(st);
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO evals VALUES (?1, 0, 'synth', 'accuracy', 0.5)").bind(1, run).run();
    _exit(0);  // no COMMIT, no destructors
  });
  ASSERT_EQ(test::child_wait(pid), 0);
  Store st(path);
  expect_intact(st);
  Db db = test::db_of(st);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM evals"), 0);
}

TEST(StoreProcess, EvalKilledAtARandomMomentIsAllOrNothing) {
  test::TempDb tmp;
  std::string path = tmp.path();
  constexpr int kItems = 2000;
  for (int attempt = 0; attempt < 3; ++attempt) {
    int started[2];
    ASSERT_EQ(pipe(started), 0);
    pid_t pid = test::child_start([&] {
      Store st(path);
      int64_t run = st.run_begin(info(attempt));
      char c = 'x';
      if (write(started[1], &c, 1) != 1) _exit(3);
      auto it = items(kItems);
      for (int64_t step = 0;; ++step) st.eval_write(run, step, "synth", {{"accuracy", 0.34}, {"code_frequency", 0.0}}, it);
    });
    wait_for(started[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + 40 * attempt));
    kill(pid, SIGKILL);
    EXPECT_EQ(test::child_wait(pid), 128 + SIGKILL);
    close(started[0]);
    close(started[1]);
  }
  Store st(path);
  expect_intact(st);
  Db db = test::db_of(st);
  // Every (run, step) has both metrics and all items, or nothing at all.
  Stmt s = db.prepare(
      "SELECT run, step, (SELECT COUNT(*) FROM evals e WHERE e.run = i.run AND e.step = i.step), COUNT(*)"
      " FROM eval_items i GROUP BY run, step");
  int groups = 0;
  while (s.step()) {
    ++groups;
    EXPECT_EQ(s.get_int(2), 2) << "run " << s.get_int(0) << " step " << s.get_int(1);
    EXPECT_EQ(s.get_int(3), kItems) << "run " << s.get_int(0) << " step " << s.get_int(1);
  }
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM evals WHERE NOT EXISTS (SELECT 1 FROM eval_items i"
                              " WHERE i.run = evals.run AND i.step = evals.step)"),
            0);
  EXPECT_GT(groups, 0);  // some evals committed before each kill, so "all" was tested too
  RecordProperty("committed_evals", groups);
}

TEST(StoreProcess, ConcurrentWritersOnAFreshFileLoseNothing) {
  test::TempDb tmp;
  std::string path = tmp.path();
  constexpr int kProcs = 6, kSteps = 200, kKeys = 8, kEvalEvery = 10, kItems = 100;
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    pids.push_back(test::child_start([&, p] {
      close(go[1]);
      wait_for(go[0]);  // all start together: they race to create and migrate the file too
      Store st(path);
      int64_t run = st.run_begin(info(p));
      st.run_params(run, {{"seed", std::to_string(p)}});
      for (int step = 0; step < kSteps; ++step) {
        std::map<std::string, double> m;
        for (int k = 0; k < kKeys; ++k) m[test::numbered("k", k)] = step + 0.1 * k;
        st.step_metrics_write(run, step, m);
        if (step % kEvalEvery == 0) st.eval_write(run, step, "synth", {{"accuracy", 0.5}}, items(kItems));
        // A trainer computes between writes; without a gap the busy handler's polling lets one
        // writer re-take the lock every time and the processes run one after another.
        std::this_thread::sleep_for(std::chrono::microseconds(300));
      }
      st.run_finish(run);
    }));
  }
  close(go[0]);
  close(go[1]);  // release them
  for (pid_t pid : pids) EXPECT_EQ(test::child_wait(pid), 0) << "writer " << pid << " failed (see stderr)";

  Store st(path);
  expect_intact(st);
  Db db = test::db_of(st);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM runs WHERE status = 'finished'"), kProcs);
  EXPECT_EQ(db.query_int("SELECT COUNT(DISTINCT seed) FROM runs"), kProcs);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM params"), kProcs);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM step_metrics"), kProcs * kSteps * kKeys);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM evals"), kProcs * (kSteps / kEvalEvery));
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM eval_items"), kProcs * (kSteps / kEvalEvery) * kItems);
  // The writers really overlapped in time (otherwise this test proved nothing about contention).
  EXPECT_GT(db.query_int("SELECT COUNT(*) FROM runs a JOIN runs b ON a.id < b.id"
                              " WHERE a.started_at < b.ended_at AND b.started_at < a.ended_at"),
            0);
}

}  // namespace
}  // namespace rlvr
