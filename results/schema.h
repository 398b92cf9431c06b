// schema.h: the results schema, its version and forward migrations.
//
// The version lives in PRAGMA user_version (read without parsing any table) and is mirrored in the
// `meta` table for humans and for telling an rlvrbench database from any other SQLite file.
// Migration i brings version i to i+1; all pending migrations run in ONE write transaction, so a
// crash mid-migration leaves the old version intact. The views are derived data: every migration
// run drops and recreates all of them from the current definitions.
#pragma once
#include <cstdint>

namespace rlvr {

class Db;

// Version 1: runs, params, step_metrics, evals, eval_items (first layout).
// Version 2: runs.host and runs.pid (provenance, stale-run detection); eval_items.has_code_strict
//            and eval_items.boxed (second code detector, boxing rate per problem).
// Version 3: runs.mutant (the suite mutant a run belongs to, '' for an unmutated run): detection-power
//            runs live beside the real ones and never count toward a golden.
// Version 4: probe_items (the contamination probe's per-problem rows) and the probe_results view.
inline constexpr int64_t kSchemaVersion = 4;

// Brings the database to `target` (default: this build's version). InputError naming the file when
// it is newer than this build knows, or is some other application's SQLite file.
// Safe against several processes opening the same fresh file at once.
void schema_migrate(Db& db, int64_t target = kSchemaVersion);

int64_t schema_version(Db& db);

// For a reader that must not write: true when the file already has this build's schema (checked);
// false when it is older (the reader migrates a copy in memory); InputError naming the version when
// it is newer, negative, or not an rlvrbench database.
bool schema_read_ready(Db& db);

}  // namespace rlvr
