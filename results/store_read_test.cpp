// Store opened StoreOpen::read: what compare, report and query judge with. It must never change the
// file (byte-identical after every read, an older schema read through the migrations in memory, a
// stale 'running' row seen as killed without writing) and must read a file marked read-only.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "results/schema.h"
#include "results/store.h"
#include "results/test_util.h"
#include "util/error.h"

namespace rlvr {
namespace {

// The database as bytes, after every writer closed (WAL checkpointed into the main file).
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One finished run with step metrics and an eval, written the way the trainer writes it.
void write_one_run(const std::string& path) {
  Store st(path);
  int64_t run = st.run_begin(test::cell_run_info("quick", "m/gt", 1));
  st.step_metrics_write(run, 1, {{"loss", 0.5}});
  EvalItem right, wrong;
  right.problem_id = "p1";
  right.correct = true;
  wrong.problem_id = "p2";
  st.eval_write(run, 1, "synth-eval", {{"accuracy", 0.5}}, {right, wrong});
  st.run_finish(run);
}

TEST(StoreRead, ReadsLeaveTheFileByteIdentical) {
  test::TempDb tmp;
  write_one_run(tmp.path());
  const std::string before = file_bytes(tmp.path());
  {
    Store ro(tmp.path(), StoreOpen::read);
    EXPECT_TRUE(ro.read_only());
    auto runs = ro.runs_find({});
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, RunStatus::finished);
    EXPECT_EQ(ro.eval_items(runs[0].id, 1, "synth-eval").size(), 2u);
    EXPECT_EQ(ro.schema_version(), kSchemaVersion);
  }
  EXPECT_EQ(file_bytes(tmp.path()), before);
}

TEST(StoreRead, WritesOnAReadStoreAreABugNotAWrite) {
  test::TempDb tmp;
  write_one_run(tmp.path());
  const std::string before = file_bytes(tmp.path());
  {
    Store ro(tmp.path(), StoreOpen::read);
    EXPECT_THROW(ro.run_begin(test::cell_run_info("quick", "m/gt", 2)), std::logic_error);
    EXPECT_THROW(ro.step_metrics_write(1, 2, {{"loss", 1.0}}), std::logic_error);
    EXPECT_THROW(ro.runs_reap_stale(), std::logic_error);
    EXPECT_THROW(ro.run_fail(1, 2, "x"), std::logic_error);
  }
  EXPECT_EQ(file_bytes(tmp.path()), before);
}

TEST(StoreRead, AMissingFileIsBadInputAndIsNotCreated) {
  test::TempDb tmp;
  EXPECT_THROW(Store(tmp.path("none.db"), StoreOpen::read), InputError);
  EXPECT_FALSE(std::filesystem::exists(tmp.path("none.db")));
}

TEST(StoreRead, AnOlderSchemaIsMigratedInMemoryOnly) {
  test::TempDb tmp;
  {
    Db db(tmp.path());
    schema_migrate(db, kSchemaVersion - 1);
    db.exec("INSERT INTO runs (suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device,"
            " threads, host, pid, status) VALUES ('quick', 'm/gt', 'm', 'gt', 1, '', 'abc', 'x', 'cpu', 1, 'h', 1, 'running')");
  }
  const std::string before = file_bytes(tmp.path());
  {
    Store ro(tmp.path(), StoreOpen::read);
    EXPECT_EQ(ro.schema_version(), kSchemaVersion);  // the copy in memory
    EXPECT_EQ(ro.run_count(), 1);
    EXPECT_FALSE(ro.probe_latest("m", "synth-eval"));  // a table the newest migration added
  }
  EXPECT_EQ(file_bytes(tmp.path()), before);
  Db again(tmp.path(), DbOpen::read_only);
  EXPECT_EQ(schema_version(again), kSchemaVersion - 1);
}

TEST(StoreRead, ANewerSchemaIsRefusedNamingItsVersion) {
  test::TempDb tmp;
  write_one_run(tmp.path());
  { Db db(tmp.path()); db.exec("PRAGMA user_version = 99"); }
  try {
    Store ro(tmp.path(), StoreOpen::read);
    FAIL() << "a newer schema was opened";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST(StoreRead, AStaleRunningRowReadsAsKilledWithoutAWrite) {
  test::TempDb tmp;
  const std::string path = tmp.path();
  pid_t pid = test::child_start([&] {
    Store child(path);
    int64_t run = child.run_begin(test::cell_run_info("quick", "m/gt", 2));
    child.step_metrics_write(run, 3, {{"loss", 1.0}});
    // exits without run_finish: a crash as the database sees it
  });
  ASSERT_EQ(test::child_wait(pid), 0);
  const std::string before = file_bytes(path);
  {
    Store ro(path, StoreOpen::read);
    RunFilter killed;
    killed.status = RunStatus::killed;
    auto runs = ro.runs_find(killed);
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].fail_step, 3);
    EXPECT_NE(runs[0].fail_reason->find(std::to_string(pid)), std::string::npos);
    RunFilter running;
    running.status = RunStatus::running;
    EXPECT_TRUE(ro.runs_find(running).empty());
  }
  EXPECT_EQ(file_bytes(path), before);
  Store rw(path);  // a writer reaps it into the file, as the reader saw it
  EXPECT_EQ(rw.runs_reap_stale(), 1);
}

TEST(StoreRead, AFileAndFolderMarkedReadOnlyAreRead) {
  test::TempDb tmp;
  const std::filesystem::path dir = tmp.dir() / "artifact";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "results.db").string();
  write_one_run(path);
  const std::string before = file_bytes(path);
  ASSERT_EQ(chmod(path.c_str(), 0444), 0);
  ASSERT_EQ(chmod(dir.c_str(), 0555), 0);
  {
    Store ro(path, StoreOpen::read);
    EXPECT_EQ(ro.run_count(), 1);
  }
  EXPECT_EQ(file_bytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(path + "-shm"));
  chmod(dir.c_str(), 0755);  // so TempDb can remove it
}

}  // namespace
}  // namespace rlvr
