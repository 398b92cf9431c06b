#!/usr/bin/env bash
# map_summary.sh [DB]: one line per finished regime-map run: greedy and avg@4 accuracy and code
# frequency at step 0 and at the last step, and the run's mean clip fraction, approx_kl and
# token entropy over its steps. Reads the database read-only (sqlite3).
set -euo pipefail
db=${1:-results/regime-map.db}
sqlite3 -readonly -header -column "$db" <<'SQL'
WITH last AS (SELECT run, MAX(step) AS s FROM evals GROUP BY run),
ev AS (
  SELECT e.run,
    MAX(CASE WHEN e.step = 0 AND e.dataset = 'synth-eval' AND e.metric = 'accuracy' THEN e.value END) AS acc0,
    MAX(CASE WHEN e.step = l.s AND e.dataset = 'synth-eval' AND e.metric = 'accuracy' THEN e.value END) AS acc,
    MAX(CASE WHEN e.step = 0 AND e.dataset = 'synth-eval@4' AND e.metric = 'accuracy' THEN e.value END) AS avg0,
    MAX(CASE WHEN e.step = l.s AND e.dataset = 'synth-eval@4' AND e.metric = 'accuracy' THEN e.value END) AS avg,
    MAX(CASE WHEN e.step = 0 AND e.dataset = 'synth-eval' AND e.metric = 'code_frequency' THEN e.value END) AS code0,
    MAX(CASE WHEN e.step = l.s AND e.dataset = 'synth-eval' AND e.metric = 'code_frequency' THEN e.value END) AS code
  FROM evals e JOIN last l ON l.run = e.run GROUP BY e.run),
sm AS (
  SELECT run, AVG(CASE WHEN key = 'clip_frac' THEN value END) AS clip,
    AVG(CASE WHEN key = 'approx_kl' THEN value END) AS kl, AVG(CASE WHEN key = 'entropy' THEN value END) AS entropy
  FROM step_metrics GROUP BY run)
SELECT r.cell, r.seed, printf('%.3f', ev.acc0) AS acc0, printf('%.3f', ev.acc) AS acc, printf('%.3f', ev.avg0) AS avg4_0,
  printf('%.3f', ev.avg) AS avg4, printf('%.3f', ev.code0) AS code0, printf('%.3f', ev.code) AS code,
  printf('%.5f', sm.clip) AS clip_frac, printf('%.5f', sm.kl) AS approx_kl, printf('%.4f', sm.entropy) AS entropy
FROM runs r JOIN ev ON ev.run = r.id JOIN sm ON sm.run = r.id
WHERE r.status = 'finished' ORDER BY r.cell, r.seed;
SQL
