#include "results/db_merge.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <map>
#include <optional>
#include <variant>

#include "results/db.h"
#include "results/schema.h"
#include "results/store.h"
#include "util/error.h"

namespace rlvr {

namespace {

// The tables that hang off a run, in the order they are copied. New child tables go here.
constexpr const char* kChildTables[] = {"params", "step_metrics", "evals", "eval_items", "probe_items"};
// What makes two rows of `runs` the same execution (everything else must then agree too).
constexpr const char* kRunIdentity[] = {"suite", "cell", "seed", "mutant", "host", "pid", "started_at"};
// Columns a run is first inserted without (it must be 'running' while its rows go in: the
// triggers refuse rows for an ended run); set afterwards.
constexpr const char* kRunEnd[] = {"status", "fail_step", "fail_reason", "ended_at"};

using Value = std::variant<std::monostate, int64_t, double, std::string>;
using Row = std::vector<Value>;

Value value_of(const Stmt& s, int col) {
  switch (s.column_type(col)) {
    case ColumnType::null: return std::monostate{};
    case ColumnType::integer: return s.get_int(col);
    case ColumnType::real: return s.get_double(col);
    case ColumnType::text: return s.get_text(col);
  }
  return std::monostate{};
}

void bind_value(Stmt& s, int idx, const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) s.bind(idx, nullptr);
  else if (const auto* i = std::get_if<int64_t>(&v)) s.bind(idx, *i);
  else if (const auto* d = std::get_if<double>(&v)) s.bind(idx, *d);
  else s.bind(idx, std::get<std::string>(v));
}

std::vector<std::string> columns(Db& db, const std::string& table) {
  std::vector<std::string> out;
  Stmt s = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
  s.bind(1, table);
  while (s.step()) out.push_back(s.get_text(0));
  return out;
}

std::string join(const std::vector<std::string>& xs, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < xs.size(); ++i) out += (i ? sep : "") + xs[i];
  return out;
}

// Every row of `table` for run `run`, columns `cols` (without `run`), in primary-key order.
std::vector<Row> child_rows(Db& db, const std::string& table, const std::vector<std::string>& cols, int64_t run) {
  Stmt s = db.prepare("SELECT " + join(cols, ", ") + " FROM " + table + " WHERE run = ?1 ORDER BY " + join(cols, ", "));
  s.bind(1, run);
  std::vector<Row> rows;
  while (s.step()) {
    Row r;
    for (int c = 0; c < static_cast<int>(cols.size()); ++c) r.push_back(value_of(s, c));
    rows.push_back(std::move(r));
  }
  return rows;
}

struct Layout {
  std::vector<std::string> run_cols;  // every column of runs but id
  std::map<std::string, std::vector<std::string>> child_cols;  // every column but run
};

Layout layout_of(Db& db) {
  Layout l;
  for (const std::string& c : columns(db, "runs"))
    if (c != "id") l.run_cols.push_back(c);
  for (const char* t : kChildTables)
    for (const std::string& c : columns(db, t))
      if (c != "run") l.child_cols[t].push_back(c);
  return l;
}

int col_index(const std::vector<std::string>& cols, const std::string& name) {
  for (size_t i = 0; i < cols.size(); ++i)
    if (cols[i] == name) return static_cast<int>(i);
  throw std::logic_error("db_merge: runs has no column " + name);
}

std::string value_text(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return std::get<std::string>(v);
}

// An input, opened read-only, checked to be an rlvrbench database of this build's schema.
Db input_open(const std::string& path, std::optional<std::pair<std::string, int64_t>>& first_version) {
  if (!std::filesystem::is_regular_file(path)) throw_input(path, "no such database file");
  Db db(path, DbOpen::read_only);
  const int64_t v = schema_version(db);
  if (v <= 0 || db.query_int("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'") == 0)
    throw_input(path, "not an rlvrbench results database (no schema version)");
  if (first_version && first_version->second != v)
    throw_input(first_version->first + " and " + path,
                "schema versions differ (" + std::to_string(first_version->second) + " and " + std::to_string(v) +
                    "): open each once with this build (`rlvrbench suite setup SUITE --db FILE`) to migrate it first");
  if (!first_version) first_version = std::make_pair(path, v);
  if (v != kSchemaVersion)
    throw_input(path, "schema version " + std::to_string(v) + ", this build writes " + std::to_string(kSchemaVersion) +
                          ": migrate it first (`rlvrbench suite setup SUITE --db " + path + "`)");
  return db;
}

}  // namespace

namespace {

// Removes a temporary database (and its journal files) unless kept.
struct TmpGuard {
  std::string path;
  bool keep = false;
  ~TmpGuard() {
    if (keep) return;
    std::error_code ec;
    for (const char* suf : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suf, ec);
  }
};

using RunKey = std::vector<std::string>;  // a run's identity columns as text (kRunIdentity)

// Merges runs into the temporary output `dst` inside one transaction: runs new to it are copied
// with their child rows, runs it has already must be recorded identically.
class Merger {
 public:
  Merger(Db& dst, const std::string& out) : dst_(dst), lay_(layout_of(dst)) {
    for (const char* c : kRunIdentity) ident_idx_.push_back(col_index(lay_.run_cols, c));
    for (auto& [id, r] : run_rows(dst_)) {
      origin_[identity(r)] = out;
      have_[identity(r)] = {id, r};
    }
    for (const std::string& c : lay_.run_cols) {
      bool end = false;
      for (const char* e : kRunEnd) end = end || c == e;
      if (!end) begin_cols_.push_back(c);
    }
  }

  // Every input's runs in the order they started (then file, then id), so the merged file numbers
  // them as one database that had recorded them all would.
  void merge(std::vector<Db>& ins, const std::vector<std::string>& inputs, MergeStats& st) {
    std::vector<Src> all;
    const int started_idx = col_index(lay_.run_cols, "started_at");
    for (size_t f = 0; f < ins.size(); ++f) {
      ++st.files;
      for (auto& [sid, row] : run_rows(ins[f])) all.push_back({value_text(row[static_cast<size_t>(started_idx)]), f, sid, std::move(row)});
    }
    std::stable_sort(all.begin(), all.end(), [](const Src& a, const Src& b) {
      return std::tie(a.started, a.file, a.id) < std::tie(b.started, b.file, b.id);
    });
    Txn txn(dst_);
    Statements sql = prepare();
    for (const Src& one : all) {
      const RunKey key = identity(one.row);
      if (auto it = have_.find(key); it != have_.end()) {
        check_same(ins[one.file], inputs[one.file], one, key, it->second.first, it->second.second);
        ++st.runs_same;
        continue;
      }
      const int64_t id = copy_run(sql, ins[one.file], one, st);
      have_[key] = {id, one.row};
      origin_[key] = inputs[one.file];
      ++st.runs_added;
    }
    txn.commit();
  }

 private:
  struct Src {
    std::string started;
    size_t file;
    int64_t id;
    Row row;
  };
  // Prepared once: the run's insert without its end columns, its end, and each child table's insert.
  struct Statements {
    Stmt ins_run, end_run;
    std::map<std::string, Stmt> ins_child;
  };

  std::vector<std::pair<int64_t, Row>> run_rows(Db& db) const {
    std::vector<std::pair<int64_t, Row>> rows;
    Stmt s = db.prepare("SELECT id, " + join(lay_.run_cols, ", ") + " FROM runs ORDER BY id");
    while (s.step()) {
      Row r;
      for (int c = 0; c < static_cast<int>(lay_.run_cols.size()); ++c) r.push_back(value_of(s, c + 1));
      rows.emplace_back(s.get_int(0), std::move(r));
    }
    return rows;
  }

  RunKey identity(const Row& r) const {
    RunKey k;
    for (int i : ident_idx_) k.push_back(value_text(r[static_cast<size_t>(i)]));
    return k;
  }

  Statements prepare() {
    std::string qs;
    for (size_t i = 0; i < begin_cols_.size(); ++i) qs += (i ? ", ?" : "?") + std::to_string(i + 1);
    Statements s{dst_.prepare("INSERT INTO runs (" + join(begin_cols_, ", ") + ", status) VALUES (" + qs + ", 'running')"),
                 dst_.prepare("UPDATE runs SET status = ?1, fail_step = ?2, fail_reason = ?3, ended_at = ?4 WHERE id = ?5"), {}};
    for (const char* t : kChildTables) {
      const auto& cols = lay_.child_cols.at(t);
      std::string q;
      for (size_t i = 0; i < cols.size(); ++i) q += ", ?" + std::to_string(i + 2);
      s.ins_child.emplace(t, dst_.prepare(std::string("INSERT INTO ") + t + " (run, " + join(cols, ", ") + ") VALUES (?1" + q + ")"));
    }
    return s;
  }

  // The same execution in two files: it must be recorded the same in both.
  void check_same(Db& src, const std::string& input, const Src& one, const RunKey& key, int64_t have_id, const Row& have_row) {
    std::string what;
    if (have_row != one.row) what = "its runs row";
    for (const char* t : kChildTables) {
      if (!what.empty()) break;
      const auto& cols = lay_.child_cols.at(t);
      if (child_rows(src, t, cols, one.id) != child_rows(dst_, t, cols, have_id)) what = std::string("its ") + t + " rows";
    }
    if (!what.empty())
      throw_input(origin_[key] + " and " + input,
                  "run " + key[0] + "/" + key[1] + " seed " + key[2] + " (started " + key[6] + " on " + key[4] + ", pid " + key[5] +
                      ") is recorded differently (" + what + " differ)");
  }

  // Copies one run (begun 'running', its child rows, then its end) and returns its id in dst.
  int64_t copy_run(Statements& sql, Db& src, const Src& one, MergeStats& st) {
    sql.ins_run.reset();
    int k = 1;
    for (const std::string& c : begin_cols_) bind_value(sql.ins_run, k++, one.row[static_cast<size_t>(col_index(lay_.run_cols, c))]);
    sql.ins_run.run();
    const int64_t id = dst_.last_insert_id();
    for (const char* t : kChildTables) {
      Stmt& ic = sql.ins_child.at(t);
      for (const Row& r : child_rows(src, t, lay_.child_cols.at(t), one.id)) {
        ic.reset();
        ic.bind(1, id);
        for (size_t c = 0; c < r.size(); ++c) bind_value(ic, static_cast<int>(c) + 2, r[c]);
        ic.run();
        ++st.rows_added;
      }
    }
    sql.end_run.reset();
    for (int e = 0; e < 4; ++e) bind_value(sql.end_run, e + 1, one.row[static_cast<size_t>(col_index(lay_.run_cols, kRunEnd[e]))]);
    sql.end_run.bind(5, id).run();
    return id;
  }

  Db& dst_;
  const Layout lay_;
  std::vector<int> ident_idx_;
  std::vector<std::string> begin_cols_;
  std::map<RunKey, std::pair<int64_t, Row>> have_;  // identity -> (id, row) in the output
  std::map<RunKey, std::string> origin_;            // identity -> the file it came from
};

}  // namespace

MergeStats db_merge(const std::string& out, const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw_input("db merge", "no input database");
  MergeStats st;
  std::optional<std::pair<std::string, int64_t>> first_version;
  std::vector<Db> ins;
  for (const std::string& p : inputs) ins.push_back(input_open(p, first_version));  // every input checked first

  const std::string tmp = out + ".merge-" + std::to_string(getpid()) + ".tmp";
  TmpGuard guard{tmp};
  for (const char* suf : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(tmp + suf);
  if (std::filesystem::exists(out)) {
    Db cur(out);  // folds its WAL into the file, so the copy and the rename lose nothing
    schema_migrate(cur);
    cur.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    cur.prepare("VACUUM INTO ?1").bind(1, tmp).run();
  }
  { Store create(tmp); }  // schema (and migrations of a copied output)
  {  // statements and the connection end here: the WAL is folded in and removed before the rename
    Db dst(tmp);
    Merger(dst, out).merge(ins, inputs, st);
    dst.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::error_code ec;
  for (const char* suf : {"-wal", "-shm"}) std::filesystem::remove(out + suf, ec);  // emptied by the checkpoint above
  std::filesystem::rename(tmp, out);
  guard.keep = true;
  return st;
}

}  // namespace rlvr
