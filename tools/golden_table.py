#!/usr/bin/env python3
"""A golden's gains as a reward x model markdown table (never typed): each cell "accuracy gain /
code-frequency gain" in points, with the baseline row on top, read from the golden file that
`rlvrbench golden update` wrote from the runs. With --readme, the table replaces the text between
<!-- results:SUITE:begin --> and <!-- results:SUITE:end --> in that file.

  python3 tools/golden_table.py --golden golden/zoo-full.toml [--readme README.md]
"""
import argparse
import sys
import tomllib
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks

ROWS = [("ground_truth", "ground truth"), ("majority_vote", "majority vote"), ("one_shot", "one-shot"), ("format", "format"),
        ("incorrect", "incorrect"), ("random0.5", "random0.5"), ("python", "python"),
        ("random0.5-noclip", "random, clipping off"), ("random0.5-1update", "random, 1 update per rollout")]


def pts(x):
    v = round(100 * x, 1)
    return "0" if v == 0 else f"{v:+.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--readme")
    a = ap.parse_args()
    try:
        g = tomllib.load(open(a.golden, "rb"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        sys.exit(f"golden_table: {a.golden}: {e}")
    gains, base, models = {}, {}, []
    for c in g.get("cell", []):
        if c.get("kind", "gain") != "gain":
            continue
        m, r, metric = c["model"], c["reward"], c["metric"]
        if m not in models:
            models.append(m)
        gains[(m, r, metric)] = c["gain"]
        base[(m, metric)] = c["baseline"]
    pv = g["provenance"]
    short = [m.replace("synth-", "").replace("-instruct", "-inst") for m in models]
    out = [f"Measured {pv['date']} on seeds {', '.join(map(str, pv['seeds']))} ({pv['platform']}; commit {pv['commit'][:12]}); "
           f"accuracy gain / code-frequency gain in points at the last step, from `{a.golden}`:\n",
           "| reward | " + " | ".join(short) + " |", "|---" * (len(models) + 1) + "|"]
    row = ["baseline acc / code"]
    for m in models:
        b0, b1 = base.get((m, "accuracy")), base.get((m, "code_frequency"))
        row.append("-" if b0 is None else f"{100 * b0:.1f} / {0 if not b1 else round(100 * b1, 1)}")
    out.append("| " + " | ".join(row) + " |")
    for r, name in ROWS:
        if not any((m, r, "accuracy") in gains for m in models):
            continue
        cells = []
        for m in models:
            acc, code = gains.get((m, r, "accuracy")), gains.get((m, r, "code_frequency"))
            cells.append("-" if acc is None else f"{pts(acc)} / {pts(code) if code is not None else '-'}")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(out) + "\n"
    if not a.readme:
        print(text, end="")
        return
    suite = g["suite"]
    replace_block(a.readme, "results", suite, text, tool="golden_table")


if __name__ == "__main__":
    main()
