#!/usr/bin/env python3
"""The regime map as markdown tables, from the results database (never typed).

For every model and point of suites/regime-map.toml (cell label REWARD or REWARD-POINT): the
random reward's gain (last eval - step 0, points) in greedy accuracy, in avg@k accuracy and in code
frequency, each as the mean over finished seeds with Student's 95% interval over the seeds, its
mean clip fraction, approx_kl and token entropy over the steps, and ground truth's accuracy gain
beside it. With --readme, the output replaces the text between <!-- results:NAME:begin -->
and <!-- results:NAME:end --> in that file (NAME: --name, default regime-map). tools/map_moves.py
reads point_stats() to compare two maps.

  python3 tools/map_table.py --db results/regime-map.db [--readme results/measure/README.md] [--name N]
"""
import argparse
import math
import sqlite3
import sys
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks

# Two-sided 95% critical values of Student's t, df 1..30 (then the normal's 1.96).
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
       2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]

# The map's axes, in the order the suite lists them ("" is the centre: the quick recipe).
POINTS = [("", "centre (upd 8, lr 1e-4, 16 x 8, clip 0.2)"), ("upd1", "updates per rollout 1"), ("upd2", "2"),
          ("upd4", "4"), ("upd16", "16"), ("lr3e-5", "lr 3e-5"), ("lr3e-4", "lr 3e-4"), ("roll32", "rollout 32 x 8"),
          ("noclip", "clipping off"), ("clip0.1", "clip 0.1"), ("clip0.3", "clip 0.3"),
          ("cliphigh", "clip-high only"), ("cliplow", "clip-low only")]


def fail(where, msg):
    print(f"map_table: {where}: {msg}", file=sys.stderr)
    sys.exit(2)


def interval(xs):
    n = len(xs)
    if n == 0:
        return None
    m = sum(xs) / n
    if n < 2:
        return m, None, None
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    t = T95[n - 2] if n - 1 <= len(T95) else 1.96
    h = t * sd / math.sqrt(n)
    return m, m - h, m + h


def fmt(iv):
    if iv is None:
        return "-"
    m, lo, hi = iv
    if lo is None:
        return f"{100 * m:+.1f}"
    return f"{100 * m:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}]"


def load_runs(db_path, suite):
    """The finished, unmutated runs of the suite, the newest a cell and seed: (db, runs)."""
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        runs = db.execute("""
            SELECT r.id, r.model, r.cell, r.seed FROM runs r
            WHERE r.suite = ? AND r.status = 'finished' AND r.mutant = ''
              AND r.id = (SELECT MAX(id) FROM runs x WHERE x.suite = r.suite AND x.cell = r.cell AND x.seed = r.seed
                          AND x.mutant = '')""", (suite,)).fetchall()
    except sqlite3.Error as e:
        fail(db_path, str(e))
    if not runs:
        fail(db_path, f"no finished runs of suite '{suite}'")
    return db, runs


def point_stats(db_path, suite="regime-map"):
    """Per (model, point suffix): the random reward's and ground truth's numbers over seeds.

    Returns (seeds, stats); stats[(model, suffix)] holds n_random, n_truth, the intervals
    random_greedy, random_sampled, random_code, truth_greedy (mean, lo, hi or None) and the step
    means clip, approx_kl, entropy of the random cell."""
    db, runs = load_runs(db_path, suite)

    def gain(run, dataset, metric):
        rows = db.execute("SELECT step, value FROM evals WHERE run = ? AND dataset = ? AND metric = ? ORDER BY step",
                          (run, dataset, metric)).fetchall()
        if len(rows) < 2 or rows[0][0] != 0 or rows[0][1] is None or rows[-1][1] is None:
            return None
        return rows[-1][1] - rows[0][1]

    def gains(rs, ds, metric):
        return interval([x for x in (gain(run, ds, metric) for run in rs) if x is not None]) if ds else None

    def mean_key(rs, key):
        xs = [db.execute("SELECT AVG(value) FROM step_metrics WHERE run = ? AND key = ?", (run, key)).fetchone()[0]
              for run in rs]
        xs = [x for x in xs if x is not None]
        return sum(xs) / len(xs) if xs else None

    datasets = [d for (d,) in db.execute("SELECT DISTINCT dataset FROM evals ORDER BY dataset")]
    greedy = min(datasets, key=len)  # "synth-eval"; the sampled one is "synth-eval@K"
    sampled = next((d for d in datasets if d != greedy and d.startswith(greedy + "@")), None)
    cells = {}
    for run, model, cell, seed in runs:
        cells.setdefault((model, cell.split("/", 1)[1]), []).append(run)
    stats = {}
    for model in sorted({m for m, _ in cells}):
        for suffix, _ in POINTS:
            r = cells.get((model, "random0.5" + ("-" + suffix if suffix else "")), [])
            g = cells.get((model, "ground_truth" + ("-" + suffix if suffix else "")), [])
            if not r and not g:
                continue
            stats[(model, suffix)] = {
                "n_random": len(r), "n_truth": len(g),
                "random_greedy": gains(r, greedy, "accuracy"), "random_sampled": gains(r, sampled, "accuracy"),
                "random_code": gains(r, greedy, "code_frequency"), "truth_greedy": gains(g, greedy, "accuracy"),
                "clip": mean_key(r, "clip_frac"), "approx_kl": mean_key(r, "approx_kl"),
                "entropy": mean_key(r, "entropy")}
    return sorted({s for *_, s in runs}), stats


def render(db_path, suite, seeds, stats):
    out = [f"From `{db_path}`, suite `{suite}`, finished seeds {','.join(map(str, seeds))}: gain = last eval (step 30) "
           f"minus step 0 in points, mean over seeds [95% t interval over seeds]; clip, approx_kl and entropy are "
           f"means over the steps and seeds (clip: share of tokens clipped).\n"]
    names = dict(POINTS)
    for model in sorted({m for m, _ in stats}):
        out.append(f"**{model}**\n")
        out.append("| point | seeds | random: greedy acc | random: avg@k acc | random: code freq | random: clip | "
                   "random: approx_kl | random: entropy | ground truth: greedy acc |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for suffix, _ in POINTS:
            p = stats.get((model, suffix))
            if p is None:
                continue
            clip, kl, ent = p["clip"], p["approx_kl"], p["entropy"]
            out.append(f"| {names[suffix]} | {p['n_random']}/{p['n_truth']} | {fmt(p['random_greedy'])} | "
                       f"{fmt(p['random_sampled'])} | {fmt(p['random_code'])} | "
                       f"{'-' if clip is None else f'{100 * clip:.2f}%'} | {'-' if kl is None else f'{kl:.5f}'} | "
                       f"{'-' if ent is None else f'{ent:.4f}'} | {fmt(p['truth_greedy'])} |")
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--suite", default="regime-map", help="suite name in the database")
    ap.add_argument("--readme", help="write between the results:NAME markers of this file")
    ap.add_argument("--name", default="regime-map", help="the README block's name (default regime-map)")
    a = ap.parse_args()
    seeds, stats = point_stats(a.db, a.suite)
    text = render(a.db, a.suite, seeds, stats)
    if not a.readme:
        print(text)
        return
    replace_block(a.readme, "results", a.name, text + "\n", tool="map_table")


if __name__ == "__main__":
    main()
