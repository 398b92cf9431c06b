#!/usr/bin/env python3
"""The bandit model's tables (tools/grpo_bandit.py), generated, never typed.

  validate --db results/stack2-quick.db [--lr-scale S]: the model at quick's recipe (64 seeds,
      clip and no clip) beside what quick measured in the database (random0.5 and
      random0.5-noclip, latest finished run per seed): greedy code-frequency change, accuracy gain
      and its shift term, approx_kl and clip fraction (per-token means over the steps).
  summary --csv results/measure/bandit-map.csv: the map's points that pass the pre-registered
      test (or the best ones when none does), per prior.
With --readme FILE --name NAME the table replaces the text between <!-- bandit:NAME:begin --> and
<!-- bandit:NAME:end --> in FILE. Bad arguments, a missing file or markers: exit 2 naming them.
"""
import argparse
import csv
import os
import sqlite3
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grpo_bandit as gb  # noqa: E402
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks

MEASURED_SQL = """
WITH l AS (SELECT MAX(id) AS run FROM runs WHERE mutant = '' GROUP BY suite, cell, seed)
SELECT r.cell, r.seed,
  (SELECT value FROM evals WHERE run = r.id AND step = 30 AND metric = 'code_frequency') -
  (SELECT value FROM evals WHERE run = r.id AND step = 0 AND metric = 'code_frequency'),
  (SELECT value FROM evals WHERE run = r.id AND step = 30 AND metric = 'accuracy') -
  (SELECT value FROM evals WHERE run = r.id AND step = 0 AND metric = 'accuracy'),
  (SELECT value FROM evals WHERE run = r.id AND step = 0 AND metric = 'accuracy_code') -
  (SELECT value FROM evals WHERE run = r.id AND step = 0 AND metric = 'accuracy_language'),
  (SELECT AVG(value) FROM step_metrics WHERE run = r.id AND key = 'approx_kl'),
  (SELECT AVG(value) FROM step_metrics WHERE run = r.id AND key = 'clip_frac')
FROM runs r JOIN l ON l.run = r.id
WHERE r.status = 'finished' AND r.cell IN ('synth-micro/random0.5', 'synth-micro/random0.5-noclip')
ORDER BY r.cell, r.seed"""


def fail(where, msg):
    print(f"bandit_table: {where}: {msg}", file=sys.stderr)
    sys.exit(2)


def ms(x, scale=100, f="{:+.1f}"):
    x = np.asarray(x, float)
    return f"{f.format(scale * x.mean())} ± {scale * x.std(ddof=1):.1f}"


def measured(db):
    if not os.path.isfile(db):
        fail(db, "no such database file")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(MEASURED_SQL).fetchall()
    if not rows:
        fail(db, "no finished synth-micro/random0.5 runs")
    out = {}
    for clip, cell in ((True, "synth-micro/random0.5"), (False, "synth-micro/random0.5-noclip")):
        r = np.array([x[2:] for x in rows if x[0] == cell], float)
        out[clip] = {"n": len(r), "code": r[:, 0], "gain": r[:, 1], "shift": r[:, 0] * r[:, 2], "kl": r[:, 3].mean(),
                     "clip": r[:, 4].mean()}
    return out


def validate(db, scale):
    m = measured(db)
    quick = gb.Recipe(lr=1e-4, lr_scale=scale, updates=8, responses=16, steps=30)
    lines = ["| quick's recipe, random reward | clip: model | clip: measured | no clip: model | no clip: measured |",
             "|---|---|---|---|---|"]
    b = {c: gb.train("focus", gb.Recipe(**{**quick.__dict__, "clip": c}), gb.CALIBRATION_SEEDS) for c in (True, False)}
    rows = [("seeds", lambda x: str(len(x["gain"])), lambda x: str(x["n"])),
            ("greedy code-frequency change (points, mean ± sd)", lambda x: ms(x["code"]), lambda x: ms(x["code"])),
            ("greedy accuracy gain (points)", lambda x: ms(x["gain"]), lambda x: ms(x["gain"])),
            ("its shift term (points)", lambda x: ms(x["shift"]), lambda x: ms(x["shift"])),
            ("approx_kl (mean over tokens and steps)", lambda x: f"{x['approx_kl']:.2e}", lambda x: f"{x['kl']:.2e}"),
            ("clip fraction", lambda x: f"{x['clip_frac']:.4f}", lambda x: f"{x['clip']:.4f}")]
    for name, fb, fm in rows:
        lines.append(f"| {name} | {fb(b[True])} | {fm(m[True])} | {fb(b[False])} | {fm(m[False])} |")
    return "\n".join(lines) + f"\n\nlr_scale {scale:.6g}; model: focus prior, {gb.CALIBRATION_SEEDS} seeds.\n"


def load_map(path):
    try:
        with open(path) as f:
            lines = [ln for ln in f if not ln.startswith("#")]
    except OSError as e:
        fail(path, e.strerror)
    rows = list(csv.DictReader(lines))
    if not rows or set(gb.CSV_COLUMNS) - set(rows[0]):
        fail(path, "not a bandit map CSV (columns: " + ",".join(gb.CSV_COLUMNS) + ")")
    for r in rows:
        for k in gb.CSV_COLUMNS:
            if k != "prior":
                r[k] = float(r[k])
    return rows


TESTS = (("acc", "greedy accuracy gain", "acc_gain", "acc_snr"), ("shift", "its shift term", "shift", "shift_snr"),
         ("paired", "clip minus no clip (paired)", "clip_minus_noclip", "clip_minus_noclip_snr"))


def point(r):
    return f"{r['prior']}, lr {r['lr']:g}, {int(r['updates'])} upd x {int(r['responses'])} resp, {int(r['steps'])} steps"


def summary(path):
    rows = [r for r in load_map(path) if r["clip"] == 1]
    thr = gb.SNR_THRESHOLD
    out = [f"{len(rows)} clipped points of {int(rows[0]['seeds'])} seeds each. Passing = mean > 0 and SNR >= {thr:g}.", "",
           "| test | " + " | ".join(f"passing ({p})" for p in gb.PRIORS) + " | best point (highest SNR) | its mean (points) | its SNR |",
           "|---|" + "---|" * len(gb.PRIORS) + "---|---|---|"]
    for _, name, mean, s in TESTS:
        counts = [sum(1 for r in rows if r["prior"] == p and r[mean] > 0 and r[s] >= thr) for p in gb.PRIORS]
        best = max(rows, key=lambda r: r[s] if r[mean] > 0 else -np.inf)
        out.append(f"| {name} | " + " | ".join(f"{c} of {sum(r['prior'] == p for r in rows)}" for c, p in zip(counts, gb.PRIORS)) +
                   f" | {point(best)} | {100 * best[mean]:+.2f} | {best[s]:.2f} |")
    out += ["", "The five highest accuracy SNRs (clip on), with the unclipped run on the same seeds:", "",
            "| point | gain (points) | sd | SNR | shift | code change | no-clip gain | clip - no clip (SNR) | clip fraction |",
            "|---|---|---|---|---|---|---|---|---|"]
    noclip = {point(r): r for r in load_map(path) if r["clip"] == 0}
    for r in sorted(rows, key=lambda r: -r["acc_snr"])[:5]:
        n = noclip[point(r)]
        out.append(f"| {point(r)} | {100 * r['acc_gain']:+.2f} | {100 * r['acc_gain_sd']:.2f} | {r['acc_snr']:.2f} | "
                   f"{100 * r['shift']:+.2f} | {100 * r['code_change']:+.2f} | {100 * n['acc_gain']:+.2f} | "
                   f"{100 * r['clip_minus_noclip']:+.2f} ({r['clip_minus_noclip_snr']:.2f}) | {r['clip_frac']:.4f} |")
    return "\n".join(out) + "\n"


def write(readme, name, text):
    replace_block(readme, "bandit", name, text, tool="bandit_table")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["validate", "summary"])
    ap.add_argument("--db")
    ap.add_argument("--csv")
    ap.add_argument("--lr-scale", type=float, default=None)
    ap.add_argument("--readme")
    ap.add_argument("--name")
    try:
        a = ap.parse_args()
    except SystemExit as e:
        sys.exit(0 if e.code == 0 else 2)
    if bool(a.readme) != bool(a.name):
        fail("--readme" if not a.readme else "--name", "--readme and --name go together")
    if a.command == "validate":
        if not a.db:
            fail("--db", "validate needs --db (quick's results database)")
        scale = a.lr_scale or gb.calibrate(gb.QUICK_CODE_SD, gb.CALIBRATION_SEEDS,
                                           gb.Recipe(lr=1e-4, updates=8, responses=16, steps=30))
        text = validate(a.db, scale)
    else:
        if not a.csv:
            fail("--csv", "summary needs --csv (the map)")
        text = summary(a.csv)
    if a.readme:
        write(a.readme, a.name, text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
