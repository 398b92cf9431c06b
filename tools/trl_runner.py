#!/usr/bin/env python3
"""trl_runner.py: one suite cell trained by TRL's GRPOTrainer, written as a run file rlvrbench ingests.

    .venv/bin/python tools/trl_runner.py --config CELL.toml --seed S --out RUN.jsonl --rlvrbench BIN
                                         [--table docs/other-trainers.md] [--work DIR] [--check]

A suite names it as its cells' `runner` (suites/quick-trl.toml; docs/run-format.md, "External
runners"): `rlvrbench run` / `ctest` hand it the cell's resolved run TOML, and ingest what it writes.

What it does, in order:
1. Maps every run key of the cell to TRL through the table in docs/other-trainers.md ("The TRL
   runner's key table"): a key the table does not name, or a value it cannot express in TRL, is bad
   input (exit 2, one line naming the file and the key). `--check` stops here and prints the config.
2. Trains with GRPOTrainer as installed (the project's pinned TRL), fp32 on the CPU, the cell's
   model loaded by transformers from its HF folder, the cell's training problems prompted with the
   text rlvrbench's trainer gives them (`rlvrbench prompt`), rewarded by `rlvrbench reward` (the
   same function and values), plus the ground-truth grader at weight 0 (train_accuracy).
3. Saves the policy at the suite's eval steps; after training rlvrbench's own evaluator
   (`rlvrbench train` at 0 steps on the saved weights, with the cell's eval keys) grades them, so both
   trainers are judged by one evaluator and the comparison is about training alone.
4. Writes the run file (docs/run-format.md): the header (TRL's config and the key table's
   differences in `config`, the cell's TOML in `config_toml`), the metrics of every step under
   rlvrbench's names (docs/other-trainers.md, "Their logs -> the run file"), the eval samples.

Exit: 0 written; 2 bad input (config, table, arguments); 3 an internal error; 4 a broken
environment (a reference package that cannot be imported, a failing rlvrbench subcommand).
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from doc_tables import TableError, doc_toml_block  # tests/doc_tables.py: the doc-table reader

TABLE_SECTION = "The TRL runner's key table"
EXIT_INPUT, EXIT_INTERNAL, EXIT_ENV = 2, 3, 4


class BadInput(Exception):
    pass


class BrokenEnv(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# 1. The key table: run keys -> GRPOConfig keys


def read_key_table(doc):
    t = doc_toml_block(doc, TABLE_SECTION)
    keys = t.get("key")
    if not isinstance(keys, dict) or not keys:
        raise TableError(f"{doc}: the TRL key table has no [key.\"...\"] rows")
    for name, row in keys.items():
        forms = [f for f in ("trl", "values", "runner") if f in row]
        if len(forms) != 1:
            raise TableError(f"{doc}: key {name!r}: give exactly one of trl, values, runner")
        if "values" in row:
            for v in row["values"]:
                if "value" not in v or v.get("status", "exact") not in ("exact", "closest"):
                    raise TableError(f"{doc}: key {name!r}: each value needs `value` and status exact or closest")
                if v.get("status") == "closest" and not v.get("why"):
                    raise TableError(f"{doc}: key {name!r} = {v['value']!r}: status closest needs a why")
    return keys


def flatten(cfg):
    out = {}
    for section, body in cfg.items():
        if not isinstance(body, dict):
            raise BadInput(f"{section}: expected a [section] of run keys")
        for k, v in body.items():
            out[f"{section}.{k}"] = v
    return out


def map_keys(flat, table, where):
    """GRPOConfig keys from the run keys (plain renames first, then value maps, which may override),
    and the differences the table names for the values used."""
    trl, differences = {}, {}
    for key in sorted(flat):
        if key not in table:
            raise BadInput(f"{where}: {key}: not in docs/other-trainers.md's TRL key table (TRL cannot be told it)")
        if "trl" in table[key]:
            trl[table[key]["trl"]] = flat[key]
    for key in sorted(flat):
        row = table[key]
        if "values" not in row:
            continue
        match = [v for v in row["values"] if v["value"] == flat[key] and type(v["value"]) is type(flat[key])]
        if not match:
            known = ", ".join(repr(v["value"]) for v in row["values"])
            raise BadInput(f"{where}: {key} = {flat[key]!r}: TRL cannot express it (the table allows {known})")
        trl.update(match[0].get("trl", {}))
        if match[0].get("status") == "closest":
            differences[key] = match[0]["why"]
    return trl, differences


def shape_keys(flat, where):
    """The rollout's shape in TRL's terms: generations, micro-batches, accumulation, steps."""
    P, G, U = flat["train.prompts_per_rollout"], flat["train.samples_per_prompt"], flat["train.updates_per_rollout"]
    per_update = P * G // U
    if P * G % U:
        raise BadInput(f"{where}: train.updates_per_rollout = {U} does not divide the rollout of {P * G}")
    ga = flat.get("train.grad_accum", 1) or 1
    micro = flat.get("train.micro_batch", 0) or per_update // ga
    if per_update % micro:
        raise BadInput(f"{where}: train.micro_batch = {micro} does not divide an update of {per_update}")
    ga = per_update // micro
    return {"num_generations": G, "per_device_train_batch_size": micro, "gradient_accumulation_steps": ga,
            "steps_per_generation": U * ga, "max_steps": flat["train.steps"] * U}


# ----------------------------------------------------------------------------------------------
# rlvrbench's subcommands (the one home of prompts, rewards and evaluation)


def rb(binary, args, stdin=None):
    p = subprocess.run([binary] + args, input=stdin, capture_output=True, text=True)
    if p.returncode != 0:
        raise BrokenEnv(f"rlvrbench {' '.join(args[:3])} exited {p.returncode}: {p.stderr.strip()[:300]}")
    return p.stdout


def jsonl(lines):
    return "".join(json.dumps(x) + "\n" for x in lines)


def load_problems(path, limit, binary, template):
    rows = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    d = json.loads(line)
                    rows.append({"problem": d["problem"], "gold": str(d["answer"]), "prompt_id": d.get("unique_id", str(n))})
                except (ValueError, KeyError) as e:
                    raise BadInput(f"{path}:{n}: {e}")
    if limit:
        rows = rows[:limit]
    prompts = rb(binary, ["prompt", "--template", template], jsonl({"problem": r["problem"]} for r in rows)).splitlines()
    for r, p in zip(rows, prompts):
        r["prompt"] = json.loads(p)["prompt"]
    return rows


# ----------------------------------------------------------------------------------------------
# 2. Training


def import_references():
    import warnings
    warnings.filterwarnings("ignore")  # TRL's experimental-feature and config notices: the run file says what ran
    os.environ.setdefault("TRL_EXPERIMENTAL_SILENCE", "1")
    mods = {}
    for name in ("torch", "transformers", "datasets", "trl"):
        try:
            mods[name] = __import__(name)
        except Exception as e:
            raise BrokenEnv(f"reference package '{name}' cannot be imported: {type(e).__name__}: {e}")
    mods["transformers"].logging.set_verbosity_error()
    mods["transformers"].utils.logging.disable_progress_bar()
    mods["datasets"].disable_progress_bars()
    return mods


class Rewards:
    """The cell's reward and the ground-truth grader (weight 0: its mean is train_accuracy), both
    through `rlvrbench reward`; the random rewards' stream keys are (seed, step, prompt_id, sample)."""

    def __init__(self, binary, name, seed, updates):
        self.binary, self.name, self.seed, self.updates = binary, name, seed, updates
        self.trainer = None

    def score(self, name, completions, gold, prompt_id):
        step = self.trainer.state.global_step // self.updates + 1 if self.trainer else 1
        seen, lines = {}, []
        for c, g, p in zip(completions, gold, prompt_id):
            k = seen.get(p, 0)
            seen[p] = k + 1
            lines.append({"response": c, "gold": g, "prompt_id": p, "sample": k, "step": step})
        out = rb(self.binary, ["reward", "--name", name, "--seed", str(self.seed)], jsonl(lines))
        return [float(json.loads(x)["reward"]) for x in out.splitlines()]

    def funcs(self):
        def reward(prompts, completions, gold, prompt_id, **kw):
            return self.score(self.name, completions, gold, prompt_id)

        def accuracy(prompts, completions, gold, prompt_id, **kw):
            return self.score("math", completions, gold, prompt_id)

        return [reward, accuracy]


def make_trainer_class(mods):
    """GRPOTrainer, recording per micro-batch what rlvrbench logs and TRL does not: the k3 KL of the
    policy to its rollout-time self (approx_kl) and the sampled tokens' -log p (rlvrbench's entropy).
    Training is untouched: the records read tensors TRL computed anyway."""
    torch, trl = mods["torch"], mods["trl"]

    class Recording(trl.GRPOTrainer):
        records = []  # (optimizer step, approx_kl, sum of -old log p, tokens)

        def _get_per_token_logps_and_entropies(self, *a, **kw):
            out = super()._get_per_token_logps_and_entropies(*a, **kw)
            self._last_logps = out[0]
            return out

        def _compute_loss(self, model, inputs):
            loss = super()._compute_loss(model, inputs)
            with torch.no_grad():
                new = self._last_logps.detach().double()
                old = inputs.get("old_per_token_logps")
                old = new if old is None else old.detach().double()
                m = inputs["completion_mask"].double()
                lr = new - old
                k3 = ((lr.exp() - 1 - lr) * m).sum() / m.sum().clamp(min=1)
                self.records.append((self.state.global_step, k3.item(), (-old * m).sum().item(), m.sum().item()))
            return loss

    return Recording


def train(mods, flat, trl_keys, shape, rows, rewards, work, eval_steps, threads):
    torch, transformers, datasets, trl = mods["torch"], mods["transformers"], mods["datasets"], mods["trl"]
    torch.set_num_threads(threads)
    model_dir = flat["model.path"]
    model = transformers.AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    data = datasets.Dataset.from_list([{"prompt": r["prompt"], "gold": r["gold"], "prompt_id": r["prompt_id"]} for r in rows])
    U = flat["train.updates_per_rollout"]
    args = trl.GRPOConfig(output_dir=os.path.join(work, "trl"), report_to="none", save_strategy="no",
                          logging_steps=1, disable_tqdm=True, num_iterations=1, optim="adamw_torch",
                          lr_scheduler_type="constant_with_warmup", reward_weights=[1.0, 0.0], dataloader_num_workers=0,
                          **shape, **trl_keys)
    times = {}  # optimizer step -> wall clock at its end
    saved = {}

    class Hooks(transformers.TrainerCallback):
        def on_step_end(self, a, state, control, model=None, **kw):
            times[state.global_step] = time.perf_counter()
            if state.global_step % U == 0 and state.global_step // U in eval_steps:
                s = state.global_step // U
                d = os.path.join(work, f"step-{s}")
                model.save_pretrained(d)
                for f in ("tokenizer.json", "tokenizer_config.json", "generation_config.json"):
                    if os.path.exists(os.path.join(model_dir, f)):
                        shutil.copy(os.path.join(model_dir, f), d)
                saved[s] = d

    Trainer = make_trainer_class(mods)
    trainer = Trainer(model=model, processing_class=tok, reward_funcs=rewards.funcs(), args=args, train_dataset=data,
                      callbacks=[Hooks()])
    trainer.remove_callback(transformers.PrinterCallback)  # the metrics are read from log_history
    rewards.trainer = trainer
    t0 = time.perf_counter()
    gen_seconds = []
    orig = trainer._generate_and_score_completions

    def timed(*a, **kw):
        g0 = time.perf_counter()
        out = orig(*a, **kw)
        gen_seconds.append(time.perf_counter() - g0)
        return out

    trainer._generate_and_score_completions = timed
    trainer.train()
    return trainer, saved, times, t0, gen_seconds


# ----------------------------------------------------------------------------------------------
# Metrics under rlvrbench's names (docs/other-trainers.md, "Their logs -> the run file")


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def step_metrics(trainer, U, steps, times, t0, gen_seconds):
    by_step = {s: [] for s in range(1, steps + 1)}
    for e in trainer.state.log_history:
        if "step" in e and "loss" in e:
            by_step.setdefault((e["step"] - 1) // U + 1, []).append(e)
    recs = {s: [] for s in range(1, steps + 1)}
    for (gstep, k3, neglogp, ntok) in trainer.records:
        recs.setdefault(gstep // U + 1, []).append((k3, neglogp, ntok))
    out = []
    for s in range(1, steps + 1):
        es, rs = by_step.get(s, []), recs.get(s, [])
        first = next((e for e in es if "reward" in e), {})
        get = lambda k: mean([e.get(k) for e in es])
        ntok = sum(r[2] for r in rs)
        end, start = times.get(s * U), times.get((s - 1) * U, t0)
        v = {"reward_mean": first.get("reward"), "train_accuracy": first.get("rewards/accuracy/mean"),
             "response_length": first.get("completions/mean_length"), "adv_zero_frac": first.get("frac_reward_zero_std"),
             "clip_frac": get("clip_ratio/region_mean"), "clip_frac_low": get("clip_ratio/low_mean"),
             "clip_frac_high": get("clip_ratio/high_mean"), "approx_kl": mean([r[0] for r in rs]),
             "entropy": sum(r[1] for r in rs) / ntok if ntok else None, "loss": get("loss"), "grad_norm": get("grad_norm"),
             "lr": first.get("learning_rate", get("learning_rate")),
             "step_seconds": end - start if end is not None else None}
        if s - 1 < len(gen_seconds) and first.get("completions/mean_length") and gen_seconds[s - 1] > 0:
            n = trainer.args.per_device_train_batch_size * trainer.args.steps_per_generation  # the rollout's responses
            v["rollout_tokens_per_s"] = first["completions/mean_length"] * n / gen_seconds[s - 1]
        out.append({"type": "metrics", "step": s, "values": v})
    return out


# ----------------------------------------------------------------------------------------------
# 3. Evaluation by rlvrbench's evaluator


def evaluate(binary, config_path, model_dir, step, work, threads):
    db = os.path.join(work, f"eval-{step}.db")
    rb(binary, ["train", config_path, "--set", "train.steps=0", "--set", f"model.path={model_dir}", "--set",
                f"run.threads={threads}", "--db", db, "--quiet"])
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
        run = c.execute("SELECT id FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    lines = rb(binary, ["export", "--run", str(run), "--db", db]).splitlines()
    samples = []
    for line in lines[1:]:
        x = json.loads(line)
        if x.get("type") == "sample":
            x["step"] = step
            samples.append(x)
    return samples


# ----------------------------------------------------------------------------------------------
# 4. The run file


def source_commit():
    """The commit of the checkout this runner runs from ("-dirty" with uncommitted changes; "" outside git):
    a TRL run's provenance, as rlvrbench's own runs record the commit they were built from."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        head = subprocess.run(["git", "-C", here, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", here, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return ""


def header(cfg_text, flat, seed, trl_keys, shape, differences, mods, threads):
    config = {f"trl.{k}": v for k, v in sorted({**trl_keys, **shape}.items())}
    config.update({f"trl.differs.{k}": v for k, v in differences.items()})
    h = {"format": "rlvrbench-run", "version": 1, "suite": flat["run.suite"], "cell": flat["run.name"],
         "model": flat["model.name"], "reward": flat["reward.name"], "seed": seed, "config": config,
         "config_toml": cfg_text, "trainer": {"name": "trl", "version": mods["trl"].__version__},
         "device": "cpu", "threads": threads, "framework_version": f"torch {mods['torch'].__version__}, "
         f"transformers {mods['transformers'].__version__}", "git_commit": source_commit()}
    if flat.get("run.mutant"):
        h["mutant"] = flat["run.mutant"]
    return h


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True, help="the cell's resolved run TOML ({config})")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="the run file to write ({out})")
    ap.add_argument("--rlvrbench", required=True, help="the rlvrbench front binary ({rlvrbench})")
    ap.add_argument("--table", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "other-trainers.md"))
    ap.add_argument("--work", help="working folder (default: a temporary one, removed after)")
    ap.add_argument("--check", action="store_true", help="map the keys, print TRL's config and exit")
    a = ap.parse_args()
    try:
        try:
            with open(a.config, "rb") as f:
                cfg_bytes = f.read()
            cfg = tomllib.loads(cfg_bytes.decode())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise BadInput(f"{a.config}: {e}")
        flat = flatten(cfg)
        for k in ("run.seed", "run.suite", "run.name", "model.name", "model.path", "reward.name", "train.steps"):
            if k not in flat:
                raise BadInput(f"{a.config}: {k}: missing")
        if flat["run.seed"] != a.seed:
            raise BadInput(f"{a.config}: run.seed = {flat['run.seed']}, but --seed {a.seed}")
        table = read_key_table(a.table)
        trl_keys, differences = map_keys(flat, table, a.config)
        shape = shape_keys(flat, a.config)
        if a.check:
            print(json.dumps({"trl": {**trl_keys, **shape}, "differences": differences}, indent=1, sort_keys=True))
            return 0
        mods = import_references()
        work = a.work or tempfile.mkdtemp(prefix="trl-runner-")
        os.makedirs(work, exist_ok=True)
        threads = int(flat.get("run.threads", 1)) or 1
        steps, every, U = flat["train.steps"], flat.get("eval.every", 0), flat["train.updates_per_rollout"]
        eval_steps = sorted({0, steps} | ({s for s in range(every, steps, every)} if every else set()))
        rows = load_problems(flat["data.train"], flat.get("data.train_limit", 0), a.rlvrbench, flat["model.template"])
        rewards = Rewards(a.rlvrbench, flat["reward.name"], flat.get("reward.seed", 0), U)
        t0 = time.perf_counter()
        trainer, saved, times, tt0, gen_s = train(mods, flat, trl_keys, shape, rows, rewards, work, eval_steps, threads)
        train_s = time.perf_counter() - t0
        metrics = step_metrics(trainer, U, steps, times, tt0, gen_s)
        samples = []
        for s in eval_steps:
            samples += evaluate(a.rlvrbench, a.config, flat["model.path"] if s == 0 else saved[s], s, work, threads)
        lines = [header(cfg_bytes.decode(), flat, a.seed, trl_keys, shape, differences, mods, threads)]
        for s in range(0, steps + 1):
            lines += [x for x in samples if x["step"] == s]
            lines += [m for m in metrics if m["step"] == s]
        tmp = a.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(jsonl(lines))
        os.replace(tmp, a.out)
        print(f"trl_runner: {flat['run.name']} seed {a.seed}: {steps} steps in {train_s:.1f} s "
              f"(generation {sum(gen_s):.1f} s), evaluated at {eval_steps} -> {a.out}", file=sys.stderr)
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
        return 0
    except (BadInput, TableError) as e:
        print(f"trl_runner: {e}", file=sys.stderr)
        return EXIT_INPUT
    except BrokenEnv as e:
        print(f"trl_runner: {e}", file=sys.stderr)
        return EXIT_ENV
    except Exception as e:  # a bug here or in TRL: the traceback, then one line
        import traceback
        traceback.print_exc()
        print(f"trl_runner: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
