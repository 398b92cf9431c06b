#include "results/db.h"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "results/test_util.h"
#include "util/error.h"

namespace rlvr {
namespace {

TEST(Db, ConfiguresWalBusyTimeoutForeignKeysAndNormalSync) {
  test::TempDb tmp;
  Db db(tmp.path());
  Stmt jm = db.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(jm.step());
  EXPECT_EQ(jm.get_text(0), "wal");
  EXPECT_EQ(db.query_int("PRAGMA busy_timeout"), kDbBusyTimeoutMs);
  EXPECT_EQ(db.query_int("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(db.query_int("PRAGMA synchronous"), 1);  // NORMAL
}

TEST(Db, BindsByIndexAndNameAndReadsColumnsBack) {
  test::TempDb tmp;
  Db db(tmp.path());
  db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT) STRICT");
  Stmt ins = db.prepare("INSERT INTO t VALUES (?1, :d, @s, ?4)");
  ins.bind(1, int64_t{1} << 40).bind(":d", 0.25).bind("@s", std::string("héllo\nworld")).bind(4, nullptr);
  EXPECT_EQ(ins.run(), 1);
  ins.reset();
  ins.bind(1, 7).bind(":d", -1.5).bind("@s", "x").bind(4, std::optional<std::string>("y"));
  EXPECT_EQ(ins.run(), 1);

  Stmt sel = db.prepare("SELECT i, d, s, n FROM t ORDER BY i DESC");
  ASSERT_EQ(sel.column_count(), 4);
  EXPECT_EQ(sel.column_name(2), "s");
  ASSERT_TRUE(sel.step());
  EXPECT_EQ(sel.get_int(0), int64_t{1} << 40);
  EXPECT_EQ(sel.get_double(1), 0.25);
  EXPECT_EQ(sel.get_text(2), "héllo\nworld");
  EXPECT_TRUE(sel.is_null(3));
  EXPECT_EQ(sel.get_opt_text(3), std::nullopt);
  ASSERT_TRUE(sel.step());
  EXPECT_EQ(sel.get_opt_int(0), 7);
  EXPECT_EQ(sel.get_opt_text(3), "y");
  EXPECT_FALSE(sel.step());
}

TEST(Db, UnknownParameterNameIsAnErrorNamingTheSql) {
  test::TempDb tmp;
  Db db(tmp.path());
  Stmt s = db.prepare("SELECT :a");
  try {
    s.bind(":b", 1);
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find(":b"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SELECT :a"), std::string::npos) << e.what();
  }
}

TEST(Db, ErrorsNameTheFileTheOperationAndTheSql) {
  test::TempDb tmp;
  Db db(tmp.path());
  try {
    db.prepare("SELECT * FROM no_such_table");
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    std::string m = e.what();
    EXPECT_EQ(m.rfind(tmp.path() + ": prepare `SELECT * FROM no_such_table`: no such table", 0), 0u) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos);
  }
  db.exec("CREATE TABLE u (k INTEGER PRIMARY KEY) STRICT; INSERT INTO u VALUES (1);");
  try {
    db.prepare("INSERT INTO u VALUES (1)").run();
    FAIL() << "expected DbError";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("step `INSERT INTO u VALUES (1)`: UNIQUE constraint failed"), std::string::npos)
        << e.what();
  }
}

TEST(Db, TxnRollsBackWhenLeftByAnException) {
  test::TempDb tmp;
  Db db(tmp.path());
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY) STRICT");
  try {
    Txn txn(db);
    db.prepare("INSERT INTO t VALUES (1)").run();
    db.prepare("INSERT INTO t VALUES (2)").run();
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM t"), 0);
  {
    Txn txn(db);
    db.prepare("INSERT INTO t VALUES (3)").run();
    txn.commit();
  }
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM t"), 1);
  // The connection is usable after a rollback (no transaction left open).
  { Txn txn(db); }
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM t"), 1);
}

// A Txn inside a Txn is a savepoint: its commit keeps its writes only if the outer one commits,
// and its rollback undoes only its own (rlvrbench ingest stores a whole run file this way).
TEST(Db, NestedTxnIsASavepointTheOuterOneDecides) {
  test::TempDb tmp;
  Db db(tmp.path());
  db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY) STRICT");
  {
    Txn outer(db);
    {
      Txn inner(db);
      db.prepare("INSERT INTO t VALUES (1)").run();
      inner.commit();
    }
    try {
      Txn inner(db);
      db.prepare("INSERT INTO t VALUES (2)").run();
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM t"), 1);  // the failed inner one is undone alone
  }  // the outer one is not committed: everything goes
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM t"), 0);
  {
    Txn outer(db);
    {
      Txn inner(db);
      db.prepare("INSERT INTO t VALUES (3)").run();
      inner.commit();
    }
    outer.commit();
  }
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM t"), 1);
}

TEST(Db, TextFileNamedDbIsInputErrorNamingTheFile) {
  test::TempDb tmp;
  std::string p = tmp.path("notes.db");
  std::ofstream(p) << "these are my notes, not a database\nline two\n";
  try {
    Db db(p);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    std::string m = e.what();
    EXPECT_EQ(m.rfind(p + ": ", 0), 0u) << m;
    EXPECT_NE(m.find("not a database"), std::string::npos) << m;
  }
}

TEST(Db, DirectoryIsInputError) {
  test::TempDb tmp;
  EXPECT_THROW(Db db(tmp.dir().string()), InputError);
}

}  // namespace
}  // namespace rlvr
