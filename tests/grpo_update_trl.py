#!/usr/bin/env python3
"""grpo_update_trl.py: whole GRPO steps of rlvrbench's trainer against TRL's GRPOTrainer, weights compared.

    .venv/bin/python tests/grpo_update_trl.py --bin build/rl/grpo_update --zoo results/zoo
                                              [--doc docs/other-trainers.md] [--work DIR] [--only ID_PREFIX]

The cases are the TOML block of docs/other-trainers.md ("Whole updates against TRL's
GRPOTrainer"): each gives rlvrbench run keys and TRL GRPOConfig keys (on top of the block's
[common] keys) and says whether the weights after each step are `exact` (within the block's
tolerance) or `differs` (beyond it, for the reason it gives). The model is the micro zoo's
synth-micro ($RLVRBENCH_ZOO, else --zoo), in HF format; the rollout is fixed (below: ragged prompts
and completions, groups of G completions, fixed rewards), so nothing is sampled on either side.

rlvrbench's side is the grpo_update executable (rl/grpo_update.cpp): the trainer's step_score,
step_minibatches and step_update with its optimizer, per step. TRL's side is GRPOTrainer.train() as
installed (its _generate_and_score_completions, compute_loss, and the Trainer's optimizer,
scheduler and gradient clipping), with three things given instead of drawn: the completions
(rollout_func, TRL's hook for a custom generator), the rewards (a reward function returning the
fixed rewards) and the order of the rollout's shuffle into micro-batches (shuffle_sequence_dict
takes rlvrbench's permutation instead of torch.randperm's, so both sides take the same batches).

Prints per case and step the largest weight difference in units of lr, how many elements exceed the
tight bound, the relative difference of the gradient norms, then "N passed, M failed". Exit 0 when
all pass, 1 when any fails; 2 on a malformed table or bad arguments, and when a reference package
cannot be imported (one line on stderr naming it, tests/reference_packages.py: checked first, since
nothing can be judged without them).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from doc_tables import TableError, doc_toml_block  # tests/doc_tables.py, beside this file
from reference_packages import require  # tests/reference_packages.py, beside this file

np = None  # numpy, once import_references has checked it
P, G = 4, 4  # prompts, completions per prompt
SEED = 7


def import_references():
    """numpy, torch, safetensors, transformers, datasets and trl, or exit 2 with one line naming the
    missing one (tests/reference_packages.py)."""
    global np
    names = ("numpy", "torch", "safetensors", "transformers", "datasets", "trl")
    mods = dict(zip(names, require(*names)))
    np = mods["numpy"]
    return mods


# ----------------------------------------------------------------------------------------------
# The table


def read_table(doc):
    t = doc_toml_block(doc, "Whole updates against TRL's GRPOTrainer")
    tol = t.get("tolerance")
    if not isinstance(tol, dict) or set(tol) != {"weights_lr", "tight_lr", "grad_norm"} or \
            not all(isinstance(v, float) and v > 0 for v in tol.values()):
        raise TableError(f"{doc}: [tolerance] needs weights_lr, tight_lr and grad_norm, numbers > 0")
    common = t.get("common")
    if not isinstance(common, dict) or not isinstance(common.get("rlvrbench"), list) or not isinstance(common.get("trl"), dict):
        raise TableError(f"{doc}: [common] needs a rlvrbench keys list and a trl table")
    cases, seen = t.get("case"), set()
    if not isinstance(cases, list) or not cases:
        raise TableError(f"{doc}: the whole-update block has no [[case]] rows")
    for c in cases:
        cid = c.get("id")
        where = f"{doc}: case {cid!r}"
        if not isinstance(cid, str) or cid in seen:
            raise TableError(f"{where}: id missing or repeated")
        seen.add(cid)
        unknown = set(c) - {"id", "what", "status", "why", "steps", "rlvrbench", "trl", "group_eps"}
        if unknown:
            raise TableError(f"{where}: unknown fields {sorted(unknown)}")
        if c.get("status") not in ("exact", "differs"):
            raise TableError(f"{where}: status must be 'exact' or 'differs'")
        if c["status"] == "differs" and not c.get("why"):
            raise TableError(f"{where}: status 'differs' needs a why")
        if not isinstance(c.get("rlvrbench"), list) or not isinstance(c.get("trl"), dict):
            raise TableError(f"{where}: rlvrbench must be a keys list and trl a table")
        if not isinstance(c.get("steps"), int) or not 1 <= c["steps"] <= 4:
            raise TableError(f"{where}: steps must be a whole number in [1, 4]")
        if "group_eps" in c and not (isinstance(c["group_eps"], float) and c["group_eps"] >= 0):
            raise TableError(f"{where}: group_eps must be a number >= 0")
    return tol, common, cases


def lr_of(common):
    lrs = [k.split("=", 1)[1] for k in common["rlvrbench"] if k.startswith("train.lr=")]
    if len(lrs) != 1 or float(lrs[0]) != common["trl"].get("learning_rate"):
        raise TableError("[common]: train.lr and learning_rate must both be given, and equal")
    return float(lrs[0])


# ----------------------------------------------------------------------------------------------
# The fixed rollout


def make_rollout(vocab, specials):
    """P prompts of 3..9 tokens, G completions each of 1..14 tokens (some ending in EOS), rewards
    with an all-equal group and uneven groups."""
    rng = np.random.default_rng(SEED)
    ordinary = np.array([i for i in range(vocab) if i not in specials])
    eos = specials[0]
    prompts, completions = [], []
    for p in range(P):
        prompts.append(rng.choice(ordinary, int(rng.integers(3, 10))).tolist())
        group = []
        for k in range(G):
            n = 1 if (p, k) == (1, 2) else int(rng.integers(2, 15))
            c = rng.choice(ordinary, n).tolist()
            if k % 2 == 0 and n > 1:
                c[-1] = eos  # a finished completion; the others are cut at their length
            group.append(c)
        completions.append(group)
    rewards = [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.5, 0.0], [0.0, 2.0, 0.0, 0.0]]
    return {"prompts": prompts, "completions": completions, "rewards": rewards}


# ----------------------------------------------------------------------------------------------
# rlvrbench


def run_rlvrbench(binary, model, rollout_path, keys, steps, group_eps, out):
    cmd = [binary, "--model", model, "--rollout", rollout_path, "--out", out, "--steps", str(steps)]
    for k in keys:
        cmd += ["--set", k]
    if group_eps is not None:
        cmd += ["--group-eps", repr(group_eps)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"grpo_update exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)["steps"]


# ----------------------------------------------------------------------------------------------
# TRL


class TrlRun:
    """GRPOTrainer.train() on the fixed rollout: completions, rewards and shuffle order given."""

    def __init__(self, mods, model_dir, rollout, orders, work):
        self.m, self.model_dir, self.rollout, self.orders, self.work = mods, model_dir, rollout, orders, work
        self.rows = None  # the generation batch's rows as rollout indices (p * G + k)
        self.shuffles = 0
        self.snapshots = []
        self.first_grads = {}

    def rollout_func(self, prompts, trainer):
        seen, rows, out = {}, [], {"prompt_ids": [], "completion_ids": [], "logprobs": None, "fixed_reward": []}
        for text in prompts:
            p = int(text[1:])
            k = seen.get(p, 0)
            seen[p] = k + 1
            rows.append(p * G + k)
            out["prompt_ids"].append(self.rollout["prompts"][p])
            out["completion_ids"].append(self.rollout["completions"][p][k])
            out["fixed_reward"].append(self.rollout["rewards"][p][k])
        if sorted(rows) != list(range(P * G)):
            raise RuntimeError(f"a generation batch must hold every prompt G = {G} times, got rows {rows}")
        self.rows = rows
        return out

    @staticmethod
    def reward(prompts, completions, fixed_reward, **kw):
        return list(fixed_reward)

    def shuffle(self, seq_dict):
        """rlvrbench's minibatch order for this generation instead of a random permutation."""
        torch = self.m["torch"]
        order = self.orders[self.shuffles]
        self.shuffles += 1
        row_of = {g: i for i, g in enumerate(self.rows)}
        perm = torch.tensor([row_of[g] for g in order])

        def permute(v):
            if v is None or (isinstance(v, torch.Tensor) and v.ndim == 0):
                return v
            return v[perm] if isinstance(v, torch.Tensor) else [v[int(i)] for i in perm]

        return {k: permute(v) for k, v in seq_dict.items()}

    def train(self, keys, steps):
        torch, trl, transformers, datasets = self.m["torch"], self.m["trl"], self.m["transformers"], self.m["datasets"]
        import trl.trainer.grpo_trainer as gt

        model = transformers.AutoModelForCausalLM.from_pretrained(self.model_dir, dtype=torch.float32)
        tok = transformers.AutoTokenizer.from_pretrained(self.model_dir)
        data = datasets.Dataset.from_dict({"prompt": [f"p{p}" for p in range(P)]})
        args = trl.GRPOConfig(output_dir=os.path.join(self.work, "trl"), report_to="none", use_cpu=True, save_strategy="no",
                              logging_steps=1, disable_tqdm=True, num_generations=G, max_steps=steps, seed=SEED, **keys)
        snaps, grads = self.snapshots, self.first_grads

        class Snapshot(transformers.TrainerCallback):
            def on_pre_optimizer_step(self, a, state, control, model=None, **kw):
                if not grads:  # the first optimizer step's gradient, clipped
                    grads.update({k: p.grad.detach().abs().clone() for k, p in model.named_parameters()})

            def on_step_end(self, a, state, control, model=None, **kw):
                snaps.append({k: v.detach().clone() for k, v in model.state_dict().items()})

        shuffle0 = gt.shuffle_sequence_dict
        gt.shuffle_sequence_dict = self.shuffle
        try:
            trainer = gt.GRPOTrainer(model=model, reward_funcs=[self.reward], args=args, train_dataset=data,
                                     processing_class=tok, rollout_func=self.rollout_func, callbacks=[Snapshot()])
            trainer.remove_callback(transformers.PrinterCallback)  # the logs are read from log_history
            trainer.train()
        finally:
            gt.shuffle_sequence_dict = shuffle0
        logs = [h for h in trainer.state.log_history if "grad_norm" in h]
        self.clip = [h.get("clip_ratio/region_mean", 0.0) for h in logs]
        return self.snapshots, [h["grad_norm"] for h in logs], self.first_grads


# ----------------------------------------------------------------------------------------------
# The comparison


def compare_weights(ours_path, theirs, lr):
    """|ours - theirs| / lr for every tensor, by name (both sides must hold the same names)."""
    from safetensors.torch import load_file
    ours = load_file(ours_path)
    if set(ours) != set(theirs):
        raise RuntimeError(f"tensor names differ: only rlvrbench {sorted(set(ours) - set(theirs))}, "
                           f"only TRL {sorted(set(theirs) - set(ours))}")
    diffs = {k: (ours[k].double() - theirs[k].double()).abs() / lr for k in ours}
    return diffs


def summarize(diffs, tight):
    worst = max(diffs, key=lambda k: diffs[k].max().item())
    n = sum(int((d > tight).sum()) for d in diffs.values())
    total = sum(d.numel() for d in diffs.values())
    return diffs[worst].max().item(), worst, n, total


def run_case(case, common, tol, lr, mods, binary, model_dir, rollout, rollout_path, work):
    keys = common["rlvrbench"] + case["rlvrbench"]
    steps = case["steps"]
    out = os.path.join(work, case["id"].replace("/", "_"))
    ours = run_rlvrbench(binary, model_dir, rollout_path, keys, steps, case.get("group_eps"), out)
    trl_keys = {**common["trl"], **case["trl"]}
    # A rollout's updates (train.updates_per_rollout) are TRL's optimizer steps per generation.
    ga = trl_keys.get("gradient_accumulation_steps", 1)
    spg = trl_keys.get("steps_per_generation") or ga
    if spg % ga:
        raise TableError(f"case {case['id']!r}: steps_per_generation {spg} is not a multiple of gradient_accumulation_steps {ga}")
    U = spg // ga
    trl_run = TrlRun(mods, model_dir, rollout, [s["order"] for s in ours], work)
    snaps, norms, grads = trl_run.train(trl_keys, steps * U)
    if len(snaps) != steps * U or len(norms) != steps * U:
        raise RuntimeError(f"TRL made {len(snaps)} optimizer steps and logged {len(norms)} gradient norms, not {steps * U}")
    lines, beyond = [], False
    from safetensors.torch import load_file
    w0 = load_file(os.path.join(model_dir, "model.safetensors"))
    for s in range(steps):
        path = os.path.join(out, f"step-{s + 1}", "model.safetensors")
        diffs = compare_weights(path, snaps[(s + 1) * U - 1], lr)
        worst, where, n_tight, total = summarize(diffs, tol["tight_lr"])
        w = load_file(path)
        moved = max((w[k].double() - w0[k].double()).abs().max().item() for k in w0) / lr
        g_ours, g_trl = ours[s]["grad_norm"], float(np.mean(norms[s * U:(s + 1) * U]))
        g_rel = abs(g_ours - g_trl) / abs(g_trl)
        beyond |= worst > tol["weights_lr"] or g_rel > tol["grad_norm"]
        lines.append(f"rollout {s + 1} ({(s + 1) * U} optimizer steps): weights max {worst:.2e} lr ({worst * lr:.2e} abs, {where}), "
                     f"{n_tight}/{total} elements > {tol['tight_lr']:g} lr, largest move {moved:.2f} lr; grad norm "
                     f"{g_ours:.6g} vs {g_trl:.6g} (rel {g_rel:.1e})" +
                     (f"; clipped tokens {ours[s]['clip_frac']:.3f} vs {np.mean(trl_run.clip[s * U:(s + 1) * U]):.3f}" if U > 1 else ""))
        if s == 0 and U == 1:  # after one Adam step: where the clipped gradient is far above eps, and where not
            eps = trl_keys["adam_epsilon"]
            far = max((diffs[k][grads[k] >= 100 * eps].max().item() if (grads[k] >= 100 * eps).any() else 0.0) for k in diffs)
            near = max((diffs[k][grads[k] < 100 * eps].max().item() if (grads[k] < 100 * eps).any() else 0.0) for k in diffs)
            lines.append(f"  step 1 by TRL's clipped gradient |g|: max {far:.2e} lr where |g| >= 100 eps, {near:.2e} lr where "
                         f"|g| < 100 eps (Adam's step moves by up to lr / eps per unit of gradient there)")
        if moved < 0.5:
            raise RuntimeError(f"rollout {s + 1}: rlvrbench's weights moved only {moved:.2f} lr: the comparison would be empty")
    ok = (not beyond) if case["status"] == "exact" else beyond
    return ok, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the grpo_update executable")
    ap.add_argument("--zoo", required=True, help="the zoo folder (RLVRBENCH_ZOO wins when set); synth-micro is used")
    ap.add_argument("--doc", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "other-trainers.md"))
    ap.add_argument("--work", default="", help="a folder for the weights (default: a temporary one)")
    ap.add_argument("--only", default="", help="run only the cases whose id starts with this")
    a = ap.parse_args()
    t0 = time.time()
    mods = import_references()
    try:
        tol, common, cases = read_table(a.doc)
        lr = lr_of(common)
    except (TableError, OSError) as e:
        print(f"grpo_update_trl: {e}", file=sys.stderr)
        return 2
    if not os.access(a.bin, os.X_OK):
        print(f"grpo_update_trl: {a.bin}: not an executable", file=sys.stderr)
        return 2
    model_dir = os.path.join(os.environ.get("RLVRBENCH_ZOO") or a.zoo, "synth-micro")
    if not os.path.isfile(os.path.join(model_dir, "model.safetensors")):
        print(f"grpo_update_trl: {model_dir}/model.safetensors: missing (build the micro zoo: rlvrbench zoo build --only synth-micro)",
              file=sys.stderr)
        return 2
    torch, transformers = mods["torch"], mods["transformers"]
    torch.set_num_threads(1)
    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    os.environ["TRL_EXPERIMENTAL_SILENCE"] = "1"
    print(f"references: trl {mods['trl'].__version__}, transformers {transformers.__version__}, torch {torch.__version__}; "
          f"model {model_dir}; tolerance: weights {tol['weights_lr']:g} lr, tight {tol['tight_lr']:g} lr, "
          f"grad norm {tol['grad_norm']:g} relative")
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    tok = transformers.AutoTokenizer.from_pretrained(model_dir)
    specials = [tok.eos_token_id, tok.pad_token_id] + [i for i in tok.all_special_ids if i not in (tok.eos_token_id, tok.pad_token_id)]
    rollout = make_rollout(cfg["vocab_size"], specials)
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="grpo-update-") as tmp:
        work = a.work or tmp
        os.makedirs(work, exist_ok=True)
        rollout_path = os.path.join(work, "rollout.json")
        with open(rollout_path, "w") as f:
            json.dump(rollout, f)
        for case in cases:
            if not case["id"].startswith(a.only):
                continue
            try:
                ok, lines = run_case(case, common, tol, lr, mods, a.bin, model_dir, rollout, rollout_path, work)
                detail = case["status"] + (f" ({case['why']})" if case["status"] == "differs" else "")
            except Exception as e:
                ok, lines, detail = False, [], f"error: {type(e).__name__}: {e}"
            passed, failed = passed + ok, failed + (not ok)
            print(f"{'PASS' if ok else 'FAIL'} {case['id']:<28} {detail}", flush=True)
            for line in lines:
                print(f"     {line}", flush=True)
    print(f"{time.time() - t0:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
