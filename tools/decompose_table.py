#!/usr/bin/env python3
"""The accuracy decomposition of a database as a markdown table (never typed).

Runs `rlvrbench query decompose --format json` (report/decompose.h: per cell and dataset, the
accuracy change from step 0 to the last eval split exactly into strategy shift x step-0 gap and the
change within each strategy, means and Student's 95% intervals over finished seeds) and prints
one row per cell, in points. With --readme FILE --name NAME the table replaces the text between
<!-- results:NAME:begin --> and <!-- results:NAME:end --> in FILE.

  python3 tools/decompose_table.py --db results/stack2-quick.db [--suite quick] \\
      [--readme results/measure/README.md --name decompose-quick] [--rlvrbench build/app/rlvrbench]
Bad arguments, a failed query or missing markers: exit 2 with one line naming them.
"""
import argparse
import json
import os
import subprocess
import sys
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks


def fail(where, msg):
    print(f"decompose_table: {where}: {msg}", file=sys.stderr)
    sys.exit(2)


def pts(x, sign=True):
    return "–" if x is None else (f"{100 * x:+.1f}" if sign else f"{100 * x:.1f}")


def interval(r, key):
    m, lo, hi = r[key], r.get(key + "_lo"), r.get(key + "_hi")
    if m is None:
        return "–"
    return pts(m) + (f" [{pts(lo)}, {pts(hi)}]" if lo is not None and hi is not None else "")


def arrow(r, a, b):
    return f"{pts(r[a], False)} → {pts(r[b], False)}"


def table(rows):
    # A dataset column only where the rows span several (greedy and sampled evals of one cell).
    several = len({r["dataset"] for r in rows}) > 1
    ds_head, ds_rule = ("dataset | ", "---|") if several else ("", "")
    out = [f"| cell | {ds_head}seeds (split) | code freq. (%) | acc. code (%) | acc. language (%) | gain | shift × gap | "
           f"within | within code | within language |", f"|---|{ds_rule}---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ds = f"{r['dataset']} | " if several else ""
        out.append(f"| {r['cell']} | {ds}{r['seeds']} ({r['split_seeds']}) | {arrow(r, 'code_step0', 'code_last')} | "
                   f"{arrow(r, 'acc_code_step0', 'acc_code_last')} | {arrow(r, 'acc_lang_step0', 'acc_lang_last')} | "
                   f"{interval(r, 'gain')} | {interval(r, 'shift')} | {interval(r, 'within')} | "
                   f"{pts(r['within_code'])} | {pts(r['within_lang'])} |")
    label = (lambda r: f"{r['cell']} ({r['dataset']})") if several else (lambda r: r["cell"])
    notes = [f"- {label(r)}: split undefined for {r['undefined']}" for r in rows if r["undefined"]]
    return "\n".join(out) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--suite", default=None, help="keep this suite's rows only")
    ap.add_argument("--dataset", default=None, help="keep this dataset's rows only")
    ap.add_argument("--readme", default=None)
    ap.add_argument("--name", default=None)
    ap.add_argument("--rlvrbench", default=os.path.join(os.path.dirname(__file__), "..", "build", "app", "rlvrbench"))
    try:
        a = ap.parse_args()
    except SystemExit as e:
        sys.exit(0 if e.code == 0 else 2)
    if bool(a.readme) != bool(a.name):
        fail("--readme" if not a.readme else "--name", "--readme and --name go together")
    p = subprocess.run([a.rlvrbench, "query", "decompose", "--db", a.db, "--format", "json"], capture_output=True, text=True)
    if p.returncode != 0:
        fail(a.db, p.stderr.strip() or f"rlvrbench exited {p.returncode}")
    rows = [r for r in json.loads(p.stdout)
            if (a.suite is None or r["suite"] == a.suite) and (a.dataset is None or r["dataset"] == a.dataset)]
    if not rows:
        fail("--suite" if a.suite else a.db, "no decomposition rows")
    text = table(rows)
    if not a.readme:
        sys.stdout.write(text)
        return
    replace_block(a.readme, "results", a.name, text, tool="decompose_table")


if __name__ == "__main__":
    main()
