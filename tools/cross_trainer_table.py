#!/usr/bin/env python3
"""cross_trainer_table.py: every claim of two goldens of the same cells, trained by two trainers, side by side.

    python3 tools/cross_trainer_table.py golden/quick.toml golden/quick-trl.toml [--names rlvrbench,TRL]
                                         [--readme README.md] [--marker cross-trainer]

For each claim both goldens hold (a cell's gain, a marker over steps, a contrast of two cells), the
table gives each trainer's value with its one-seed interval (mean +- 1.96 x sd over the golden's
seeds), the difference of the means, Welch's t on the two goldens' per-seed values (seed_values) and
whether the two disagree beyond noise: |t| above the two-sided 1% point of Student's t at Welch's
degrees of freedom (pre-registered in results/measure/README.md, "TRL as a peer"; no family
correction: the table explains, it does not judge). Markers whose registry entry is log-scale
(clip_frac, approx_kl) are compared on log values (a floor of 1e-6 for exact zeros, which clipping
turned off gives); their values print as geometric means. With --readme the table replaces the text
between `<!-- results:MARKER:begin -->` and `<!-- results:MARKER:end -->`; a README without them
is exit 2 naming it. Exit 2 also for a golden without per-seed values or unreadable.
"""
import argparse
import math
import sys
import tomllib
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks
from student_t import t_two_sided_p, t_quantile_two_sided  # tools/student_t.py

LOG_SCALE = {"clip_frac", "approx_kl"}  # results/metric.h's log_scale markers
FLOOR = 1e-6


class BadInput(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# The goldens


def claim_key(c):
    kind = c.get("kind", "gain")
    if kind == "contrast":
        return (kind, c["model"], f"{c['reward']} - {c['minus']}", c["metric"])
    return (kind, c["model"], c["reward"], c["metric"])


def load(path):
    try:
        with open(path, "rb") as f:
            g = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise BadInput(f"{path}: {e}")
    out = {}
    for c in g.get("cell", []):
        if c.get("kind") == "probe":
            continue
        vals = c.get("seed_values")
        if not isinstance(vals, list) or len(vals) < 2:
            raise BadInput(f"{path}: {c.get('model')}/{c.get('reward')} {c.get('metric')}: seed_values: missing (re-write the golden with this build)")
        out[claim_key(c)] = [float(v) for v in vals]
    return out


def scale(key, vals):
    return [math.log(max(v, FLOOR)) for v in vals] if key[0] == "marker" and key[3] in LOG_SCALE else vals


def mean_sd(xs):
    m = sum(xs) / len(xs)
    return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def welch(a, b):
    (ma, sa), (mb, sb) = mean_sd(a), mean_sd(b)
    va, vb = sa * sa / len(a), sb * sb / len(b)
    if va + vb == 0:
        return (0.0 if ma == mb else math.copysign(math.inf, mb - ma)), math.inf
    t = (mb - ma) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / ((va * va / (len(a) - 1) if va else 0) + (vb * vb / (len(b) - 1) if vb else 0))
    return t, df


def fmt_value(key, xs):
    m, sd = mean_sd(scale(key, xs))
    if key[0] == "marker" and key[3] in LOG_SCALE:
        return f"{math.exp(m):.3g} (x/ {math.exp(1.96 * sd):.2f})"
    pts = key[0] != "marker" and key[3] in ("accuracy", "code_frequency")
    f = 100.0 if pts else 1.0
    return f"{m * f:+.1f} ± {1.96 * sd * f:.1f}" if pts else f"{m:.3g} ± {1.96 * sd:.2g}"


def rows(ga, gb):
    out = []
    for key in ga:
        if key not in gb:
            continue
        a, b = scale(key, ga[key]), scale(key, gb[key])
        t, df = welch(a, b)
        crit = t_quantile_two_sided(0.01, df) if math.isfinite(df) else 2.576
        diff = mean_sd(b)[0] - mean_sd(a)[0]
        out.append({"key": key, "a": fmt_value(key, ga[key]), "b": fmt_value(key, gb[key]), "t": t, "df": df,
                    "crit": crit, "disagree": abs(t) > crit, "diff": diff})
    return out


def render(table, names, na, nb):
    lines = [f"| claim | {names[0]} ({na} seeds) | {names[1]} ({nb} seeds) | Welch t (df) | beyond noise (1%) |",
             "|---|---|---|---|---|"]
    for r in table:
        kind, model, cell, metric = r["key"]
        what = {"gain": f"{cell}: {metric} gain (points)", "marker": f"{cell}: {metric}, mean over steps",
                "contrast": f"{cell}: {metric} (points)"}[kind]
        tt = "±inf" if not math.isfinite(r["t"]) else f"{r['t']:+.2f}"
        df = "–" if not math.isfinite(r["df"]) else f"{r['df']:.1f}"
        lines.append(f"| {what} | {r['a']} | {r['b']} | {tt} ({df}) | {'**yes**' if r['disagree'] else 'no'} |")
    n = sum(r["disagree"] for r in table)
    lines.append("")
    lines.append(f"{n} of {len(table)} claims differ beyond noise between the two trainers. Values: mean ± 1.96 sd of one "
                 "seed (accuracy and code frequency in points); clip_frac and approx_kl as geometric means (x/ the "
                 "one-seed factor). Generated by tools/cross_trainer_table.py from the two goldens.")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("golden_a")
    ap.add_argument("golden_b")
    ap.add_argument("--names", default="rlvrbench,TRL")
    ap.add_argument("--readme")
    ap.add_argument("--marker", default="cross-trainer")
    a = ap.parse_args()
    try:
        names = a.names.split(",")
        if len(names) != 2:
            raise BadInput(f"--names: expected two names separated by a comma, got {a.names!r}")
        ga, gb = load(a.golden_a), load(a.golden_b)
        table = rows(ga, gb)
        if not table:
            raise BadInput(f"{a.golden_b}: no claim in common with {a.golden_a}")
        text = render(table, names, len(next(iter(ga.values()))), len(next(iter(gb.values()))))
        if a.readme:
            replace_block(a.readme, "results", a.marker, text, tool="cross_trainer_table")
        else:
            sys.stdout.write(text)
        return 0
    except BadInput as e:
        print(f"cross_trainer_table: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
