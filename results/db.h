// db.h: RAII over the sqlite3 C API (in the spirit of SQLiteCpp, without the dependency).
//
//   Db db("results/rlvrbench.db");            // WAL, busy_timeout 30 s, foreign keys, synchronous NORMAL
//   Db ro(path, DbOpen::read_only);            // readers (report, query): can never change the file
//   Txn txn(db);                               // BEGIN IMMEDIATE: takes the write lock up front
//   Stmt ins = db.prepare("INSERT INTO t (a, b) VALUES (?1, :b)");
//   ins.bind(1, int64_t{7}).bind(":b", "x").run();
//   txn.commit();                              // without it the destructor rolls back
//
// Errors: a file that is not a database (or cannot be opened) is bad input -> InputError naming the
// file; any other SQLite failure is an environment/bug failure -> DbError naming the file, the
// operation and the SQL. Objects are move-only; one Db per thread.
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace rlvr {

class DbError : public std::runtime_error {
 public:
  DbError(const std::string& msg, int code, std::string sqlite_message)
      : std::runtime_error(msg), code_(code), sqlite_message_(std::move(sqlite_message)) {}
  int code() const { return code_; }  // extended SQLite result code
  const std::string& sqlite_message() const { return sqlite_message_; }  // sqlite3_errmsg alone

 private:
  int code_;
  std::string sqlite_message_;
};

// read_write creates a missing file and switches it to WAL; read_only opens an existing file with
// SQLITE_OPEN_READONLY plus PRAGMA query_only, so no statement can change it (a file or folder the
// user cannot write is opened immutable: nothing else can be writing it); memory is a private
// in-memory database (the path only names it in messages), for reading an older schema through the
// migrations without touching its file.
enum class DbOpen : uint8_t { read_write, read_only, memory };

// What a column of the current row holds (its SQLite storage class; blobs read as text).
enum class ColumnType : uint8_t { null, integer, real, text };

// How long a writer waits for another process's write lock before failing. Cells of a suite run
// concurrently (ctest -j) and each commit holds the lock for milliseconds; 30 s only trips on a
// genuinely stuck writer.
inline constexpr int kDbBusyTimeoutMs = 30000;

class Stmt;

class Db {
 public:
  // Opens (read_write: creating the file if missing) and configures the connection.
  explicit Db(std::string path, DbOpen mode = DbOpen::read_write);
  ~Db();
  Db(Db&& o) noexcept;
  Db& operator=(Db&& o) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements without results (DDL, PRAGMAs).
  void exec(std::string_view sql);
  Stmt prepare(std::string_view sql);
  // Convenience: first column of the first row as an integer (PRAGMA user_version, COUNT(*)).
  int64_t query_int(std::string_view sql);

  int64_t last_insert_id() const;
  int64_t changes() const;  // rows changed by the last INSERT/UPDATE/DELETE
  const std::string& path() const { return path_; }
  sqlite3* handle() const { return db_; }

  // Throws InputError (bad file) or DbError for result code `rc` of operation `op` on `sql`.
  [[noreturn]] void fail(std::string_view op, int rc, std::string_view sql = {}) const;

 private:
  void close() noexcept;
  std::string path_;
  sqlite3* db_ = nullptr;
};

// Copies every page of `from` into `to` (SQLite's online backup), e.g. a read-only file into a
// memory database that can then be migrated. DbError/InputError naming `from` on failure.
void db_copy(Db& from, Db& to);

class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  ~Stmt();
  Stmt(Stmt&& o) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Parameters are 1-based (?1) or named (":name", "@name", "$name").
  Stmt& bind(int idx, int64_t v);
  Stmt& bind(int idx, int v) { return bind(idx, int64_t{v}); }
  Stmt& bind(int idx, bool v) { return bind(idx, int64_t{v ? 1 : 0}); }
  Stmt& bind(int idx, double v);
  Stmt& bind(int idx, std::string_view v);  // copied by SQLite (SQLITE_TRANSIENT)
  Stmt& bind(int idx, const char* v) { return bind(idx, std::string_view(v)); }
  Stmt& bind(int idx, const std::string& v) { return bind(idx, std::string_view(v)); }
  Stmt& bind(int idx, std::nullptr_t);
  template <class T>
  Stmt& bind(int idx, const std::optional<T>& v) {
    return v ? bind(idx, *v) : bind(idx, nullptr);
  }
  template <class T>
  Stmt& bind(const char* name, const T& v) {
    return bind(index(name), v);
  }

  // One step: true when a row is available, false when done.
  bool step();
  // Steps to completion (statements without rows); returns rows changed.
  int64_t run();
  // Ready for another execution with new bindings (bindings are kept until rebound).
  void reset();

  int column_count() const;
  std::string column_name(int col) const;
  bool is_null(int col) const;
  int64_t get_int(int col) const;
  double get_double(int col) const;
  std::string get_text(int col) const;  // NULL -> ""
  std::optional<int64_t> get_opt_int(int col) const;
  std::optional<double> get_opt_double(int col) const;
  std::optional<std::string> get_opt_text(int col) const;

  ColumnType column_type(int col) const;

  const std::string& sql() const { return sql_; }
  bool empty() const { return st_ == nullptr; }  // the SQL held no statement (only blanks or comments)
  bool read_only() const;                         // the statement cannot write (SELECT, WITH, EXPLAIN)
  const std::string& trailing_sql() const { return tail_; }  // text after the first statement

 private:
  int index(const char* name) const;
  void check_bind(int rc, int idx);
  Db* db_;
  sqlite3_stmt* st_ = nullptr;
  std::string sql_;
  std::string tail_;
};

// A write transaction. BEGIN IMMEDIATE takes the write lock at the start, so a concurrent writer
// waits in the busy handler instead of failing with SQLITE_BUSY on a read->write upgrade (which
// SQLite cannot retry without risking deadlock). Rolls back in the destructor unless committed,
// so an exception anywhere in between leaves nothing written. Inside another Txn on the same
// connection it is a SAVEPOINT: its commit only releases it, and the outer one decides (so several
// Store writes can form one all-or-nothing unit: `rlvrbench ingest`).
class Txn {
 public:
  explicit Txn(Db& db);
  ~Txn();
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;
  void commit();

 private:
  Db& db_;
  bool nested_ = false;
  bool done_ = false;
};

}  // namespace rlvr
