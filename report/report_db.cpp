#include "report/report_db.h"

#include <sqlite3.h>

#include <cctype>
#include <filesystem>

#include "util/error.h"

namespace rlvr::report {

std::unique_ptr<Store> store_open_existing(const std::string& path) {
  std::error_code ec;
  if (path.empty()) throw_input("--db", "empty database path");
  if (!std::filesystem::exists(path, ec)) throw_input(path, "no such database file");
  if (std::filesystem::is_directory(path, ec)) throw_input(path, "is a directory, expected a database file");
  return std::make_unique<Store>(path);
}

void require_runs(Store& st, const std::string& what) {
  if (st.db().query_int("SELECT COUNT(*) FROM runs") == 0)
    throw_input(st.path(), "no runs in this database (nothing to " + what + ")");
}

ReadOnlyDb::ReadOnlyDb(const std::string& path) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw_input(path, "cannot open read-only (" + msg + ")");
  }
  sqlite3_busy_timeout(db_, kDbBusyTimeoutMs);
  sqlite3_exec(db_, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
}

ReadOnlyDb::~ReadOnlyDb() {
  if (db_) sqlite3_close_v2(db_);
}

Table ReadOnlyDb::query(const std::string& sql, const std::vector<Value>& params, const std::string& where) {
  sqlite3_stmt* st = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &st, &tail);
  // Finalizes on every exit path, including the throws below.
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
  if (rc != SQLITE_OK) throw_input(where, std::string("SQL error: ") + sqlite3_errmsg(db_));
  if (!st) throw_input(where, "empty SQL statement");
  for (const char* p = tail; p && *p; ++p)
    if (!std::isspace(static_cast<unsigned char>(*p)) && *p != ';')
      throw_input(where, "one SQL statement only (found more after the first)");
  if (!sqlite3_stmt_readonly(st)) throw_input(where, "only read-only statements (SELECT, WITH, EXPLAIN) are allowed");
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const Value& v = params[i];
    if (auto* n = std::get_if<int64_t>(&v)) sqlite3_bind_int64(st, idx, *n);
    else if (auto* d = std::get_if<double>(&v)) sqlite3_bind_double(st, idx, *d);
    else if (auto* s = std::get_if<std::string>(&v)) sqlite3_bind_text(st, idx, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
    else sqlite3_bind_null(st, idx);
  }
  Table t;
  int ncol = sqlite3_column_count(st);
  for (int c = 0; c < ncol; ++c) t.columns.emplace_back(sqlite3_column_name(st, c));
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::vector<Value> row;
    for (int c = 0; c < ncol; ++c) {
      switch (sqlite3_column_type(st, c)) {
        case SQLITE_NULL: row.emplace_back(std::monostate{}); break;
        case SQLITE_INTEGER: row.emplace_back(static_cast<int64_t>(sqlite3_column_int64(st, c))); break;
        case SQLITE_FLOAT: row.emplace_back(sqlite3_column_double(st, c)); break;
        default: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
          row.emplace_back(std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, c))));
        }
      }
    }
    t.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    int primary = rc & 0xff;
    std::string msg = sqlite3_errmsg(db_);
    if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) throw_input(path_, msg);
    throw_input(where, "SQL error: " + msg);
  }
  return t;
}

}  // namespace rlvr::report
