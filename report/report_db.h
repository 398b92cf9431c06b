// report_db.h: opening the results database for reading (report, query).
//
// Readers never create a database: a missing file is bad input. The file is first opened through
// Store, which rejects a foreign SQLite file, a non-database file and a schema newer than this
// build (exit 2, naming the file), and migrates an older rlvrbench schema forward, as every
// rlvrbench command does. Queries then run on a second connection opened DbOpen::read_only
// (results/db.h), so `query --sql` cannot change the file whatever it is given.
#pragma once
#include <memory>
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
  explicit ReadOnlyDb(const std::string& path);

  // Runs ONE read-only statement with positional parameters (?1, ?2, ...). A syntax error, a
  // statement that writes, or more than one statement -> InputError naming `where` (for --sql the
  // SQL is the user's input). Column types follow each value's SQLite storage class.
  Table query(const std::string& sql, const std::vector<Value>& params = {}, const std::string& where = "query");

 private:
  Db db_;
};

}  // namespace rlvr::report
