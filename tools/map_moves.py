#!/usr/bin/env python3
"""What moved between two regime maps: a committed table (the old map) against a database (the new).

The old map is read from its markdown block (`<!-- results:NAME:begin -->` ... `end -->`, written by
tools/map_table.py): per model and point, each quantity's mean and 95% t interval over its seeds.
The new map comes from the database through map_table.point_stats(). For the random reward's
greedy-accuracy gain, its code-frequency gain and ground truth's greedy-accuracy gain, the
difference new minus old gets Welch's 95% interval, each side's standard error recovered from its
interval (se = half-width / t(n - 1)); a point **moved** when that interval excludes 0, and Holm's
step-down over every comparison says which survive at family-wise 0.05. Clip share, approx_kl and
entropy (means only in the old table) are given as the ratio new/old, not judged.

  python3 tools/map_moves.py --old results/measure/README.md --old-name regime-map \\
      --db results/stack2-regime-map.db [--readme results/measure/README.md --name regime-map-moves]
Bad arguments, an unreadable table or database, missing markers: exit 2 with one line naming them.
"""
import argparse
import math
import re
import sys
from map_table import POINTS, point_stats  # tools/map_table.py: the map's points and numbers
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks
from student_t import t_two_sided_p, t_quantile_two_sided  # tools/student_t.py

# (key, the old table's column header): the columns are found by their headers (map_table.render).
QUANTITIES = [("random_greedy", "random: greedy acc"), ("random_code", "random: code freq"),
              ("truth_greedy", "ground truth: greedy acc")]
RATIOS = [("entropy", "random: entropy"), ("clip", "random: clip"), ("approx_kl", "random: approx_kl")]
CELL = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)(?:\s*\[([+-]?\d+(?:\.\d+)?),\s*([+-]?\d+(?:\.\d+)?)\])?\s*$")


def fail(where, msg):
    print(f"map_moves: {where}: {msg}", file=sys.stderr)
    sys.exit(2)


def parse_cell(text, where):
    """'+1.2 [-2.8, +5.2]' (points) -> (mean, lo, hi) as fractions; '-' -> None."""
    text = text.strip().rstrip("%")
    if text in ("-", "–", ""):
        return None
    m = CELL.match(text)
    if not m:
        fail(where, f"cannot read '{text}'")
    vals = [None if v is None else float(v) / 100 for v in m.groups()]
    return tuple(vals)


def parse_plain(text, where):
    """'0.0289' -> 0.0289; '0.16%' -> 0.0016; '-' -> None."""
    text = text.strip()
    if text in ("-", "–", ""):
        return None
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        fail(where, f"cannot read '{text}'")


def parse_old(path, name):
    """The old table: {(model, suffix): {key: (mean, lo, hi) | float, 'n_random': n, 'n_truth': n}}."""
    try:
        s = open(path, encoding="utf-8").read()
    except OSError as e:
        fail(path, e.strerror)
    begin, end = f"<!-- results:{name}:begin -->", f"<!-- results:{name}:end -->"
    i, j = s.find(begin), s.find(end)
    if i < 0 or j < i:
        fail(path, f"no {begin} ... {end} markers")
    suffix_of = {label: suffix for suffix, label in POINTS}
    old, model, col = {}, None, None
    for line in s[i:j].splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("**") and line.endswith("**"):
            model = line.strip("*")
        elif line.startswith("| point"):
            col = {h: k for k, h in enumerate(cols)}
            missing = [h for _, h in QUANTITIES + RATIOS + [("", "seeds")] if h not in col]
            if missing:
                fail(path, f"block {name}: no column '{missing[0]}'")
        elif line.startswith("| ") and model and col:
            if len(cols) != len(col) or cols[0] not in suffix_of:
                fail(path, f"block {name}: a row that is not a map row: {line[:60]}")
            where = f"{path}: block {name}, {model} / {cols[0]}"
            n_r, n_g = (int(x) for x in cols[col["seeds"]].split("/"))
            row = {"n_random": n_r, "n_truth": n_g}
            for key, head in QUANTITIES:
                row[key] = parse_cell(cols[col[head]], where)
            for key, head in RATIOS:
                row[key] = parse_plain(cols[col[head]], where)
            old[(model, suffix_of[cols[0]])] = row
    if not old:
        fail(path, f"block {name}: no map rows")
    return old


def welch(a, n_a, b, n_b):
    """b - a with Welch's 95% interval and two-sided p, from two (mean, lo, hi) over n seeds."""
    if a is None or b is None or a[1] is None or b[1] is None or n_a < 2 or n_b < 2:
        return None
    se_a = (a[2] - a[1]) / 2 / t_quantile_two_sided(0.05, n_a - 1)
    se_b = (b[2] - b[1]) / 2 / t_quantile_two_sided(0.05, n_b - 1)
    d, v = b[0] - a[0], se_a ** 2 + se_b ** 2
    if v == 0:
        return d, d, d, (1.0 if d == 0 else 0.0)
    df = v ** 2 / (se_a ** 4 / (n_a - 1) + se_b ** 4 / (n_b - 1))
    h = t_quantile_two_sided(0.05, df) * math.sqrt(v)
    return d, d - h, d + h, t_two_sided_p(abs(d) / math.sqrt(v), df)


def holm(ps, alpha=0.05):
    """Indices of the p-values Holm's step-down rejects at family-wise alpha."""
    order, out = sorted(range(len(ps)), key=lambda i: ps[i]), set()
    for rank, i in enumerate(order):
        if ps[i] > alpha / (len(ps) - rank):
            break
        out.add(i)
    return out


def compare(old, new):
    """Rows (model, suffix, {key: welch result or None}, {ratio key: new/old or None}) and Holm's set."""
    rows, tests = [], []
    for (model, suffix), b in sorted(new.items(), key=lambda kv: (kv[0][0], [p for p, _ in POINTS].index(kv[0][1]))):
        a = old.get((model, suffix))
        if a is None:
            continue
        diffs = {}
        for key, _ in QUANTITIES:
            n = "n_truth" if key.startswith("truth") else "n_random"
            diffs[key] = welch(a[key], a[n], b[key], b[n])
            if diffs[key] is not None:
                tests.append((len(rows), key, diffs[key][3]))
        ratios = {k: (b[k] / a[k] if a[k] and b[k] is not None else None) for k, _ in RATIOS}
        rows.append((model, suffix, diffs, ratios))
    survivors = {(tests[i][0], tests[i][1]) for i in holm([t[2] for t in tests])}
    return rows, survivors, len(tests)


def render(rows, survivors, n_tests, old_where, db):
    names = dict(POINTS)
    moved = sum(1 for _, _, d, _ in rows for v in d.values() if v is not None and (v[1] > 0 or v[2] < 0))
    out = [f"Stack 2 (`{db}`) minus the OpenBLAS map ({old_where}), points, Welch's 95% interval; "
           f"**bold**: the interval excludes 0 ({moved} of {n_tests}; about {0.05 * n_tests:.0f} would by chance); "
           f"(H): also rejected by Holm's step-down at family-wise 0.05 ({len(survivors)} of {n_tests}). "
           f"Ratios new/old of the random cell's mean entropy, clip share and approx_kl.\n"]
    out.append("| model | point | random: greedy acc | random: code freq | ground truth: greedy acc | "
               "entropy new/old | clip new/old | approx_kl new/old |")
    out.append("|---|---|---|---|---|---|---|---|")
    for i, (model, suffix, diffs, ratios) in enumerate(rows):
        cells = []
        for key, _ in QUANTITIES:
            v = diffs[key]
            if v is None:
                cells.append("-")
                continue
            txt = f"{100 * v[0]:+.1f} [{100 * v[1]:+.1f}, {100 * v[2]:+.1f}]"
            if v[1] > 0 or v[2] < 0:
                txt = f"**{txt}**" + (" (H)" if (i, key) in survivors else "")
            cells.append(txt)
        cells += ["-" if ratios[k] is None else f"{ratios[k]:.2f}" for k, _ in RATIOS]
        out.append(f"| {model} | {names[suffix]} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", required=True, help="markdown file holding the old map's block")
    ap.add_argument("--old-name", default="regime-map", help="the old block's name (results:NAME)")
    ap.add_argument("--db", required=True, help="the new map's results database")
    ap.add_argument("--suite", default="regime-map")
    ap.add_argument("--readme", help="write between the results:NAME markers of this file")
    ap.add_argument("--name", default="regime-map-moves")
    a = ap.parse_args()
    old = parse_old(a.old, a.old_name)
    _, new = point_stats(a.db, a.suite)
    rows, survivors, n = compare(old, new)
    if not rows:
        fail(a.db, "no point in common with the old map")
    text = render(rows, survivors, n, f"`{a.old}` block {a.old_name}", a.db)
    if a.readme:
        replace_block(a.readme, "results", a.name, text, tool="map_moves")
    else:
        print(text, end="")


if __name__ == "__main__":
    main()
