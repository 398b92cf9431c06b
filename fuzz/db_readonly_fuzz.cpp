// db_readonly_fuzz: a hostile SQLite file given to the readers (`rlvrbench report` and `query`):
// opened as report/query open it (report/report_db.cpp: Store checks the application id and schema
// version, then a read-only connection), the report's data loaded, every named query run. A
// damaged, foreign or newer file must be InputError naming the file, never a crash.
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz/fuzz_util.h"
#include "report/query_named.h"
#include "report/report_data.h"
#include "report/report_db.h"

using namespace rlvr;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = fuzz::fuzz_temp_file(fuzz::fuzz_text(data, size), "results.db");
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  std::remove((path + "-journal").c_str());
  fuzz::fuzz_expect_input_error([&] {
    auto st = report::store_open_existing(path);
    report::report_data_load(*st);
  });
  fuzz::fuzz_expect_input_error([&] {
    report::ReadOnlyDb db(path);
    for (const report::NamedQuery& q : report::named_queries()) {
      report::QueryArgs args;
      args.cell = "c";
      fuzz::fuzz_expect_input_error([&] { report::query_named(db, q.name, args); });
    }
  });
  return 0;
}
