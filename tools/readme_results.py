#!/usr/bin/env python3
"""Regenerates the README's measured tables of a suite from the results database.

Reads `rlvrbench compare --format json` on the golden's seeds (what the golden measured) and
`rlvrbench power --format json --no-train` (the mutants and the control on fresh seeds), and
writes markdown between the markers <!-- results:SUITE:begin --> and <!-- results:SUITE:end -->
in README.md. Nothing is typed by hand: rerun it after `golden update` or a power measurement.

  python3 tools/readme_results.py --db results/quick-measure.db --suite suites/quick.toml \
      --golden golden/quick.toml --golden-seeds 1,2,3,4,5 --seeds 6,7,8 --control-seeds 6,7,8,9,10
"""
import argparse
import json
import re
import subprocess
import sys
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"readme_results: {' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
    return json.loads(p.stdout)


def pts(x):
    return "-" if x is None else f"{100 * x:+.1f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/app/rlvrbench")
    ap.add_argument("--db", required=True)
    ap.add_argument("--suite", required=True)
    ap.add_argument("--golden", required=True)
    ap.add_argument("--golden-seeds", required=True)
    ap.add_argument("--seeds", help="the mutants' seeds of the power table (omitted: no power table, the golden has none yet)")
    ap.add_argument("--control-seeds", help="the control's seeds (with --seeds)")
    ap.add_argument("--group", type=int, default=1, help="judge the seeds this many at a time (power --group): runs of K seeds")
    ap.add_argument("--block", help="the README block's name (default: the suite's): results:NAME")
    ap.add_argument("--power-only", action="store_true", help="only the power table (a second block beside the golden's)")
    ap.add_argument("--mutants", help="only these mutants (A,B: the ones measured so far); default: all the suite declares")
    ap.add_argument("--readme", default="README.md")
    a = ap.parse_args()

    cmp = run_json([a.bin, "compare", "--suite", a.suite, "--golden", a.golden, "--db", a.db, "--seeds", a.golden_seeds,
                    "--format", "json"])
    if bool(a.seeds) != bool(a.control_seeds):
        sys.exit("readme_results: --seeds and --control-seeds go together")
    pw = None if not a.seeds else run_json([a.bin, "power", a.suite, "--golden", a.golden, "--db", a.db, "--seeds", a.seeds, "--control-seeds",
                   a.control_seeds, "--no-train", "--quiet", "--format", "json", "--group", str(a.group)] + (["--mutants", a.mutants] if a.mutants else []))
    name = a.block or cmp["suite"]
    out = []
    if a.power_only and pw is None:
        sys.exit("readme_results: --power-only needs --seeds and --control-seeds")
    if not a.power_only:
        golden_tables(a, cmp, out)
    power_table(a, pw, out)
    text = "\n".join(out) + "\n"
    replace_block(a.readme, "results", name, text, tool="readme_results")
    print(f"readme_results: {a.readme}: {name} tables regenerated")


def golden_tables(a, cmp, out):
    # 1. what the golden measured: gains per cell (seed mean, sd of one seed, the seeds' values)
    out.append(f"Measured on seeds {a.golden_seeds} (`rlvrbench compare --seeds {a.golden_seeds} --format json`); gain = "
               "step-final minus step 0 in points, mean over seeds +- the sd of one seed; per-seed values in brackets.\n")
    out.append(f"| claim | baseline | gain (mean +- sd of one seed) | MDE 1 seed / {cmp.get('mde_seeds', 5)} seeds | per seed |")
    out.append("|---|---|---|---|---|")
    for c in cmp["claims"]:
        if c["kind"] in ("marker", "probe") or "measured" not in c or c["measured"] is None:
            continue
        m = c["measured"]
        sd = c["golden"]["sd_seed"]
        base = "" if m.get("baseline") is None else f"{100 * m['baseline']:.1f}%"
        seeds = ", ".join(pts(x) for x in m["seed_gains"])
        j = c["judged"]
        mde = " / ".join("inf" if v == "inf" else "-" if v is None else f"{100 * v:.1f}" for v in (j.get("mde_1"), j.get("mde_k")))
        if j.get("underpowered"):
            mde += " (underpowered)"
        if c.get("science"):
            mde += " (science)"
        out.append(f"| {c['claim']} | {base} | {pts(m['gain'])} +- {100 * sd:.1f} | {mde} | {seeds} |")
    out.append("")
    # 1b. each cell's accuracy change taken apart (issue 34): strategy shift x gap + change within each strategy
    dec = run_json([a.bin, "query", "decompose", "--db", a.db, "--seeds", a.golden_seeds, "--format", "json"])
    rows = [d for d in dec if d["suite"] == cmp["suite"] and "@" not in d["cell"]]
    if rows:
        out.append(f"Each cell's accuracy change taken apart (`rlvrbench query decompose --seeds {a.golden_seeds}`): gain = "
                   "strategy shift x accuracy gap + change within each strategy, points, mean over seeds with Student's 95% "
                   "interval; per-strategy accuracy at step 0 -> the last eval (%).\n")
        out.append("| cell | gain | shift x gap | within strategies | code frequency | accuracy when coding | accuracy in prose | seeds (split) |")
        out.append("|---|---|---|---|---|---|---|---|")
        iv = lambda d, k: "-" if d.get(k) is None else f"{pts(d[k])} [{pts(d[k + '_lo'])}, {pts(d[k + '_hi'])}]"
        pc = lambda d, k: "-" if d.get(k) is None else f"{100 * d[k]:.1f}"
        for d in rows:
            out.append(f"| {d['cell']} | {iv(d, 'gain')} | {iv(d, 'shift')} | {iv(d, 'within')} | {pc(d, 'code_step0')} -> {pc(d, 'code_last')} "
                       f"| {pc(d, 'acc_code_step0')} -> {pc(d, 'acc_code_last')} | {pc(d, 'acc_lang_step0')} -> {pc(d, 'acc_lang_last')} "
                       f"| {d['seeds']} ({d['split_seeds']}) |")
        out.append("")
    # 2. markers
    out.append("Mechanism markers (mean over steps, then over seeds; log-scale ones as geometric means):\n")
    out.append("| claim | value | sd of one seed (judged scale) |")
    out.append("|---|---|---|")
    for c in cmp["claims"]:
        if c["kind"] != "marker" or c.get("measured") is None:
            continue
        v = c["measured"]["gain"]
        out.append(f"| {c['claim']} | {v:.4g} | {c['golden']['sd_seed']:.3g} |")
    out.append("")
    probes = [c for c in cmp["claims"] if c["kind"] == "probe" and c.get("measured") is not None]
    if probes:
        # 2b. the contamination probe (a bound, not a spread)
        out.append("Contamination probe (Wu et al.: exact completion of the last 40% of each eval problem), judged against a bound:\n")
        out.append("| claim | measured | bound |")
        out.append("|---|---|---|")
        for c in probes:
            g = c["golden"]
            bound = ", ".join(b for b in ([f">= {100 * g['min']:.1f}%"] if g.get("min") is not None else []) +
                              ([f"<= {100 * g['max']:.1f}%"] if g.get("max") is not None else []))
            out.append(f"| {c['claim']} | {100 * c['measured']['gain']:.1f}% | {bound} |")
        out.append("")


def power_table(a, pw, out):
    # 3. power
    if pw is None:
        out.append("Detection power: not measured on this golden yet (no mutant or held-out control seed run since it was written).")
        return
    unit, units = ("seed", "seeds") if a.group == 1 else (f"run of {a.group} seeds", f"runs of {a.group} seeds")
    science = {m["claim"] for m in pw.get("mde", [])}  # the science claims first among those that fired
    method = (f"seed permutation over {len(pw['golden_seeds'])} golden seeds, {pw['holm_m']} claims"
              if pw.get("statistic") == "seed-permutation-max" else f"Holm over {pw['holm_m']} claims")
    out.append(f"Detection power (`rlvrbench power --seeds {a.seeds} --control-seeds {a.control_seeds}" + (f" --mutants {a.mutants}" if a.mutants else "")
               + (f" --group {a.group}" if a.group > 1 else "") + f"`): family-wise false-alarm rate <= {100 * pw['alpha']:.0f}% per {unit} ({method}).\n")
    out.append(f"| mutant | caught ({units}) | claims that fired ({units} fired / run" + (", predicted power" if a.group == 1 else "") + ") |")
    out.append("|---|---|---|")
    for m in pw["mutants"]:
        if m.get("traced") and m["measured"] == 0:
            continue  # a ladder rung not run on these seeds
        fired = sorted((c for c in m["claims"] if c["fired"] > 0), key=lambda c: c["claim"] not in science)
        txt = "; ".join(
            f"{c['claim']} {c['fired']}/{c['seeds']}" + (" exact" if c["exact"] else
                                                           f" ({c['predicted_power']:.2f})" if c["predicted_power"] is not None else "")
            for c in fired[:4])
        if not fired:
            best = max((c for c in m["claims"] if c["predicted_power"] is not None), key=lambda c: c["predicted_power"], default=None)
            txt = "none" + (f"; closest {best['claim']} (predicted {best['predicted_power']:.2f})" if best else "")
        exp = " (ladder rung, traced)" if m.get("traced") else "" if m["expect_caught"] else " (expected missed)"
        out.append(f"| {m['name']}{exp} | {m['caught']}/{m['seeds_run']} | {txt} |")
    alarms = sum(len(c["false_alarms"]) for c in pw["control"])
    with_alarm = sum(1 for c in pw["control"] if c["false_alarms"])
    out.append("")
    bound = pw.get("control_alarm_upper95")
    out.append(f"Control (no mutant) on seeds {a.control_seeds}: {with_alarm} of {len(pw['control'])} {units} with a false alarm "
               + (f"(exact one-sided 95% upper bound on the rate: {100 * bound:.1f}%; " if bound is not None else "(")
               + f"{alarms} claims in all" + ("" if not alarms else ": " + "; ".join(
                   f"{unit} {c['seed']} {x}" for c in pw["control"] for x in c["false_alarms"])) + ").")
    if pw.get("mde"):
        out.append("")
        who = "Science claims'" if pw.get("science_declared") else "Gain and contrast claims' (no [science] block)"
        out.append(f"{who} minimum detectable effect (points; 1 seed / {pw['mde_seeds']} seeds): " + "; ".join(
            f"{m['claim']} {100 * m['value']:+.1f}: {100 * m['mde_1']:.1f} / {100 * m['mde_k']:.1f}" + (" (underpowered)" if m["underpowered"] else "")
            for m in pw["mde"]) + ".")


if __name__ == "__main__":
    main()
