#!/usr/bin/env python3
"""posctl_questions.py: the positive control's five pre-registered questions, decided from its runs.

    python3 tools/posctl_questions.py --db results/posctl.db --seeds 1-12 [--rlvrbench build/app/rlvrbench]
                                      [--readme README.md --name positive-control]

The questions and their rules are results/measure/README.md's ("session 6, the positive control"),
written before any run; this tool only applies them. Per question, over the given seeds' finished,
unmutated runs at the last eval (intervals: mean +- t(0.975, n - 1) x sd / sqrt(n); SNR = mean / sd,
per seed):
  1. the world can show the effect: python's accuracy gain and its shift term both above 0;
  1b. (added post hoc, not pre-registered) the same for python through the isolation arm;
  2. random0.5's accuracy gain above 0: reproduced, else not, with the interval's upper end as bound;
  3. the paired contrasts random0.5 - noclip and random0.5 - upd1 (last-eval accuracy, the cells
     share step 0 and every random stream at a seed): above 0, below 0, or undecided;
  4. the isolation arm's within-strategy term inside +-MARGIN (3 points): its gain is shift x gap;
  5. rollout token entropy, mean over the late steps minus the early ones, per cell: falls, rises
     or undecided.
Gains, shift and within come from `rlvrbench query decompose --format json` (report/decompose.h: the
one home of that split); contrasts and entropy from the database, read-only. Prints markdown; with
--readme FILE --name NAME it replaces the text between `<!-- results:NAME:begin -->` and
`<!-- results:NAME:end -->`. Bad arguments, a database without the runs, missing markers: exit 2
with one line naming them.
"""
import argparse
import json
import math
import os
import sqlite3
import subprocess
import sys
from decompose_table import interval, pts  # tools/decompose_table.py: how a decompose row prints, in points
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks
from student_t import t_quantile_two_sided  # tools/student_t.py

MODEL = "synth-micro-mech"
DATASET = "synth-eval"
MARGIN = 0.03  # pre-registered: the isolation arm's equivalence margin on the within-strategy term


def fail(where, msg):
    print(f"posctl_questions: {where}: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_seeds(text):
    out = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        try:
            lo, hi = int(a), int(b or a)
        except ValueError:
            fail("--seeds", f"'{part}' is not N or N-M")
        out += range(lo, hi + 1)
    return out


def summary(xs):
    """mean, 95% interval and per-seed SNR of a list of per-seed values."""
    n = len(xs)
    m = sum(xs) / n
    sd = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1)) if n > 1 else float("nan")
    half = t_quantile_two_sided(0.05, n - 1) * sd / math.sqrt(n) if n > 1 else float("nan")
    return {"n": n, "mean": m, "lo": m - half, "hi": m + half, "snr": m / sd if sd > 0 else float("nan")}


def side(s):
    return "above 0" if s["lo"] > 0 else "below 0" if s["hi"] < 0 else "undecided"


def fmt_points(s):
    return f"{pts(s['mean'])} [{pts(s['lo'])}, {pts(s['hi'])}] (SNR {s['snr']:.2f}, {s['n']} seeds)"


def fmt_nats(s):
    return f"{s['mean']:+.4f} [{s['lo']:+.4f}, {s['hi']:+.4f}] nats (SNR {s['snr']:.2f}, {s['n']} seeds)"


def decompose(rlvrbench, db, seeds):
    cmd = [rlvrbench, "query", "decompose", "--db", db, "--seeds", ",".join(map(str, seeds)), "--format", "json"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail("query decompose", (p.stderr.strip().splitlines() or ["failed"])[-1])
    return {r["cell"]: r for r in json.loads(p.stdout) if r["dataset"] == DATASET}


def per_seed(con, seeds, sql, *args):
    """{cell's reward name: {seed: value}} of a query returning (name, seed, value) over finished, unmutated runs."""
    marks = ",".join("?" * len(seeds))
    out = {}
    for reward, seed, v in con.execute(sql.format(seeds=marks), (*args, *seeds)):
        out.setdefault(reward, {})[seed] = v
    return out


LAST_ACC = """SELECT substr(r.cell, length(r.model) + 2), r.seed, e.value FROM runs r JOIN evals e ON e.run = r.id
  WHERE r.status = 'finished' AND r.mutant = '' AND r.model = ? AND e.dataset = ? AND e.metric = 'accuracy'
    AND e.step = (SELECT MAX(step) FROM evals WHERE run = r.id) AND r.seed IN ({seeds})"""
STEP_MEAN = """SELECT substr(r.cell, length(r.model) + 2), r.seed, AVG(m.value) FROM runs r JOIN step_metrics m ON m.run = r.id
  WHERE r.status = 'finished' AND r.mutant = '' AND r.model = ? AND m.key = 'entropy' AND m.step BETWEEN ? AND ?
    AND r.seed IN ({seeds}) GROUP BY r.id"""


def paired(a, b):
    common = sorted(set(a) & set(b))
    return summary([a[s] - b[s] for s in common]) if len(common) > 1 else None


def questions(dec, acc, early, late):
    def row(reward):
        r = dec.get(f"{MODEL}/{reward}")
        return r if r and r["seeds"] > 1 else None

    def shift_question(label, r, no):
        # the world delivers a gain through a strategy shift: gain and shift x gap both above 0
        ok = r["gain_lo"] > 0 and r["shift_lo"] > 0
        return (label, f"gain {interval(r, 'gain')}, shift x gap {interval(r, 'shift')}, within {pts(r['within'])} ({r['seeds']} seeds)",
                "**yes**" if ok else no)

    out = []
    if py := row("python"):
        out.append(shift_question("1. the world can show a strategy-shift gain (python reward)", py,
                                  "**no: every 'not reproduced' below is void**"))
    if pyi := row("python-iso"):
        out.append(shift_question("1b. (added post hoc) a pure strategy shift raises greedy accuracy (python through the isolation arm)",
                                  pyi, "**no**"))
    if rnd := row("random0.5"):
        verdict = "**reproduced**" if rnd["gain_lo"] > 0 else f"**not reproduced** (bound: gain < {pts(rnd['gain_hi'])} points)"
        out.append(("2. random reward with the clip raises greedy accuracy",
                    f"gain {interval(rnd, 'gain')}, shift x gap {pts(rnd['shift'])}, within {pts(rnd['within'])} ({rnd['seeds']} seeds)",
                    verdict))
    for other, what in (("random0.5-noclip", "the clip's part"), ("random0.5-upd1", "the updates' part")):
        s = paired(acc.get("random0.5", {}), acc.get(other, {}))
        if s:
            out.append((f"3. {what}: random0.5 - {other}, accuracy", fmt_points(s), f"**{side(s)}**"))
    if iso := row("random0.5-iso"):
        inside = iso["within_lo"] > -MARGIN and iso["within_hi"] < MARGIN
        out.append(("4. the isolation arm: gain = shift x gap (within inside ±3 points)",
                    f"gain {interval(iso, 'gain')}, shift x gap {interval(iso, 'shift')}, within {interval(iso, 'within')} "
                    f"({iso['seeds']} seeds)", "**yes**" if inside else "**not shown**"))
    for reward in ("random0.5", "random0.5-iso", "random0.5-noclip"):
        e, l = early.get(reward, {}), late.get(reward, {})
        s = paired(l, e)
        if s:
            word = {"below 0": "falls", "above 0": "rises"}.get(side(s), "undecided")
            out.append((f"5. {reward}: rollout token entropy, late steps minus early", fmt_nats(s), f"**{word}**"))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--seeds", required=True, help="the golden's seeds, e.g. 1-12")
    ap.add_argument("--early", default="1-10", help="entropy's early steps (pre-registered: 1-10)")
    ap.add_argument("--late", default="41-50", help="entropy's late steps (pre-registered: 41-50)")
    ap.add_argument("--rlvrbench", default=os.path.join(os.path.dirname(__file__), "..", "build", "app", "rlvrbench"))
    ap.add_argument("--readme")
    ap.add_argument("--name", default="positive-control")
    a = ap.parse_args()
    seeds = parse_seeds(a.seeds)
    steps = {k: parse_seeds(v) for k, v in (("--early", a.early), ("--late", a.late))}
    if not os.path.isfile(a.db):
        fail(a.db, "no such database")
    dec = decompose(a.rlvrbench, a.db, seeds)
    try:
        con = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)
        acc = per_seed(con, seeds, LAST_ACC, MODEL, DATASET)
        early = per_seed(con, seeds, STEP_MEAN, MODEL, min(steps["--early"]), max(steps["--early"]))
        late = per_seed(con, seeds, STEP_MEAN, MODEL, min(steps["--late"]), max(steps["--late"]))
    except sqlite3.Error as e:
        fail(a.db, str(e))
    rows = questions(dec, acc, early, late)
    if not rows:
        fail(a.db, f"no finished {MODEL} runs of seeds {a.seeds}")
    text = "| question (pre-registered) | measured: mean [95% interval] | answer |\n|---|---|---|\n"
    text += "".join(f"| {q} | {m} | {v} |\n" for q, m, v in rows)
    text += (f"\n{os.path.basename(a.db)}, seeds {a.seeds}, last eval; "
             "`python3 tools/posctl_questions.py` (rules: results/measure/README.md, \"session 6, the positive control\").\n")
    print(text, end="")
    if a.readme:
        replace_block(a.readme, "results", a.name, text, tool="posctl_questions")


if __name__ == "__main__":
    main()
