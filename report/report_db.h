// report_db.h: opening the results database for reading (report, query).
//
// Readers never create or change a database: a missing file is bad input. The file is opened
// through Store in StoreOpen::read mode, which rejects a foreign SQLite file, a non-database file and
// a schema newer than this build (exit 2, naming the file) and reads an older rlvrbench schema
// through the migrations in a memory copy, leaving the file byte-identical. Queries run on that
// store's read-only connection (PRAGMA query_only), so `query --sql` cannot change the file
// whatever it is given.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "report/query_table.h"
#include "results/store.h"

namespace rlvr::report {

// Store on an existing database file; InputError "PATH: no such database file" when missing.
std::unique_ptr<Store> store_open_existing(const std::string& path);

// InputError "PATH: no runs in this database (nothing to ...)" when the runs table is empty.
void require_runs(Store& st, const std::string& what);

class ReadOnlyDb {
 public:
  explicit ReadOnlyDb(const std::string& path);  // its own read-only connection to a current file
  explicit ReadOnlyDb(Store& st);                // the connection of a store opened StoreOpen::read

  // Runs ONE read-only statement with positional parameters (?1, ?2, ...). A syntax error, a
  // statement that writes, or more than one statement -> InputError naming `where` (for --sql the
  // SQL is the user's input). Column types follow each value's SQLite storage class.
  Table query(const std::string& sql, const std::vector<Value>& params = {}, const std::string& where = "query");

 private:
  std::optional<Db> own_;     // a connection of its own, or
  Store* store_ = nullptr;    // the read store's
};

}  // namespace rlvr::report
