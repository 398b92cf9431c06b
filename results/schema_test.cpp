#include "results/schema.h"

#include <gtest/gtest.h>

#include "results/db.h"
#include "results/store.h"
#include "results/test_util.h"
#include "util/error.h"

namespace rlvr {
namespace {

std::string meta(Db& db, const char* key) {
  Stmt s = db.prepare("SELECT value FROM meta WHERE key = ?1");
  s.bind(1, key);
  return s.step() ? s.get_text(0) : "<missing>";
}

bool has_column(Db& db, const char* table, const char* column) {
  Stmt s = db.prepare("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2");
  s.bind(1, table).bind(2, column);
  s.step();
  return s.get_int(0) == 1;
}

TEST(Schema, FreshDatabaseGetsCurrentVersionStrictTablesViewsAndMeta) {
  test::TempDb tmp;
  Db db(tmp.path());
  EXPECT_EQ(schema_version(db), 0);
  schema_migrate(db);
  EXPECT_EQ(schema_version(db), kSchemaVersion);
  EXPECT_EQ(meta(db, "schema_version"), std::to_string(kSchemaVersion));
  EXPECT_NE(meta(db, "created_at"), "<missing>");
  EXPECT_NE(meta(db, "created_by"), "<missing>");
  for (const char* t : {"meta", "runs", "params", "step_metrics", "evals", "eval_items"}) {
    Stmt s = db.prepare("SELECT strict FROM pragma_table_list WHERE name = ?1");
    s.bind(1, t);
    ASSERT_TRUE(s.step()) << t;
    EXPECT_EQ(s.get_int(0), 1) << t << " is not STRICT";
  }
  for (const char* v : {"final_metrics", "final_evals", "cell_final_accuracy", "cell_gain", "cell_gain_seeds"}) {
    Stmt s = db.prepare("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'view' AND name = ?1");
    s.bind(1, v);
    s.step();
    EXPECT_EQ(s.get_int(0), 1) << v;
  }
  // STRICT really rejects a wrong type (a non-strict table would store the text).
  db.exec("INSERT INTO runs (suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device, threads)"
          " VALUES ('s', 'c', 'm', 'r', 1, '', 'g', 't', 'cpu', 1)");
  EXPECT_THROW(db.exec("INSERT INTO step_metrics VALUES (1, 'k', 'three', 1.0)"), DbError);
  // Migrating again is a no-op.
  schema_migrate(db);
  EXPECT_EQ(schema_version(db), kSchemaVersion);
}

TEST(Schema, MigratesAVersion2DatabaseAndItsRunsAreReal) {
  test::TempDb tmp;
  {
    Db db(tmp.path());
    schema_migrate(db, 2);
    ASSERT_FALSE(has_column(db, "runs", "mutant"));
    db.exec("INSERT INTO runs (suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device, threads)"
            " VALUES ('quick', 'm/r', 'm', 'r', 1, '', 'g', 't', 'cpu', 1)");
  }
  Store st(tmp.path());
  Db conn = test::db_of(st);
  EXPECT_TRUE(has_column(conn, "runs", "mutant"));
  auto run = st.run_get(1);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->info.mutant, "");
  // A mutant run is found only when asked for; the real-runs filter ("") skips it.
  RunInfo info;
  info.suite = "quick";
  info.cell = "m/r";
  info.model = "m";
  info.reward = "r";
  info.seed = 1;
  info.mutant = "clip-off";
  int64_t id = st.run_begin(info);
  RunFilter real;
  real.cell = "m/r";
  real.mutant = "";
  EXPECT_EQ(st.runs_find(real).size(), 1u);
  RunFilter mut = real;
  mut.mutant = "clip-off";
  ASSERT_EQ(st.runs_find(mut).size(), 1u);
  EXPECT_EQ(st.runs_find(mut)[0].id, id);
  EXPECT_EQ(st.runs_find({}).size(), 2u);
}

TEST(Schema, MigratesAVersion1DatabaseKeepingItsRows) {
  test::TempDb tmp;
  {
    Db db(tmp.path());
    schema_migrate(db, 1);
    ASSERT_EQ(schema_version(db), 1);
    ASSERT_FALSE(has_column(db, "runs", "host"));
    ASSERT_FALSE(has_column(db, "eval_items", "has_code_strict"));
    // Rows as a version-1 trainer wrote them.
    db.exec(R"sql(
      INSERT INTO runs (suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device, threads)
        VALUES ('quick', 'm-gt', 'm', 'ground_truth', 3, 'steps = 2', 'abc', '1.13.1', 'cpu', 2);
      INSERT INTO step_metrics VALUES (1, 'reward_mean', 0, 0.25), (1, 'reward_mean', 1, 0.5);
      INSERT INTO evals VALUES (1, 0, 'synth', 'accuracy', 0.5), (1, 1, 'synth', 'accuracy', 0.75);
      INSERT INTO eval_items (run, step, dataset, problem_id, correct, has_code, extracted)
        VALUES (1, 1, 'synth', 'p1', 1, 0, '42'), (1, 1, 'synth', 'p2', 0, 1, NULL);
      UPDATE runs SET status = 'finished', ended_at = '2024-01-01T00:00:00.000Z' WHERE id = 1;
    )sql");
  }
  Store st(tmp.path());
  Db conn = test::db_of(st);
  EXPECT_EQ(schema_version(conn), kSchemaVersion);
  EXPECT_EQ(meta(conn, "schema_version"), std::to_string(kSchemaVersion));
  auto run = st.run_get(1);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, rlvr::RunStatus::finished);
  EXPECT_EQ(run->info.seed, 3);
  EXPECT_EQ(run->info.host, "");
  EXPECT_EQ(run->pid, std::nullopt);
  auto items = st.eval_items(1, 1, "synth");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].extracted, "42");
  EXPECT_EQ(items[0].has_code_strict, std::nullopt);  // not measured, not "false"
  EXPECT_EQ(items[1].boxed, std::nullopt);
  EXPECT_EQ(items[1].extracted, std::nullopt);
  ASSERT_EQ(st.metric_curve(1, "reward_mean").size(), 2u);
  // The views work on the migrated data.
  EXPECT_EQ(conn.query_int("SELECT CAST(round(gain * 100) AS INTEGER) FROM cell_gain WHERE run = 1"), 25);
}

TEST(Schema, MigratesAVersion3DatabaseToTheProbeTables) {
  test::TempDb tmp;
  {
    Db db(tmp.path());
    schema_migrate(db, 3);
    ASSERT_EQ(db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'probe_items'"), 0);
    db.exec(R"sql(
      INSERT INTO runs (suite, cell, model, reward, seed, config_toml, git_commit, libtorch_version, device, threads)
        VALUES ('quick', 'm/gt', 'm', 'ground_truth', 1, 'steps = 2', 'abc', '1.13.1', 'cpu', 2);
      INSERT INTO evals VALUES (1, 0, 'synth', 'accuracy', 0.5);
      UPDATE runs SET status = 'finished', ended_at = '2024-01-01T00:00:00.000Z' WHERE id = 1;
    )sql");
  }
  Store st(tmp.path());
  Db conn = test::db_of(st);
  EXPECT_EQ(schema_version(conn), kSchemaVersion);
  EXPECT_EQ(conn.query_int("SELECT COUNT(*) FROM probe_items"), 0);
  EXPECT_EQ(conn.query_int("SELECT COUNT(*) FROM probe_results"), 0);  // a run without a probe lists none
  EXPECT_EQ(st.eval_metrics(1, 0, "synth").at("accuracy"), 0.5);
}

TEST(Schema, FailedMigrationLeavesTheOldVersionUntouched) {
  test::TempDb tmp;
  {
    Db db(tmp.path());
    schema_migrate(db, 1);
    // A table where the migration wants a view: DROP VIEW fails, late in the migration.
    db.exec("DROP VIEW cell_gain; CREATE TABLE cell_gain (x INTEGER) STRICT;");
  }
  EXPECT_THROW(Store st(tmp.path()), DbError);
  Db db(tmp.path());
  EXPECT_EQ(schema_version(db), 1);
  EXPECT_EQ(meta(db, "schema_version"), "1");
  EXPECT_FALSE(has_column(db, "runs", "host"));  // migration 2's ALTERs were rolled back
}

TEST(Schema, NewerVersionIsInputErrorNamingTheFile) {
  test::TempDb tmp;
  {
    Db db(tmp.path());
    schema_migrate(db);
    db.exec("PRAGMA user_version = 999");
  }
  try {
    Store st(tmp.path());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_EQ(m.rfind(tmp.path() + ": schema version 999 is newer", 0), 0u) << m;
  }
}

TEST(Schema, OtherApplicationsDatabaseIsInputError) {
  test::TempDb tmp;
  {
    Db db(tmp.path("other.db"));
    db.exec("CREATE TABLE contacts (name TEXT)");
  }
  EXPECT_THROW(Store st(tmp.path("other.db")), InputError);
  {
    Db db(tmp.path("nometa.db"));
    db.exec("CREATE TABLE contacts (name TEXT); PRAGMA user_version = 1;");
  }
  EXPECT_THROW(Store st(tmp.path("nometa.db")), InputError);
  // Nothing was added to them.
  Db db(tmp.path("other.db"));
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM sqlite_schema"), 1);
}

}  // namespace
}  // namespace rlvr
