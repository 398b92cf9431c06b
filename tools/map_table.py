#!/usr/bin/env python3
"""The regime map as markdown tables, from the results database (never typed).

For every model and point of suites/regime-map.toml (cell label REWARD or REWARD-POINT): the
random reward's gain (last eval - step 0, points) in greedy accuracy, in avg@k accuracy and in code
frequency, each as the mean over finished seeds with Student's 95% interval over the seeds, its
mean clip fraction, approx_kl and token entropy over the steps, and ground truth's accuracy gain
beside it. With --readme, the output replaces the text between <!-- results:regime-map:begin -->
and <!-- results:regime-map:end --> in that file.

  python3 tools/map_table.py --db results/regime-map.db [--readme results/measure/README.md]
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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--suite", default="regime-map", help="suite name in the database")
    ap.add_argument("--readme", help="write between the results:regime-map markers of this file")
    a = ap.parse_args()
    try:
        db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
        runs = db.execute("""
            SELECT r.id, r.model, r.cell, r.seed FROM runs r
            WHERE r.suite = ? AND r.status = 'finished' AND r.mutant = ''
              AND r.id = (SELECT MAX(id) FROM runs x WHERE x.suite = r.suite AND x.cell = r.cell AND x.seed = r.seed
                          AND x.mutant = '')""", (a.suite,)).fetchall()
    except sqlite3.Error as e:
        sys.exit(f"map_table: {a.db}: {e}")
    if not runs:
        sys.exit(f"map_table: {a.db}: no finished runs of suite '{a.suite}'")

    def gain(run, dataset, metric):
        rows = db.execute("SELECT step, value FROM evals WHERE run = ? AND dataset = ? AND metric = ? ORDER BY step",
                          (run, dataset, metric)).fetchall()
        if len(rows) < 2 or rows[0][0] != 0 or rows[0][1] is None or rows[-1][1] is None:
            return None
        return rows[-1][1] - rows[0][1]

    def step_mean(run, key):
        v = db.execute("SELECT AVG(value) FROM step_metrics WHERE run = ? AND key = ?", (run, key)).fetchone()[0]
        return v

    datasets = [d for (d,) in db.execute("SELECT DISTINCT dataset FROM evals ORDER BY dataset")]
    greedy = min(datasets, key=len)  # "synth-eval"; the sampled one is "synth-eval@K"
    sampled = next((d for d in datasets if d != greedy and d.startswith(greedy + "@")), None)
    cells = {}
    for run, model, cell, seed in runs:
        label = cell.split("/", 1)[1]
        cells.setdefault((model, label), []).append(run)

    out = []
    models = sorted({m for m, _ in cells})
    seeds = sorted({s for *_, s in runs})
    out.append(f"From `{a.db}`, suite `{a.suite}`, finished seeds {','.join(map(str, seeds))}: gain = last eval (step 30) "
               f"minus step 0 in points, mean over seeds [95% t interval over seeds]; clip, approx_kl and entropy are "
               f"means over the steps and seeds (clip: share of tokens clipped).\n")
    for model in models:
        out.append(f"**{model}**\n")
        out.append(f"| point | seeds | random: greedy acc | random: avg@k acc | random: code freq | random: clip | "
                   f"random: approx_kl | random: entropy | ground truth: greedy acc |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for suffix, name in POINTS:
            r = cells.get((model, "random0.5" + ("-" + suffix if suffix else "")), [])
            g = cells.get((model, "ground_truth" + ("-" + suffix if suffix else "")), [])
            if not r and not g:
                continue

            def vals(rs, ds, metric):
                return [x for x in (gain(run, ds, metric) for run in rs) if x is not None]

            def mean_key(rs, key):
                xs = [x for x in (step_mean(run, key) for run in rs) if x is not None]
                return sum(xs) / len(xs) if xs else None

            clip, kl, ent = mean_key(r, "clip_frac"), mean_key(r, "approx_kl"), mean_key(r, "entropy")
            out.append(f"| {name} | {len(r)}/{len(g)} | {fmt(interval(vals(r, greedy, 'accuracy')))} | "
                       f"{fmt(interval(vals(r, sampled, 'accuracy'))) if sampled else '-'} | "
                       f"{fmt(interval(vals(r, greedy, 'code_frequency')))} | "
                       f"{'-' if clip is None else f'{100 * clip:.2f}%'} | {'-' if kl is None else f'{kl:.5f}'} | "
                       f"{'-' if ent is None else f'{ent:.4f}'} | {fmt(interval(vals(g, greedy, 'accuracy')))} |")
        out.append("")
    text = "\n".join(out)
    if not a.readme:
        print(text)
        return
    replace_block(a.readme, "results", "regime-map", text + "\n", tool="map_table")


if __name__ == "__main__":
    main()
