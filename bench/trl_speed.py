#!/usr/bin/env python3
"""trl_speed.py: rlvrbench beside TRL in one run: seconds per GRPO step, and the sampler beside
transformers' generate(), interleaved pair by pair (issue 35, item 4).

    .venv/bin/python bench/trl_speed.py --rlvrbench BIN [--zoo DIR] [--pairs 3] [--steps 4]
        [--threads 1,2] [--batches 1,64] [--json OUT.json] [--md OUT.md] [--profile] [--quick]

What is compared (both sides fresh processes, fp32 on the CPU, the same thread count):
1. GRPO step: quick's recipe (suites/quick.toml, cell synth-micro/random0.5, seed 1: 16 prompts x 8
   samples, 128 max tokens, 8 updates per rollout, lr 1e-4) for --steps steps, the first skipped as
   warm-up. rlvrbench: `rlvrbench train --suite suites/quick.toml --cell ...` (eval on one problem
   only), its step_metrics rows. TRL: tools/trl_runner.py's own mapping and training (GRPOTrainer,
   the same prompts and `rlvrbench reward`), no evaluation. Split, the same on both sides:
   generation = the sampler's call (rlvrbench: the rollout, response tokens / rollout_tokens_per_s;
   TRL: the wall time of `_generate_single_turn`, i.e. model.generate), update = step - generation
   (scoring, old log-probs, the 8 optimizer updates). TRL's scoring part (its
   _generate_and_score_completions minus generation: rewards through rlvrbench, old log-probs) is
   recorded apart. rlvrbench's step_seconds spans rollout to last optimizer step; TRL's spans one
   on_step_end to the next (its logging included).
2. Sampler: synth-micro, the chatml prompt of the first training problem, temperature 1.0,
   exactly 128 new tokens per sample on both sides (EOS off: a copy of the model folder whose
   config.json and generation_config.json list no EOS id, read by both), batch 1 and 64.
   rlvrbench: `rlvrbench generate --n N --max-batch B --threads T` (N = 128 at batch 1, 512 at 64);
   its process start (a 1-token run, same pair) is subtracted from its wall time. transformers:
   model.generate(do_sample=True, num_return_sequences=B, use_cache=True), one warm-up call, then
   16 calls at batch 1 or 4 at batch 64, timed around the calls. tokens/s = generated tokens / time.
Each pair runs the two sides back to back (which goes first alternates), so load drift hits both;
the report gives the median and min-max of each side and of the ratio over the pairs.

--quick (the CTest smoke): 1 pair, 2 steps, batch 4, 1 thread, 2 prompts per rollout.
Exit: 0 measured; 2 bad arguments; 4 a side failed (its stderr's tail printed).
"""
import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SUITE = os.path.join(ROOT, "suites", "quick.toml")
CELL = "quick/synth-micro/random0.5/1"
EXIT_INPUT, EXIT_ENV = 2, 4


class Failed(Exception):
    pass


def run(cmd, env=None, what=""):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise Failed(f"{what or cmd[0]} exited {p.returncode}: {p.stderr.strip()[-1500:]}")
    return p.stdout


# ----------------------------------------------------------------------------------------------
# Workers (fresh processes: `--worker trl|hf`, JSON on stdout)


def trl_worker(a):
    """TRL's GRPOTrainer through tools/trl_runner.py's machinery, no evaluation; per-step timings."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import trl_runner as tr
    with open(a.config, "rb") as f:
        flat = tr.flatten(tomllib.load(f))
    trl_keys, _ = tr.map_keys(flat, tr.read_key_table(os.path.join(ROOT, "docs", "other-trainers.md")), a.config)
    shape = tr.shape_keys(flat, a.config)
    mods = tr.import_references()
    trl = mods["trl"]
    U = flat["train.updates_per_rollout"]
    sample_s = []  # model.generate's wall time, one per rollout
    orig_gen = trl.GRPOTrainer._generate_single_turn

    def gen_timed(self, *x, **kw):
        t = time.perf_counter()
        out = orig_gen(self, *x, **kw)
        sample_s.append(time.perf_counter() - t)
        return out

    trl.GRPOTrainer._generate_single_turn = gen_timed  # the base class: trl_runner's subclass inherits it
    prof = None
    if a.profile:  # cProfile of the last step only (from its rollout on)
        import cProfile
        prof = cProfile.Profile()
        orig_prep = trl.GRPOTrainer._prepare_inputs

        def prep(self, *x, **kw):
            if self.state.global_step == (flat["train.steps"] - 1) * U and not getattr(prof, "_on", False):
                prof._on = True
                prof.enable()
            return orig_prep(self, *x, **kw)

        trl.GRPOTrainer._prepare_inputs = prep
    rows = tr.load_problems(flat["data.train"], flat.get("data.train_limit", 0), a.rlvrbench, flat["model.template"])
    rewards = tr.Rewards(a.rlvrbench, flat["reward.name"], flat.get("reward.seed", 0), U)
    work = tempfile.mkdtemp(prefix="trl-speed-")
    try:
        trainer, _, times, t0, gen_s = tr.train(mods, flat, trl_keys, shape, rows, rewards, work, set(),
                                                int(flat["run.threads"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if prof is not None:
        prof.disable()
    metrics = tr.step_metrics(trainer, U, flat["train.steps"], times, t0, gen_s)
    steps = []
    for m, gs, ss in zip(metrics, gen_s, sample_s):
        v = m["values"]
        steps.append({"step": m["step"], "step_s": v["step_seconds"], "generation_s": ss, "score_s": gs - ss,
                      "update_s": v["step_seconds"] - ss, "response_length": v["response_length"]})
    out = {"steps": steps, "versions": {k: mods[k].__version__ for k in ("torch", "transformers", "trl")},
           "threads": mods["torch"].get_num_threads()}
    if prof is not None:
        import pstats
        st = pstats.Stats(prof)
        total = sum(v[2] for v in st.stats.values())
        top = sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:25]
        out["profile"] = {"total_tottime_s": total, "top_tottime": [
            {"function": f"{os.path.relpath(k[0], os.path.dirname(os.path.dirname(trl.__file__))) if k[0].startswith('/') else k[0]}:{k[1]}({k[2]})",
             "calls": v[1], "tottime_s": v[2], "cumtime_s": v[3]} for k, v in top]}
    json.dump(out, sys.stdout)
    return 0


def hf_worker(a):
    """transformers' generate(): warm-up, then a.calls timed calls of batch a.batch."""
    import warnings
    warnings.filterwarnings("ignore")
    import torch
    import transformers
    transformers.logging.set_verbosity_error()
    torch.set_num_threads(a.threads)
    tok = transformers.AutoTokenizer.from_pretrained(a.model)
    model = transformers.AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.float32).eval()
    model.generation_config.eos_token_id = None  # exactly max_new_tokens per sample (the folder lists no EOS)
    ids = tok(a.prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
    kw = dict(do_sample=True, temperature=1.0, top_p=1.0, top_k=0, max_new_tokens=a.max_new_tokens, use_cache=True,
              num_return_sequences=a.batch, pad_token_id=0)
    torch.manual_seed(a.seed)
    with torch.no_grad():
        model.generate(ids, **{**kw, "max_new_tokens": 8})  # warm-up
        tokens, t = 0, time.perf_counter()
        for _ in range(a.calls):
            out = model.generate(ids, **kw)
            tokens += out[:, ids.shape[1]:].numel()
        wall = time.perf_counter() - t
    json.dump({"tokens": tokens, "wall_s": wall, "prompt_tokens": ids.shape[1], "threads": torch.get_num_threads(),
               "versions": {"torch": torch.__version__, "transformers": transformers.__version__}}, sys.stdout)
    return 0


# ----------------------------------------------------------------------------------------------
# The two sides, one measurement each


def resolved_config(a, env, work, steps, threads, extra):
    """The cell's full run TOML as rlvrbench resolves it (a 0-step run's export), with steps and threads."""
    db = os.path.join(work, "resolve.db")
    run([a.rlvrbench, "train", "--suite", SUITE, "--cell", CELL, "--set", "train.steps=0", "--set", "data.eval_limit=1",
         "--db", db, "--quiet"], env, "rlvrbench train (resolve)")
    head = json.loads(run([a.rlvrbench, "export", "--run", "1", "--db", db], env, "rlvrbench export").splitlines()[0])
    os.remove(db)
    cfg = tomllib.loads(head["config_toml"])
    cfg["train"]["steps"] = steps
    cfg["run"]["threads"] = threads
    for k, v in extra.items():
        s, key = k.split(".")
        cfg[s][key] = v
    return cfg


def toml_text(cfg):
    def val(v):
        return json.dumps(v) if isinstance(v, str) else ("true" if v is True else "false" if v is False else repr(v))
    return "".join(f"[{s}]\n" + "".join(f"{k} = {val(v)}\n" for k, v in body.items()) + "\n" for s, body in cfg.items())


def rb_steps(a, env, work, steps, threads, extra, tag):
    db = os.path.join(work, f"rb-{tag}.db")
    sets = [f"train.steps={steps}", f"run.threads={threads}", "data.eval_limit=1", "eval.every=0"]
    sets += [f"{k}={v}" for k, v in extra.items()]
    t = time.perf_counter()
    run([a.rlvrbench, "train", "--suite", SUITE, "--cell", CELL, "--db", db, "--quiet"] + sum((["--set", s] for s in sets), []),
        env, "rlvrbench train")
    wall = time.perf_counter() - t
    with sqlite3.connect(db) as c:
        rows = c.execute("SELECT step, key, value FROM step_metrics WHERE run = (SELECT MAX(id) FROM runs)").fetchall()
    os.remove(db)
    by = {}
    for s, k, v in rows:
        by.setdefault(s, {})[k] = v
    n = extra.get("train.prompts_per_rollout", 16) * 8
    out = []
    for s in sorted(by):
        m = by[s]
        gen = m["response_length"] * n / m["rollout_tokens_per_s"]
        out.append({"step": s, "step_s": m["step_seconds"], "generation_s": gen, "update_s": m["step_seconds"] - gen,
                    "response_length": m["response_length"]})
    return {"steps": out, "process_wall_s": wall}


def trl_steps(a, env, work, cfg, tag, profile=False):
    path = os.path.join(work, f"trl-{tag}.toml")
    with open(path, "w") as f:
        f.write(toml_text(cfg))
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", "trl", "--config", path, "--rlvrbench", a.rlvrbench]
    t = time.perf_counter()
    out = json.loads(run(cmd + (["--profile"] if profile else []), env, "TRL worker"))
    out["process_wall_s"] = time.perf_counter() - t
    return out


def rb_generate(a, env, model, prompt, n, batch, threads, seed, max_new):
    cmd = [a.rlvrbench, "generate", "--model", model, "--prompt", prompt, "--temperature", "1", "--seed", str(seed),
           "--threads", str(threads)]
    t = time.perf_counter()
    run(cmd + ["--n", "1", "--max-new-tokens", "1"], env, "rlvrbench generate (start)")
    start = time.perf_counter() - t
    t = time.perf_counter()
    out = run(cmd + ["--n", str(n), "--max-batch", str(batch), "--max-new-tokens", str(max_new)], env, "rlvrbench generate")
    wall = time.perf_counter() - t
    lens = [len(json.loads(x)["tokens"]) for x in out.splitlines() if x.strip()]
    if len(lens) != n or any(x != max_new for x in lens):
        raise Failed(f"rlvrbench generate: expected {n} samples of {max_new} tokens, got {len(lens)} ({set(lens)})")
    return {"tokens": sum(lens), "wall_s": wall, "start_s": start, "net_s": max(wall - start, 1e-9)}


def hf_generate(a, env, model, prompt, calls, batch, threads, seed, max_new):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", "hf", "--model", model, "--prompt", prompt,
           "--calls", str(calls), "--batch", str(batch), "--threads", str(threads), "--seed", str(seed),
           "--max-new-tokens", str(max_new)]
    out = json.loads(run(cmd, env, "transformers worker"))
    if out["tokens"] != calls * batch * max_new:
        raise Failed(f"transformers generate: {out['tokens']} tokens, expected {calls * batch * max_new}")
    return out


def noeos_copy(src, dst):
    """The model folder with no EOS id (config.json and generation_config.json), weights linked."""
    src = os.path.abspath(src)  # the links live in a temporary folder: a relative target would dangle
    os.makedirs(dst, exist_ok=True)
    for f in os.listdir(src):
        if f not in ("config.json", "generation_config.json") and os.path.isfile(os.path.join(src, f)):
            os.symlink(os.path.join(src, f), os.path.join(dst, f))
    with open(os.path.join(src, "config.json")) as f:
        c = json.load(f)
    c["eos_token_id"] = []
    with open(os.path.join(dst, "config.json"), "w") as f:
        json.dump(c, f)
    with open(os.path.join(dst, "generation_config.json"), "w") as f:
        json.dump({"eos_token_id": []}, f)
    return dst


# ----------------------------------------------------------------------------------------------
# Summaries


def spread(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}


def mean(xs):
    return sum(xs) / len(xs)


def step_summary(pairs, warm):
    """Per pair: each side's mean over its steps after the warm-up; then medians over pairs."""
    out = {}
    for part in ("step_s", "generation_s", "update_s"):
        rb = [mean([s[part] for s in p["rlvrbench"]["steps"][warm:]]) for p in pairs]
        tl = [mean([s[part] for s in p["trl"]["steps"][warm:]]) for p in pairs]
        out[part] = {"rlvrbench": spread(rb), "trl": spread(tl), "ratio": spread([t / r for r, t in zip(rb, tl)])}
    out["trl_score_s"] = spread([mean([s["score_s"] for s in p["trl"]["steps"][warm:]]) for p in pairs])
    for side in ("rlvrbench", "trl"):
        out[f"{side}_response_length"] = spread([mean([s["response_length"] for s in p[side]["steps"][warm:]]) for p in pairs])
    return out


def gen_summary(pairs):
    rb = [p["rlvrbench"]["tokens"] / p["rlvrbench"]["net_s"] for p in pairs]
    hf = [p["transformers"]["tokens"] / p["transformers"]["wall_s"] for p in pairs]
    rb_gross = [p["rlvrbench"]["tokens"] / p["rlvrbench"]["wall_s"] for p in pairs]
    return {"rlvrbench_tok_s": spread(rb), "transformers_tok_s": spread(hf), "ratio": spread([r / h for r, h in zip(rb, hf)]),
            "rlvrbench_tok_s_with_start": spread(rb_gross), "ratio_with_start": spread([r / h for r, h in zip(rb_gross, hf)])}


def fmt(s, digits=3, unit=""):
    if s is None:
        return "-"
    return f"{s['median']:.{digits}f}{unit} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def markdown(res):
    L = [f"# rlvrbench beside TRL: speed (bench/trl_speed.py)", "",
         f"{res['started']}, {res['machine']}; load average at start {res['load_start']}, at end {res['load_end']}. "
         f"{res['pairs']} pair(s) per configuration, interleaved; median (min-max) over the pairs.", "",
         "## Seconds per GRPO step (quick's recipe on synth-micro; steps after the first)", "",
         "| threads | part | rlvrbench s | TRL s | TRL / rlvrbench |", "|---|---|---|---|---|"]
    for t, s in res["steps"].items():
        for part, name in (("step_s", "whole step"), ("generation_s", "generation (sampler)"), ("update_s", "update (rest of step)")):
            x = s["summary"][part]
            L.append(f"| {t} | {name} | {fmt(x['rlvrbench'])} | {fmt(x['trl'])} | {fmt(x['ratio'], 1)}x |")
        sm = s["summary"]
        L.append(f"| {t} | of TRL's update: scoring (rewards via rlvrbench, old log-probs) | - | {fmt(sm['trl_score_s'])} | - |")
        L.append(f"| {t} | mean response tokens | {fmt(sm['rlvrbench_response_length'], 1)} | {fmt(sm['trl_response_length'], 1)} | - |")
    L += ["", "## Sampler tokens/s (128 new tokens per sample, EOS off on both, temperature 1.0)", "",
          "| threads | batch | rlvrbench tok/s (start subtracted) | transformers generate() tok/s | ratio | rlvrbench with its process start | ratio |",
          "|---|---|---|---|---|---|---|"]
    for key, g in res["generate"].items():
        s = g["summary"]
        L.append(f"| {g['threads']} | {g['batch']} | {fmt(s['rlvrbench_tok_s'], 0)} | {fmt(s['transformers_tok_s'], 0)} | "
                 f"{fmt(s['ratio'], 1)}x | {fmt(s['rlvrbench_tok_s_with_start'], 0)} | {fmt(s['ratio_with_start'], 1)}x |")
    if res.get("trl_profile"):
        p = res["trl_profile"]
        L += ["", f"## Where TRL's step goes: cProfile of its last step, {p['threads']} thread(s) (not in the timings above)", "",
              f"Total tottime {p['total_tottime_s']:.2f} s (profiled, so slower than unprofiled).", "",
              "| function | calls | tottime s | cumtime s |", "|---|---|---|---|"]
        for e in p["top_tottime"][:15]:
            L.append(f"| `{e['function']}` | {e['calls']} | {e['tottime_s']:.3f} | {e['cumtime_s']:.3f} |")
    return "\n".join(L) + "\n"


# ----------------------------------------------------------------------------------------------


def measure_steps(a, env, work, threads, extra, res):
    """Seconds per GRPO step, rlvrbench and TRL in interleaved pairs, per thread count (res["steps"])."""
    for t in threads:
        cfg = resolved_config(a, env, work, a.steps, t, extra)
        pairs = []
        for i in range(a.pairs):
            p = {}
            order = ("rlvrbench", "trl") if i % 2 == 0 else ("trl", "rlvrbench")
            for side in order:
                p[side] = rb_steps(a, env, work, a.steps, t, extra, f"{t}-{i}") if side == "rlvrbench" \
                    else trl_steps(a, env, work, cfg, f"{t}-{i}")
            p["order"] = list(order)
            pairs.append(p)
            print(f"trl_speed: steps, {t} thread(s), pair {i + 1}: rlvrbench "
                  f"{mean([s['step_s'] for s in p['rlvrbench']['steps'][1:]]):.3f} s/step, TRL "
                  f"{mean([s['step_s'] for s in p['trl']['steps'][1:]]):.3f} s/step", file=sys.stderr)
        res["steps"][str(t)] = {"threads": t, "pairs": pairs, "summary": step_summary(pairs, 1)}
    if a.profile:
        cfg = resolved_config(a, env, work, 2, threads[0], extra)
        prof = trl_steps(a, env, work, cfg, "profile", profile=True)
        res["trl_profile"] = {"threads": threads[0], **prof["profile"]}


def measure_generate(a, env, work, model_dir, threads, batches, res):
    """The sampler beside transformers' generate(), EOS off, per thread count and batch (res["generate"])."""
    prompt = _first_prompt(a, env, model_dir)
    noeos = noeos_copy(model_dir, os.path.join(work, "synth-micro-noeos"))
    res["generate_prompt"] = prompt
    for t in threads:
        for b in batches:
            n_rb = 128 if b == 1 else 8 * b
            calls = 16 if b == 1 else 4
            if a.quick:
                n_rb, calls = 2 * b, 1
            pairs = []
            for i in range(a.pairs):
                p = {}
                order = ("rlvrbench", "transformers") if i % 2 == 0 else ("transformers", "rlvrbench")
                for side in order:
                    p[side] = rb_generate(a, env, noeos, prompt, n_rb, b, t, i + 1, 128) if side == "rlvrbench" \
                        else hf_generate(a, env, noeos, prompt, calls, b, t, i + 1, 128)
                p["order"] = list(order)
                pairs.append(p)
                print(f"trl_speed: generate, {t} thread(s), batch {b}, pair {i + 1}: rlvrbench "
                      f"{p['rlvrbench']['tokens'] / p['rlvrbench']['net_s']:.0f} tok/s, transformers "
                      f"{p['transformers']['tokens'] / p['transformers']['wall_s']:.0f} tok/s", file=sys.stderr)
            res["generate"][f"{t}x{b}"] = {"threads": t, "batch": b, "pairs": pairs, "summary": gen_summary(pairs)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rlvrbench", help="the rlvrbench front binary")
    ap.add_argument("--zoo", default=os.environ.get("RLVRBENCH_ZOO", os.path.join(ROOT, "results", "zoo")))
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--steps", type=int, default=4, help="GRPO steps per run (the first is warm-up)")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batches", default="1,64")
    ap.add_argument("--json", help="write every measurement here")
    ap.add_argument("--md", help="write the markdown table here")
    ap.add_argument("--profile", action="store_true", help="also cProfile one TRL step (a separate, untimed run)")
    ap.add_argument("--quick", action="store_true", help="smoke: 1 pair, 2 steps, batch 4, 1 thread, 2 prompts per rollout")
    ap.add_argument("--skip", default="", help="steps,generate: parts to leave out")
    # worker arguments
    ap.add_argument("--worker", choices=["trl", "hf"], help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    ap.add_argument("--prompt", help=argparse.SUPPRESS)
    ap.add_argument("--calls", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--batch", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--max-new-tokens", type=int, default=128, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker == "trl":
        return trl_worker(a)
    if a.worker == "hf":
        a.threads = int(a.threads)
        return hf_worker(a)
    if not a.rlvrbench:
        ap.error("--rlvrbench is required")
    if a.quick:
        a.pairs, a.steps, a.threads, a.batches = 1, 2, "1", "4"
    try:
        threads = [int(x) for x in a.threads.split(",")]
        batches = [int(x) for x in a.batches.split(",")]
    except ValueError:
        ap.error("--threads and --batches take comma-separated integers")
    model_dir = os.path.join(a.zoo, "synth-micro")
    if not os.path.isfile(os.path.join(model_dir, "model.safetensors")):
        print(f"trl_speed: {model_dir}: no synth-micro there (build the micro zoo or pass --zoo)", file=sys.stderr)
        return EXIT_INPUT
    if a.steps < 2 or a.pairs < 1:
        ap.error("--steps must be >= 2 (the first is warm-up) and --pairs >= 1")
    env = dict(os.environ, RLVRBENCH_ZOO=a.zoo, TRL_EXPERIMENTAL_SILENCE="1")
    extra = {"train.prompts_per_rollout": 2} if a.quick else {}
    skip = set(a.skip.split(",")) - {""}
    work = tempfile.mkdtemp(prefix="trl-speed-")
    res = {"what": __doc__.split("Each pair")[0].strip(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
           "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()), "pairs": a.pairs, "steps_per_run": a.steps,
           "warm_up_steps_skipped": 1, "cell": CELL, "suite": "suites/quick.toml", "extra_keys": extra,
           "rlvrbench": a.rlvrbench, "steps": {}, "generate": {}}
    try:
        if "steps" not in skip:
            measure_steps(a, env, work, threads, extra, res)
        if "generate" not in skip:
            measure_generate(a, env, work, model_dir, threads, batches, res)
    except Failed as e:
        print(f"trl_speed: {e}", file=sys.stderr)
        return EXIT_ENV
    finally:
        shutil.rmtree(work, ignore_errors=True)
    res["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    md = markdown(res)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    if a.md:
        with open(a.md, "w") as f:
            f.write(md)
    print(md)
    return 0


def _first_prompt(a, env, model_dir):
    """The chatml prompt of the model's first training problem, as rlvrbench's trainer renders it."""
    with open(os.path.join(model_dir, "train.jsonl")) as f:
        problem = json.loads(f.readline())["problem"]
    p = subprocess.run([a.rlvrbench, "prompt", "--template", "chatml"], input=json.dumps({"problem": problem}) + "\n",
                       capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise Failed(f"rlvrbench prompt exited {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)["prompt"]


if __name__ == "__main__":
    sys.exit(main())
