#include "results/db.h"

#include <sqlite3.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include "util/error.h"

namespace rlvr {

namespace {

constexpr int kWalRetryMs = 5;  // poll interval while another process holds the lock at open

std::string parent_dir(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// A file path as the path part of an SQLite URI ('?', '#' and '%' escaped; a relative path stays
// relative to the working folder).
std::string uri_path(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Keeps error messages one line and readable when the SQL is a long multi-line DDL block.
std::string sql_excerpt(std::string_view sql) {
  constexpr size_t kMax = 120;
  std::string s;
  bool space = false;
  for (char c : sql) {
    bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (ws) {
      space = !s.empty();
      continue;
    }
    if (space) s.push_back(' ');
    space = false;
    s.push_back(c);
    if (s.size() >= kMax) {
      s += "...";
      break;
    }
  }
  return s;
}

}  // namespace

// ---- Db ----

namespace {

// A read-only connection to a WAL database still needs its -shm file, which SQLite creates beside it:
// a file or folder marked read-only (a CI artifact, a copy made read-only) is opened immutable
// instead. The mode bits decide, not access(2), so the answer is the same for root.
bool marked_read_only(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && (st.st_mode & 0222) == 0;
}
bool needs_immutable(const std::string& path) { return marked_read_only(path) || marked_read_only(parent_dir(path)); }

}  // namespace

Db::Db(std::string path, DbOpen mode) : path_(std::move(path)) {
  const bool ro = mode == DbOpen::read_only;
  const bool mem = mode == DbOpen::memory;
  int rc;
  if (mem) {
    rc = sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  } else if (ro && needs_immutable(path_)) {
    char* uri = sqlite3_mprintf("file:%s?immutable=1", uri_path(path_).c_str());
    rc = sqlite3_open_v2(uri, &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    sqlite3_free(uri);
  } else {
    rc = sqlite3_open_v2(path_.c_str(), &db_, ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  }
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 may hand back a handle even on failure; the message lives in it.
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    close();
    throw_input(path_, std::string(ro ? "cannot open read-only (" : "cannot open database (") + msg + ")");
  }
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kDbBusyTimeoutMs);
  if (ro) {
    // A reader leaves the journal mode alone (a writer set WAL) and refuses to write at all. Reading
    // the schema once finds a file whose header or schema SQLite cannot use: bad input, as below.
    sqlite3_exec(db_, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
    const int probe = sqlite3_exec(db_, "SELECT COUNT(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
    if (probe != SQLITE_OK) {
      std::string msg = sqlite3_errmsg(db_);
      close();
      throw_input(path_, "not a database this build can open (" + msg + ")");
    }
    return;
  }
  if (mem) {
    exec("PRAGMA foreign_keys = ON");
    return;
  }
  try {
    // The first statement reads the header: a file that is not a database fails here (NOTADB).
    // WAL lets readers (report, compare) run beside writers; NORMAL sync in WAL mode never corrupts
    // the file and can only lose the last commits on power loss, which a rerun regenerates.
    // Switching a fresh file to WAL needs an exclusive lock and SQLite answers SQLITE_BUSY at once,
    // without the busy handler, when another process holds any lock (several cells creating the
    // same database together): retry for as long as the busy timeout would have waited.
    std::string mode;
    for (int waited_ms = 0;; waited_ms += kWalRetryMs) {
      try {
        Stmt wal(*this, "PRAGMA journal_mode = WAL");
        if (wal.step()) mode = wal.get_text(0);
        break;
      } catch (const DbError& e) {
        if ((e.code() & 0xff) != SQLITE_BUSY || waited_ms >= kDbBusyTimeoutMs) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(kWalRetryMs));
      }
    }
    if (mode != "wal") throw_input(path_, "cannot switch to WAL journal mode (a read-only or network file system?)");
    exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
  } catch (const DbError& e) {
    close();
    // Before anything is read, an SQL error can only come from the file's header or schema (a
    // hostile file: "unsupported file format", "malformed database schema"): bad input.
    if ((e.code() & 0xff) == SQLITE_ERROR) throw_input(path_, "not a database this build can open (" + e.sqlite_message() + ")");
    throw;
  } catch (...) {
    close();
    throw;
  }
}

Db::~Db() { close(); }

Db::Db(Db&& o) noexcept : path_(std::move(o.path_)), db_(std::exchange(o.db_, nullptr)) {}

Db& Db::operator=(Db&& o) noexcept {
  if (this != &o) {
    close();
    path_ = std::move(o.path_);
    db_ = std::exchange(o.db_, nullptr);
  }
  return *this;
}

void Db::close() noexcept {
  // sqlite3_close_v2 defers the close until every statement is finalized, so a Stmt outliving its
  // Db by mistake cannot turn into a use-after-free inside SQLite.
  if (db_) sqlite3_close_v2(db_);
  db_ = nullptr;
}

void Db::fail(std::string_view op, int rc, std::string_view sql) const {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  std::string what = std::string(op);
  if (!sql.empty()) what += " `" + sql_excerpt(sql) + "`";
  what += ": " + msg + " (sqlite code " + std::to_string(rc) + ")";
  int primary = rc & 0xff;
  // A damaged or foreign file is bad input (exit 2), not an internal error.
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT || primary == SQLITE_CANTOPEN)
    throw_input(path_, what);
  // A full disk or an I/O error: the transaction rolled back, the file is consistent (exit 1).
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR) throw_io(path_, what);
  throw DbError(one_line(path_, what), rc, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
}

void Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // the same text is still available from sqlite3_errmsg
  if (rc != SQLITE_OK) fail("exec", rc, sql);
}

Stmt Db::prepare(std::string_view sql) { return Stmt(*this, sql); }

void db_copy(Db& from, Db& to) {
  sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
  if (!b) to.fail("backup", sqlite3_errcode(to.handle()));
  const int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) from.fail("backup", rc);
}

int64_t Db::query_int(std::string_view sql) {
  Stmt st(*this, sql);
  if (!st.step()) fail("query (no row)", SQLITE_ERROR, sql);
  return st.get_int(0);
}

int64_t Db::last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
int64_t Db::changes() const { return sqlite3_changes64(db_); }

// ---- Stmt ----

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db), sql_(sql) {
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db.handle(), sql_.data(), static_cast<int>(sql_.size()), &st_, &tail);
  if (tail) tail_.assign(tail, static_cast<size_t>(sql_.data() + sql_.size() - tail));
  if (rc != SQLITE_OK) {
    sqlite3_finalize(st_);
    st_ = nullptr;
    db.fail("prepare", rc, sql_);
  }
}

Stmt::~Stmt() {
  if (st_) sqlite3_finalize(st_);
}

Stmt::Stmt(Stmt&& o) noexcept
    : db_(o.db_), st_(std::exchange(o.st_, nullptr)), sql_(std::move(o.sql_)), tail_(std::move(o.tail_)) {}

bool Stmt::read_only() const { return st_ == nullptr || sqlite3_stmt_readonly(st_) != 0; }

ColumnType Stmt::column_type(int col) const {
  switch (sqlite3_column_type(st_, col)) {
    case SQLITE_NULL: return ColumnType::null;
    case SQLITE_INTEGER: return ColumnType::integer;
    case SQLITE_FLOAT: return ColumnType::real;
    default: return ColumnType::text;
  }
}

void Stmt::check_bind(int rc, int idx) {
  if (rc != SQLITE_OK) db_->fail("bind parameter " + std::to_string(idx), rc, sql_);
}

int Stmt::index(const char* name) const {
  int i = sqlite3_bind_parameter_index(st_, name);
  if (i == 0) db_->fail(std::string("bind: no parameter named ") + name, SQLITE_RANGE, sql_);
  return i;
}

Stmt& Stmt::bind(int idx, int64_t v) {
  check_bind(sqlite3_bind_int64(st_, idx, v), idx);
  return *this;
}

Stmt& Stmt::bind(int idx, double v) {
  check_bind(sqlite3_bind_double(st_, idx, v), idx);
  return *this;
}

Stmt& Stmt::bind(int idx, std::string_view v) {
  check_bind(sqlite3_bind_text64(st_, idx, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), idx);
  return *this;
}

Stmt& Stmt::bind(int idx, std::nullptr_t) {
  check_bind(sqlite3_bind_null(st_, idx), idx);
  return *this;
}

bool Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Leave the statement reusable after a failure (e.g. a constraint error inside a Txn).
  sqlite3_reset(st_);
  db_->fail("step", rc, sql_);
}

int64_t Stmt::run() {
  while (step()) {
  }
  return db_->changes();
}

void Stmt::reset() { sqlite3_reset(st_); }

int Stmt::column_count() const { return sqlite3_column_count(st_); }
std::string Stmt::column_name(int col) const { return sqlite3_column_name(st_, col); }
bool Stmt::is_null(int col) const { return sqlite3_column_type(st_, col) == SQLITE_NULL; }
int64_t Stmt::get_int(int col) const { return sqlite3_column_int64(st_, col); }
double Stmt::get_double(int col) const { return sqlite3_column_double(st_, col); }

std::string Stmt::get_text(int col) const {
  const unsigned char* p = sqlite3_column_text(st_, col);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, col)));
}

std::optional<int64_t> Stmt::get_opt_int(int col) const {
  if (is_null(col)) return std::nullopt;
  return get_int(col);
}

std::optional<double> Stmt::get_opt_double(int col) const {
  if (is_null(col)) return std::nullopt;
  return get_double(col);
}

std::optional<std::string> Stmt::get_opt_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return get_text(col);
}

// ---- Txn ----

Txn::Txn(Db& db) : db_(db), nested_(sqlite3_get_autocommit(db.handle()) == 0) {
  db_.exec(nested_ ? "SAVEPOINT rlvr_txn" : "BEGIN IMMEDIATE");
}

Txn::~Txn() {
  if (done_) return;
  // Never throws from a destructor: if ROLLBACK itself fails (connection broken), SQLite rolls the
  // transaction back when the connection closes or the process dies; the WAL never exposes it.
  if (nested_) {
    sqlite3_exec(db_.handle(), "ROLLBACK TO rlvr_txn; RELEASE rlvr_txn", nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Txn::commit() {
  db_.exec(nested_ ? "RELEASE rlvr_txn" : "COMMIT");
  done_ = true;
}

}  // namespace rlvr
