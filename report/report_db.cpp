#include "report/report_db.h"

#include <cctype>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <variant>

#include "util/error.h"

namespace rlvr::report {

std::unique_ptr<Store> store_open_existing(const std::string& path) {
  std::error_code ec;
  if (path.empty()) throw_input("--db", "empty database path");
  if (!std::filesystem::exists(path, ec)) throw_input(path, "no such database file");
  if (std::filesystem::is_directory(path, ec)) throw_input(path, "is a directory, expected a database file");
  return std::make_unique<Store>(path, StoreOpen::read);
}

void require_runs(Store& st, const std::string& what) {
  if (st.run_count() == 0)
    throw_input(st.path(), "no runs in this database (nothing to " + what + ")");
}

ReadOnlyDb::ReadOnlyDb(const std::string& path) : own_(std::in_place, path, DbOpen::read_only) {}

ReadOnlyDb::ReadOnlyDb(Store& st) : store_(&st) {
  if (!st.read_only()) throw std::logic_error("ReadOnlyDb over a store opened for writing: " + st.path());
}

Table ReadOnlyDb::query(const std::string& sql, const std::vector<Value>& params, const std::string& where) {
  // The SQL is the user's input (--sql): what SQLite rejects is bad input naming `where`. A file
  // that is not a database still fails as the file (Db::fail).
  std::optional<Stmt> st;
  try {
    st.emplace(own_ ? own_->prepare(sql) : store_->prepare_read(sql));
  } catch (const DbError& e) {
    throw_input(where, "SQL error: " + e.sqlite_message());
  }
  if (st->empty()) throw_input(where, "empty SQL statement");
  for (char c : st->trailing_sql())
    if (!std::isspace(static_cast<unsigned char>(c)) && c != ';')
      throw_input(where, "one SQL statement only (found more after the first)");
  if (!st->read_only()) throw_input(where, "only read-only statements (SELECT, WITH, EXPLAIN) are allowed");
  for (size_t i = 0; i < params.size(); ++i) {
    const int idx = static_cast<int>(i + 1);
    std::visit([&](const auto& v) {
      if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) st->bind(idx, nullptr);
      else st->bind(idx, v);
    }, params[i]);
  }
  Table t;
  const int ncol = st->column_count();
  for (int c = 0; c < ncol; ++c) t.columns.push_back(st->column_name(c));
  try {
    while (st->step()) {
      std::vector<Value> row;
      for (int c = 0; c < ncol; ++c) {
        switch (st->column_type(c)) {
          case ColumnType::null: row.emplace_back(std::monostate{}); break;
          case ColumnType::integer: row.emplace_back(st->get_int(c)); break;
          case ColumnType::real: row.emplace_back(st->get_double(c)); break;
          case ColumnType::text: row.emplace_back(st->get_text(c)); break;
        }
      }
      t.rows.push_back(std::move(row));
    }
  } catch (const DbError& e) {
    throw_input(where, "SQL error: " + e.sqlite_message());
  }
  return t;
}

}  // namespace rlvr::report
