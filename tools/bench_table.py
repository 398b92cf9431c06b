#!/usr/bin/env python3
"""Writes the README's benchmark tables from a committed Google Benchmark JSON file.

Reads bench/step_bench's JSON (--benchmark_out, with repetitions) and prints, or writes between
<!-- bench:step:begin --> and <!-- bench:step:end --> in README.md, one row per configuration:
the median over repetitions of the step time and each stage's fraction of the fp32 GEMM peak
measured in the same run, with the min-max of the step time, and where the JSON has them the same
fractions by CPU time (a stage's FLOPs per CPU second over the GEMM's, steady under other load).
Nothing is typed by hand.

bench/tokenizer_bench's JSON (its BM_Encode rows) goes between <!-- bench:tokenizer:begin --> and
<!-- bench:tokenizer:end -->: per vocabulary, rlvrbench's single-thread encode MB/s by the wall clock
(the references time themselves by the wall clock), HF tokenizers' and the JavaScript port's MB/s on
the same corpus in the same run, and the ratios (the benchmark's x_vs_hf and x_vs_js).

bench/trl_speed.py's JSON (rlvrbench beside TRL) goes between <!-- bench:trl:begin --> and
<!-- bench:trl:end -->: the tables trl_speed.py itself renders from it (its `markdown`), so the
README and the committed .md say the same.

  python3 tools/bench_table.py results/measure/step_bench-stack2.json [--readme README.md]
  python3 tools/bench_table.py results/measure/tokenizer_bench.json [--readme README.md]
  python3 tools/bench_table.py results/measure/trl-speed-idle.json [--readme README.md]
"""
import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
from readme_block import replace_block  # tools/readme_block.py: the one writer of README blocks

MODELS = {"0": "zoo shapes (synth-qwen-math-7b)", "1": "quick recipe (synth-micro)"}


def rows(data):
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        m = re.search(r"responses:(\d+)/threads:(\d+)/model:(\d+)", b["name"])
        if not m:
            continue
        runs.setdefault(m.groups(), []).append(b)
    out = []
    # Runs of a step_bench that has them also get the stages against the peak by CPU time.
    cpu = all("fwd_bwd_of_peak_cpu" in b for bs in runs.values() for b in bs)
    for (resp, thr, model), bs in sorted(runs.items(), key=lambda kv: (kv[0][2], int(kv[0][0]), int(kv[0][1]))):
        med = lambda k: statistics.median(b[k] for b in bs)
        step = [b["step_s"] for b in bs]
        row = (f"| {MODELS.get(model, model)} | {resp} | {thr} | {med('step_s'):.3f} ({min(step):.3f}-{max(step):.3f}) "
               f"| {med('rollout_s'):.3f} / {med('rollout_of_peak'):.2f} | {med('old_logp_s'):.3f} / {med('old_logp_of_peak'):.2f} "
               f"| {med('fwd_bwd_s'):.3f} / {med('fwd_bwd_of_peak'):.2f} | {med('gemm_peak_GFLOP/s'):.1f} |")
        if cpu:
            row += (f" {med('rollout_of_peak_cpu'):.2f} / {med('old_logp_of_peak_cpu'):.2f} / {med('fwd_bwd_of_peak_cpu'):.2f}"
                    f" | {med('gemm_peak_cpu_GFLOP/s'):.1f} |")
        out.append(row + f" {len(bs)} |")
    head = ("| model | responses | threads | step s, median (min-max) | rollout s / of peak | old log-probs s / of peak "
            "| forward + backward s / of peak | GEMM peak GFLOP/s |")
    if cpu:
        head += " by CPU time: rollout / old log-probs / forward + backward of peak | GEMM peak GFLOP per CPU s |"
    head += " repetitions |\n" + "|---" * (10 if cpu else 8) + "|---|"
    return head + "\n" + "\n".join(out)


def trl_tables(data):
    """bench/trl_speed.py's own markdown of its JSON, without the page title (one renderer for both)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "trl_speed.py")
    spec = importlib.util.spec_from_file_location("trl_speed", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    lines = mod.markdown(data).rstrip("\n").split("\n")
    return "\n".join(line.replace("## ", "**", 1) + "**" if line.startswith("## ") else line for line in lines[2:])


VOCABS = {"qwen": "Qwen3 / Qwen2.5 (the Qwen3 file)", "llama": "Llama-3.1"}


def tokenizer_rows(data):
    by = {b["name"]: b for b in data["benchmarks"] if b.get("run_type", "iteration") == "iteration"}
    out = []
    for key, label in VOCABS.items():
        ours = next((b for n, b in by.items() if n.startswith(f"BM_Encode/{key}")), None)
        if ours is None:
            continue
        # bytes_per_second is per CPU second; the wall-clock rate is the one the references' is comparable to.
        wall = ours["bytes_per_second"] * ours["cpu_time"] / ours["real_time"] / 1e6
        cells = [label, f"{wall:.2f} ({ours['MB/s']:.2f} by CPU time)"]
        for ref in ("hf", "js"):
            r = next((b for n, b in by.items() if n.startswith(f"BM_Reference/{ref}_{key}/")), None)
            cells += [f"{r['MB/s']:.2f}", f"{wall / r['MB/s']:.1f}x"] if r and r.get("MB/s") else ["-", "-"]
        out.append("| " + " | ".join(cells) + " |")
    head = ("| vocabulary | rlvrbench MB/s, wall (by CPU time) | HF tokenizers MB/s | rlvrbench / HF tokenizers "
            "| JavaScript port MB/s | rlvrbench / JavaScript port |\n|---|---|---|---|---|---|")
    return head + "\n" + "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json")
    ap.add_argument("--readme")
    a = ap.parse_args()
    try:
        with open(a.json) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"bench_table: {a.json}: {e}")
    ctx = data.get("context", {})
    tokenizer = any(b["name"].startswith("BM_Encode/") for b in data.get("benchmarks", []))
    trl = "steps" in data and "generate" in data
    if trl:
        table = f"`{a.json}`:\n\n" + trl_tables(data)
    elif tokenizer:
        load = ctx.get("load_avg") or ["?"]
        table = (f"`{a.json}` ({ctx.get('date', '?')}, {ctx.get('num_cpus', '?')} CPUs, load average {load[0]:.1f} "
                 f"at the start, one thread):\n\n" + tokenizer_rows(data))
    else:
        table = (f"`{a.json}` ({ctx.get('date', '?')}, {ctx.get('cpu_kernels', '?')}, {ctx.get('num_cpus', '?')} CPUs):\n\n"
                 + rows(data))
    if not a.readme:
        print(table)
        return
    replace_block(a.readme, "bench", "trl" if trl else "tokenizer" if tokenizer else "step", table + "\n", tool="bench_table")


if __name__ == "__main__":
    main()
