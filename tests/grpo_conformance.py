#!/usr/bin/env python3
"""grpo_conformance.py: rlvrbench's GRPO math against TRL, verl and OpenRLHF, on the same tensors.

    .venv/bin/python tests/grpo_conformance.py --bin build/rl/grpo_conformance [--doc docs/other-trainers.md]
                                               [--seeds 0,1,2] [--only ID_PREFIX]

The pairings are the TOML block of docs/other-trainers.md ("The GRPO math, pairing by pairing"),
whose rules that section states; this file only interprets each reference's keys and calls the
reference's own installed code (TRL 1.13.0, verl 0.9.1, OpenRLHF 0.11.2, pinned in
ci/requirements.txt; verl and OpenRLHF installed without their heavy dependencies, whose imports are
stubbed here only to load the modules that hold the math). rlvrbench's side is the grpo_conformance
executable (rl/grpo_conformance.cpp), which runs the trainer's functions in float64.

Prints one line per (pairing, reference) with the relative difference (max |ours - theirs| /
max |theirs|, the maximum over seeds, or for a claimed difference the smallest), then
"N passed, M failed". Exit 0 when all pass, 1 when any fails, 2 on a malformed table or bad
arguments, and when a reference cannot be imported (numpy, torch and safetensors, or TRL, verl or
OpenRLHF's modules above: one line on stderr naming it, tests/reference_packages.py).
"""
import argparse
import ast
import importlib.abc
import importlib.machinery
import importlib.metadata
import importlib.util
import inspect
import os
import subprocess
import sys
import tempfile
import time
import traceback
import types
from collections import defaultdict
from types import SimpleNamespace as NS

from doc_tables import TableError, doc_toml_block  # tests/doc_tables.py, beside this file
from reference_packages import refuse, require  # tests/reference_packages.py, beside this file

np, torch, _ = require("numpy", "torch", "safetensors.torch")
from safetensors.torch import load_file, save_file  # noqa: E402

TOL = 1e-6
STATUSES = {"exact", "differs", "none", "variant"}
REFS = ("trl", "verl", "openrlhf")
P, G, T = 8, 8, 300  # prompts, samples per prompt, padded response length (responses of 1..T tokens)
KL_REF_STD = 0.1


class KeyProblem(Exception):
    """A row's reference keys cannot be applied to the data (a failure of that pairing)."""


# ----------------------------------------------------------------------------------------------
# The table


def read_table(doc):
    table = doc_toml_block(doc, "The GRPO math, pairing by pairing")
    rows = table.get("pairing")
    if not isinstance(rows, list) or not rows:
        raise TableError(f"{doc}: the pairing block has no [[pairing]] rows")
    seen = set()
    for r in rows:
        rid = r.get("id")
        where = f"{doc}: pairing {rid!r}"
        if not isinstance(rid, str) or rid in seen:
            raise TableError(f"{where}: id missing or repeated")
        seen.add(rid)
        unknown = set(r) - {"id", "what", "check", "axis", "rlvrbench", *REFS}
        if unknown:
            raise TableError(f"{where}: unknown fields {sorted(unknown)}")
        if r.get("check") not in ("adv", "loss"):
            raise TableError(f"{where}: check must be 'adv' or 'loss'")
        r.setdefault("axis", "adv" if r["check"] == "adv" else None)
        if r["axis"] not in ("adv", "agg", "kl") or (r["check"] == "adv") != (r["axis"] == "adv"):
            raise TableError(f"{where}: axis must be 'adv' for check = 'adv', 'agg' or 'kl' for check = 'loss'")
        rl = r.get("rlvrbench")
        if not isinstance(rl, dict) or not isinstance(rl.get("keys"), list):
            raise TableError(f"{where}: rlvrbench must be a table with a keys list")
        rl_none = rl.get("status") == "none"
        if rl_none and not rl.get("why"):
            raise TableError(f"{where}: rlvrbench: status = 'none' needs a why")
        if rl.get("status") not in (None, "none"):
            raise TableError(f"{where}: rlvrbench: status is 'none' or absent")
        for ref in REFS:
            e = r.get(ref)
            if not isinstance(e, dict):
                raise TableError(f"{where}: {ref}: missing (every row names every reference, 'none' included)")
            st = e.get("status")
            if st not in STATUSES:
                raise TableError(f"{where}: {ref}: status must be one of {sorted(STATUSES)}")
            if st in ("differs", "none") and not e.get("why"):
                raise TableError(f"{where}: {ref}: status '{st}' needs a why")
            if st in ("exact", "differs", "variant") and not isinstance(e.get("keys"), dict):
                raise TableError(f"{where}: {ref}: status '{st}' needs keys")
            if (st == "variant") != (rl_none and st != "none"):
                raise TableError(f"{where}: {ref}: 'variant' is for rows where rlvrbench has no setting, and only there")
            if "tol" in e and not e.get("tol_why"):
                raise TableError(f"{where}: {ref}: a tol of its own needs a tol_why")
            if ref == "openrlhf" and r["check"] == "loss" and st != "none" and e.get("loss_norm") not in ("step", "micro-batch"):
                raise TableError(f"{where}: openrlhf: loss_norm must be 'step' or 'micro-batch'")
            if "exact_with" in e and (st != "differs" or set(e["exact_with"]) - {"group_eps"}):
                raise TableError(f"{where}: {ref}: exact_with is for 'differs' rows and names group_eps only")
    return rows


# ----------------------------------------------------------------------------------------------
# The tensors


def make_data(seed):
    """One rollout: P x G responses of 1..T tokens, prompt-major, float64."""
    rng = np.random.default_rng(seed)
    B = P * G
    lengths = rng.integers(1, T + 1, B)
    lengths[3], lengths[10], lengths[20] = T, 1, 2
    mask = (np.arange(T)[None, :] < lengths[:, None]).astype(np.float64)
    old = np.log(np.clip(rng.beta(0.7, 0.3, (B, T)), 1e-6, 1 - 1e-9))  # sampled tokens' log-probs: mean about -0.64
    delta = rng.normal(0.0, 0.05, (B, T))
    far = rng.random((B, T)) < 0.05  # a few tokens far from the old policy: both clip bounds, the dual clip
    delta[far] = rng.uniform(-1.8, 1.8, far.sum())
    logp = np.minimum(old + delta, -1e-9)
    ref = np.minimum(old + rng.normal(0.0, KL_REF_STD, (B, T)), -1e-9)
    pad = mask == 0  # padding holds garbage: every side must mask it
    for a in (old, logp, ref):
        a[pad] = rng.normal(-5.0, 3.0, pad.sum())
    q = rng.choice(np.linspace(0, 1, 9), P)
    q[0], q[1] = 0.0, 1.0  # an all-0 and an all-1 group
    rewards = (rng.random((P, G)) < q[:, None]).astype(np.float64).reshape(-1)
    group = np.repeat(100 + np.arange(P), G)
    adv = rng.normal(0.0, 1.0, B)
    adv[::9] = 0.0
    t = lambda a: torch.tensor(a, dtype=torch.float64)
    d = NS(seed=seed, B=B, mask=t(mask), old=t(old), logp=t(logp), ref=t(ref), rewards=t(rewards),
           group=torch.tensor(group, dtype=torch.int64), adv=t(adv), lengths=torch.tensor(lengths))
    # The tensors reach what the pairings are about.
    ratio, A, m = (d.logp - d.old).exp(), d.adv[:, None], d.mask > 0
    for name, hit in [("ratio > 3 with A < 0 (dual clip)", (ratio > 3) & (A < 0)),
                      ("ratio > 1.28 with A > 0 (upper clip)", (ratio > 1.28) & (A > 0)),
                      ("ratio < 0.8 with A < 0 (lower clip)", (ratio < 0.8) & (A < 0))]:
        if int((hit & m).sum()) < 3:
            raise RuntimeError(f"seed {seed}: too few tokens with {name}")
    if (d.ref - d.logp)[m].max() > 2.5:
        raise RuntimeError(f"seed {seed}: ref - logp leaves the domain where verl's k3 is not clamped (k3 < 10)")
    return d


def rel(ours, theirs):
    ours, theirs = ours.detach().double(), theirs.detach().double()
    if ours.shape != theirs.shape:
        return float("inf")
    scale = theirs.abs().max().item()
    err = (ours - theirs).abs().max().item()
    return err / scale if scale > 0 else err


def compare(check, ours, theirs):
    if check == "adv":
        return {"adv": rel(ours["adv"], theirs["adv"])}
    return {"loss": rel(ours["loss"], theirs["loss"]), "grad": rel(ours["grad"], theirs["grad"])}


# ----------------------------------------------------------------------------------------------
# rlvrbench: the grpo_conformance executable


class Rlvrbench:
    def __init__(self, binary, tmp):
        self.bin, self.tmp, self.cache, self.inputs = binary, tmp, {}, {}

    def input(self, d, given_adv):
        key = (d.seed, given_adv)
        if key not in self.inputs:
            path = os.path.join(self.tmp, f"in-{d.seed}-{int(given_adv)}.safetensors")
            t = {"logp": d.logp, "old_logp": d.old, "ref_logp": d.ref, "mask": d.mask, "rewards": d.rewards, "group": d.group}
            if given_adv:
                t["adv"] = d.adv
            save_file({k: v.contiguous() for k, v in t.items()}, path)
            self.inputs[key] = path
        return self.inputs[key]

    def run(self, d, keys, check, group_eps=None):
        key = (d.seed, tuple(keys), check, group_eps)
        if key not in self.cache:
            out = os.path.join(self.tmp, "out.safetensors")
            cmd = [self.bin, "--in", self.input(d, check == "loss"), "--out", out]
            for k in keys:
                cmd += ["--set", k]
            if group_eps is not None:
                cmd += ["--group-eps", repr(group_eps)]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                raise KeyProblem(f"grpo_conformance {' '.join(keys)}: exit {p.returncode}: {p.stderr.strip()}")
            self.cache[key] = load_file(out)
        return self.cache[key]

    def variants(self, axis, context):
        """rlvrbench's settings along an axis, on top of the context keys."""
        if axis == "adv":
            combos = [("true", "true", "true"), ("true", "true", "false"), ("true", "false", "true"),
                      ("true", "false", "false"), ("false", "true", "true"), ("false", "true", "false")]
            return [context + [f"train.group_mean={a}", f"train.std_normalize={b}", f"train.batch_whiten={c}"] for a, b, c in combos]
        if axis == "agg":
            return [context + [f"train.loss_agg={a}"] for a in ("token-mean", "seq-mean-token-mean", "seq-mean-token-sum-norm", "micro-token-mean")]
        return [context + [f"train.kl_estimator={k}"] for k in ("k1", "k3")]


# ----------------------------------------------------------------------------------------------
# Loading references whose heavy dependencies are not installed


class _StubMeta(type):
    def __call__(cls, *a, **k):
        if len(a) == 1 and callable(a[0]) and not k:  # used as a decorator: leave the function as it is
            return a[0]
        return super().__call__()

    def __getattr__(cls, k):
        if k.startswith("__") and k.endswith("__"):
            raise AttributeError(k)
        return _stub_class(f"{cls.__qualname__}.{k}")


def _stub_class(name):
    return _StubMeta(name, (), {"__getattr__": lambda self, k: _stub_class(f"{name}().{k}")})


class _StubModule(types.ModuleType):
    def __getattr__(self, k):
        if k.startswith("__") and k.endswith("__"):
            raise AttributeError(k)
        return _stub_class(f"{self.__name__}.{k}")


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Placeholder modules for the named (heavy, uninstalled) modules, only while a reference loads."""

    def __init__(self, names):
        self.names = names

    def find_spec(self, name, path, target=None):
        if any(name == n or name.startswith(n + ".") for n in self.names):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        m = _StubModule(spec.name)
        m.__path__ = []
        return m

    def exec_module(self, module):
        pass


def import_with_stubs(stubbed, skip_init, modules):
    """Imports `modules` with placeholder modules for `stubbed` and without running the package
    __init__ files of `skip_init` (they import the whole framework)."""
    finder = _StubFinder(stubbed)
    sys.meta_path.insert(0, finder)
    try:
        for pkg in skip_init:
            spec = importlib.util.find_spec(pkg) if "." not in pkg else None
            if "." in pkg:
                parent = sys.modules[pkg.rsplit(".", 1)[0]]
                locs = [os.path.join(parent.__path__[0], pkg.rsplit(".", 1)[1])]
            else:
                if spec is None:
                    raise ModuleNotFoundError(f"No module named '{pkg}'")
                locs = list(spec.submodule_search_locations)
            m = types.ModuleType(pkg)
            m.__path__ = locs
            sys.modules[pkg] = m
        return [importlib.import_module(name) for name in modules]
    finally:
        sys.meta_path.remove(finder)


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


# ----------------------------------------------------------------------------------------------
# TRL


class Trl:
    name = "trl"
    axis_variants = {
        "adv": [{"scale_rewards": s} for s in ("group", "batch", "none")],
        "agg": [{"loss_type": t} for t in ("grpo", "bnpo", "dr_grpo", "dapo")],
        "kl": [{}],  # beta's KL is k3 only
    }

    def __init__(self, tmp):
        import trl
        import trl.trainer.grpo_trainer as gt
        self.how = f"trl {version('trl')}: trl.trainer.grpo_trainer imported as installed"
        self.GRPOConfig, self.Trainer, self.gt, self.tmp = trl.GRPOConfig, gt.GRPOTrainer, gt, tmp
        src = inspect.getsource(gt)
        # The stand-in trainer below copies these assignments of GRPOTrainer.__init__: a TRL whose
        # __init__ no longer has them would make the stand-in wrong, so it stops the test.
        for line in ("self.epsilon_low = args.epsilon",
                     "self.epsilon_high = args.epsilon_high if args.epsilon_high is not None else args.epsilon",
                     "self.beta = args.beta", "self.loss_type = args.loss_type", "self.scale_rewards = args.scale_rewards",
                     "self.max_completion_length = args.max_completion_length",
                     "self.importance_sampling_level = args.importance_sampling_level",
                     "self.off_policy_mask_threshold = args.off_policy_mask_threshold",
                     "self.top_entropy_quantile = args.top_entropy_quantile",
                     "self.multi_objective_aggregation = args.multi_objective_aggregation",
                     "self._entropy_bonus_enabled = self.entropy_coef != 0.0 or self.use_adaptive_entropy",
                     "self.reward_weights = torch.ones(len(reward_funcs), dtype=torch.float32)",
                     'compute_loss_func="non-None value to disable scaling"'):
            if line not in src:
                raise RuntimeError(f"GRPOTrainer no longer has `{line}` (the stand-in trainer copies it)")
        # The advantage statements of _generate_and_score_completions, from the unscorable mask to
        # the advantages, run as they are in the installed source.
        tree = ast.parse(src)
        fn = next(n for c in tree.body if isinstance(c, ast.ClassDef) and c.name == "GRPOTrainer"
                  for n in c.body if isinstance(n, ast.FunctionDef) and n.name == "_generate_and_score_completions")
        text = [ast.unparse(s) for s in fn.body]
        i0 = next(i for i, s in enumerate(text) if s.startswith("unscorable_mask ="))
        i1 = next(i for i, s in enumerate(text) if s.startswith("advantages = torch.nan_to_num("))
        self.adv_code = compile(ast.Module(body=fn.body[i0:i1 + 1], type_ignores=[]), gt.__file__, "exec")
        self.configs = {}

    def config(self, keys):
        k = tuple(sorted(keys.items()))
        if k not in self.configs:
            kw = dict(output_dir=os.path.join(self.tmp, "trl"), report_to="none", use_cpu=True, num_generations=G)
            kw.update(keys)
            self.configs[k] = self.GRPOConfig(**kw)
        return self.configs[k]

    def stand_in(self, args, logps):
        s = NS()
        s.args = args
        for a in ("loss_type", "scale_rewards", "beta", "max_completion_length", "importance_sampling_level",
                  "off_policy_mask_threshold", "top_entropy_quantile", "use_vllm", "vllm_importance_sampling_correction",
                  "multi_objective_aggregation", "entropy_coef", "use_adaptive_entropy", "num_generations"):
            setattr(s, a, getattr(args, a))
        s.epsilon_low = args.epsilon
        s.epsilon_high = args.epsilon_high if args.epsilon_high is not None else args.epsilon
        s._entropy_bonus_enabled = s.entropy_coef != 0.0 or s.use_adaptive_entropy
        s.aux_loss_enabled = False  # not a mixture-of-experts model
        s.reward_weights = torch.ones(1, dtype=torch.float32)  # one reward function
        s.current_gradient_accumulation_steps = args.gradient_accumulation_steps
        s.model = NS(training=True)
        s.accelerator = NS(num_processes=1, process_index=0, sync_gradients=True, gather=lambda t: t,
                           gather_for_metrics=lambda t: t, reduce=lambda t, reduction="sum": t)
        s._metrics = defaultdict(lambda: defaultdict(list))
        s._get_per_token_logps_and_entropies = lambda *a, **k: (logps, torch.zeros_like(logps), None)
        return s

    def adv(self, keys, d):
        ns = dict(vars(self.gt))  # the module's globals (nanstd, torch), then the function's locals it reads
        ns.update({"self": self.stand_in(self.config(keys), None), "rewards_per_func": d.rewards[:, None].clone(),
                   "num_generations": G, "device": "cpu"})
        exec(self.adv_code, ns)
        return ns["advantages"]

    def loss(self, keys, d, entry):
        args = self.config(keys)
        mb, ga, spg = args.per_device_train_batch_size, args.gradient_accumulation_steps, args.steps_per_generation
        if mb * spg != d.B or spg % ga:
            raise KeyProblem(f"per_device_train_batch_size {mb} x steps_per_generation {spg} must be the rollout's {d.B} "
                             f"responses, in whole optimizer steps of {ga} micro-batches")
        logp = d.logp.clone().requires_grad_(True)
        num_items = d.mask.sum()  # the generation batch's completion tokens (TRL gathers loss_mask.sum())
        losses = []
        for u in range(spg // ga):
            tot = 0
            for a in range(ga):
                s = slice((u * ga + a) * mb, (u * ga + a + 1) * mb)
                inputs = {"prompt_ids": torch.zeros(mb, 1, dtype=torch.long), "prompt_mask": torch.ones(mb, 1, dtype=torch.long),
                          "completion_ids": torch.zeros(mb, T, dtype=torch.long), "completion_mask": d.mask[s],
                          "advantages": d.adv[s], "old_per_token_logps": d.old[s], "ref_per_token_logps": d.ref[s],
                          "num_items_in_batch": num_items}
                tot = tot + self.Trainer._compute_loss(self.stand_in(args, logp[s]), None, inputs)
            losses.append(tot)
        sum(losses).backward()
        return {"loss": torch.stack(losses), "grad": logp.grad}


# ----------------------------------------------------------------------------------------------
# verl


VERL_ACTOR = "actor_rollout_ref.actor."


class Verl:
    name = "verl"
    A = VERL_ACTOR
    axis_variants = {
        "adv": [{"algorithm.adv_estimator": "grpo", "algorithm.norm_adv_by_std_in_grpo": True},
                {"algorithm.adv_estimator": "grpo", "algorithm.norm_adv_by_std_in_grpo": False},
                {"algorithm.adv_estimator": "reinforce_plus_plus_baseline"},
                {"algorithm.adv_estimator": "reinforce_plus_plus", "algorithm.gamma": 1.0}],
        "agg": [{VERL_ACTOR + "loss_agg_mode": m} for m in ("token-mean", "seq-mean-token-mean", "seq-mean-token-sum",
                                                  "seq-mean-token-sum-norm", "token-sum")],
        "kl": [{VERL_ACTOR + "kl_loss_type": k} for k in ("kl", "abs", "mse", "low_var_kl", "kl+", "abs+", "low_var_kl+")],
    }
    stubbed = ["ray", "tensordict"]

    def __init__(self, tmp):
        ca, wc, tc = import_with_stubs(self.stubbed, ["verl"], ["verl.trainer.ppo.core_algos", "verl.workers.config", "verl.trainer.config"])
        self.ca, self.ActorConfig, self.AlgoConfig = ca, wc.ActorConfig, tc.AlgoConfig
        self.how = (f"verl {version('verl')}: verl.trainer.ppo.core_algos imported without verl/__init__.py, "
                    f"with placeholder modules for {', '.join(self.stubbed)} (not installed)")

    def actor(self, keys):
        kw = {k[len(self.A):]: v for k, v in keys.items() if k.startswith(self.A)}
        other = set(keys) - {k for k in keys if k.startswith(self.A) or k.startswith("algorithm.")}
        if other:
            raise KeyProblem(f"keys the test does not apply: {sorted(other)}")
        return self.ActorConfig(strategy="fsdp", rollout_n=G, **kw)

    def adv(self, keys, d):
        est = keys["algorithm.adv_estimator"]
        scores = torch.zeros(d.B, T, dtype=torch.float64)  # the reward on each response's last token
        scores[torch.arange(d.B), d.lengths - 1] = d.rewards
        index = np.array([str(int(g)) for g in d.group], dtype=object)
        algo = self.AlgoConfig(adv_estimator=est, gamma=keys.get("algorithm.gamma", 1.0),
                               norm_adv_by_std_in_grpo=keys.get("algorithm.norm_adv_by_std_in_grpo", True))
        if est == "grpo":  # as compute_advantage in verl/trainer/ppo/ray_trainer.py calls it
            a, _ = self.ca.compute_grpo_outcome_advantage(token_level_rewards=scores, response_mask=d.mask, index=index,
                                                          norm_adv_by_std_in_grpo=algo.norm_adv_by_std_in_grpo)
        else:
            a, _ = self.ca.get_adv_estimator_fn(est)(token_level_rewards=scores, response_mask=d.mask, config=algo, index=index)
        return a[:, 0]

    def loss(self, keys, d, entry):
        cfg = self.actor(keys)
        mini = cfg.ppo_mini_batch_size * G  # verl counts mini-batches in prompts (x rollout.n)
        micro = cfg.ppo_micro_batch_size_per_gpu
        if d.B % mini or mini % micro:
            raise KeyProblem(f"ppo_mini_batch_size {cfg.ppo_mini_batch_size} x {G} and ppo_micro_batch_size_per_gpu {micro} do not divide {d.B}")
        logp = d.logp.clone().requires_grad_(True)
        adv = d.adv[:, None] * d.mask  # verl's advantages are per token, 0 on padding
        losses = []
        for u in range(d.B // mini):
            us = slice(u * mini, (u + 1) * mini)
            tot = 0
            for b0 in range(u * mini, (u + 1) * mini, micro):
                s = slice(b0, b0 + micro)
                m = d.mask[s].to(bool)
                # verl/workers/utils/losses.py ppo_loss: the mini-batch's totals, then the policy loss and the KL term
                cfg.global_batch_info["dp_size"] = 1
                cfg.global_batch_info["batch_num_tokens"] = int(d.mask[us].sum())
                cfg.global_batch_info["global_batch_size"] = mini
                cfg.global_batch_info["loss_scale_factor"] = cfg.loss_scale_factor
                pg_loss, _ = self.ca.get_policy_loss_fn(cfg.policy_loss.get("loss_mode", "vanilla"))(
                    old_log_prob=d.old[s], log_prob=logp[s], advantages=adv[s], response_mask=m,
                    loss_agg_mode=cfg.loss_agg_mode, config=cfg, rollout_is_weights=None)
                policy_loss = pg_loss
                if cfg.use_kl_loss:
                    kld = self.ca.kl_penalty(logprob=logp[s], ref_logprob=d.ref[s], kl_penalty=cfg.kl_loss_type)
                    kl_loss = self.ca.agg_loss(loss_mat=kld, loss_mask=m, loss_agg_mode=cfg.loss_agg_mode, **cfg.global_batch_info)
                    policy_loss = policy_loss + kl_loss * cfg.kl_loss_coef
                tot = tot + policy_loss  # FSDP: each micro-batch's loss is backpropagated as it is
            losses.append(tot)
        sum(losses).backward()
        return {"loss": torch.stack(losses), "grad": logp.grad}


# ----------------------------------------------------------------------------------------------
# OpenRLHF


class OpenRLHF:
    name = "openrlhf"
    axis_variants = {
        "adv": [{"algo.advantage.estimator": e} for e in ("group_norm", "dr_grpo", "reinforce_baseline", "reinforce")],
        "agg": [{"actor.loss_agg_mode": m, "loss_norm": n} for m in ("token-mean", "seq-mean-token-mean") for n in ("step", "micro-batch")],
        "kl": [{"algo.kl.estimator": e, "algo.kl.unbiased_gradient": u} for e in ("k1", "k2", "k3") for u in (False, True)],
    }
    stubbed = ["deepspeed", "ray", "openrlhf.trainer.ray.launcher"]

    def __init__(self, tmp):
        skip = ["openrlhf", "openrlhf.models", "openrlhf.utils", "openrlhf.trainer", "openrlhf.trainer.ppo_utils", "openrlhf.trainer.ray"]
        loss, utils, loss_utils, em = import_with_stubs(
            self.stubbed, skip, ["openrlhf.models.loss", "openrlhf.models.utils", "openrlhf.utils.loss_utils",
                                 "openrlhf.trainer.ppo_utils.experience_maker"])
        self.PolicyLoss, self.aggregate_loss = loss.PolicyLoss, loss.aggregate_loss
        self.compute_approx_kl, self.iter_norm = utils.compute_approx_kl, loss_utils.iter_grad_accum_global_norm
        self.Maker = em.RemoteExperienceMaker
        self.how = (f"openrlhf {version('openrlhf')}: openrlhf.models.loss, .models.utils, .utils.loss_utils and "
                    f"trainer.ppo_utils.experience_maker imported without the package __init__ files, with placeholder "
                    f"modules for {', '.join(self.stubbed)} (not installed, or importing them)")

    def adv(self, keys, d):
        est = keys["algo.advantage.estimator"]
        args = NS(algo=NS(advantage=NS(estimator=est, gamma=1.0, lambd=1.0, no_std_norm=keys.get("algo.advantage.no_std_norm", False))),
                  rollout=NS(n_samples_per_prompt=G), reward=NS(clip_range=(-10, 10)))  # the CLI's defaults
        maker = NS(strategy=NS(args=args), advantage_estimator=est, kl_ctl=NS(value=0.0))
        maker.get_cumulative_returns = lambda *a: self.Maker.get_cumulative_returns(maker, *a)
        exp = NS(rewards=d.rewards.clone(), index=list(range(d.B)), info={}, kl=torch.zeros(d.B, T, dtype=torch.float64),
                 action_mask=d.mask.to(bool), values=None)
        self.Maker.compute_advantages_and_returns(maker, [exp])
        return exp.advantages[:, 0]

    def loss(self, keys, d, entry):
        norm = keys.get("loss_norm", entry.get("loss_norm"))
        lo, hi = keys.get("actor.eps_clip_low_high", [keys.get("actor.eps_clip", 0.2)] * 2)
        mode = keys.get("actor.loss_agg_mode", "token-mean")
        fn = self.PolicyLoss(clip_eps_low=lo, clip_eps_high=hi, dual_clip=keys.get("actor.dual_clip"),
                             token_level_loss=mode == "token-mean", policy_loss_type="ppo")
        update, micro = keys["train.batch_size"], keys["train.micro_batch_size"]
        if d.B % update or update % micro:
            raise KeyProblem(f"train.batch_size {update} and train.micro_batch_size {micro} do not divide {d.B}")
        gas = update // micro  # one process: accumulated_gradient = train.batch_size / train.micro_batch_size
        pack = keys.get("ds.packing_samples", False)
        logp = d.logp.clone().requires_grad_(True)
        losses = []
        for u in range(d.B // update):
            items = [slice(b0, b0 + micro) for b0 in range(u * update, (u + 1) * update, micro)]
            if norm == "step":  # OpenRLHF 0.11.2's trainer: the step's token / sequence totals
                pairs = list(self.iter_norm(items, None, gas, lambda s: d.mask[s]))
            else:  # the scripts' OpenRLHF: each micro-batch its own (masked) mean
                pairs = [(s, {}) for s in items]
            tot = 0
            for s, info in pairs:
                lp, op, rp, m = logp[s], d.old[s], d.ref[s], d.mask[s]
                A = d.adv[s][:, None].expand_as(m)
                if pack:  # the micro-batch's responses packed into one row, as --packing_samples does
                    keep = m > 0
                    lp, op, rp, A = (x[keep][None, :] for x in (lp, op, rp, A))
                    m = torch.ones_like(lp)
                actor_loss = fn(lp, op, A, action_mask=m, rollout_log_probs=None, **info)[0]
                loss = actor_loss
                if keys.get("algo.kl.use_loss", False):
                    kl = self.compute_approx_kl(lp, rp, log_probs_old=op, kl_estimator=keys.get("algo.kl.estimator", "k1"),
                                                unbiased_gradient=keys.get("algo.kl.unbiased_gradient", False))
                    loss = actor_loss + self.aggregate_loss(kl, m, **info) * keys.get("algo.kl.init_coef", 0.01)
                tot = tot + loss / gas  # DeepSpeed scales each micro-batch's loss by 1 / accumulation steps
            losses.append(tot)
        sum(losses).backward()
        return {"loss": torch.stack(losses), "grad": logp.grad}


# ----------------------------------------------------------------------------------------------
# The pairings


def expand(keys):
    """A key whose value is a list of alternatives (verl's kl_loss_type aliases) -> one key set each."""
    out = [{}]
    for k, v in keys.items():
        if isinstance(v, list) and k != "actor.eps_clip_low_high":
            out = [dict(o, **{k: x}) for o in out for x in v]
        else:
            out = [dict(o, **{k: v}) for o in out]
    return out


def reference(ref, check, keys, d, entry):
    return {"adv": ref.adv(keys, d)} if check == "adv" else ref.loss(keys, d, entry)


def fmt(diffs):
    return " ".join(f"{k} {v:.1e}" for k, v in diffs.items())


def worst(acc, diffs):
    for k, v in diffs.items():
        acc[k] = max(acc.get(k, 0.0), v)


def check_entry(row, refname, ref, rl, data):
    """(ok, detail) for one reference's claim in one row, over every seed."""
    e, check, axis = row[refname], row["check"], row["axis"]
    st = e["status"]
    tol = e.get("tol", TOL)
    rl_none = row["rlvrbench"].get("status") == "none"
    rl_keys = row["rlvrbench"]["keys"]
    if st == "none" and rl_none:
        return True, f"none on both sides ({e['why']})"
    if st in ("exact", "differs"):
        acc, acc_with, alts = {}, {}, expand(e["keys"])
        for d in data:
            ours = rl.run(d, rl_keys, check)
            ours_with = rl.run(d, rl_keys, check, e["exact_with"]["group_eps"]) if "exact_with" in e else None
            for keys in alts:
                theirs = reference(ref, check, keys, d, e)
                diffs = compare(check, ours, theirs)
                if st == "exact":
                    worst(acc, diffs)
                else:  # the smallest distinguishing difference over seeds
                    m = max(diffs.values())
                    acc["min over seeds"] = min(acc.get("min over seeds", float("inf")), m)
                    if ours_with is not None:
                        worst(acc_with, compare(check, ours_with, theirs))
        alt = f" [{len(alts)} key sets]" if len(alts) > 1 else ""
        if st == "exact":
            return max(acc.values()) <= tol, f"exact{alt}: {fmt(acc)} (tol {tol:g})"
        ok = acc["min over seeds"] > tol
        detail = f"differs{alt}: {acc['min over seeds']:.1e} > tol {tol:g} ({e['why']})"
        if acc_with:
            ok = ok and max(acc_with.values()) <= tol
            detail += f"; exact with {e['exact_with']}: {fmt(acc_with)}"
        return ok, detail
    if st == "none":  # no variant of the reference along the axis matches rlvrbench
        closest, n = float("inf"), 0
        for d in data:
            ours = rl.run(d, rl_keys, check)
            for v in ref.axis_variants[axis]:
                for keys in expand({**e.get("keys", {}), **v}):
                    theirs = reference(ref, check, keys, d, e)
                    closest = min(closest, max(compare(check, ours, theirs).values()))
                    n += 1
        return closest > tol, f"none: closest of {n} {refname} variants along '{axis}' differs by {closest:.1e} ({e['why']})"
    # variant: rlvrbench has no setting; none of rlvrbench's variants along the axis matches the reference's
    closest, n, alts = float("inf"), 0, expand(e["keys"])
    for d in data:
        for keys in alts:
            theirs = reference(ref, check, keys, d, e)
            for v in rl.variants(axis, rl_keys):
                closest = min(closest, max(compare(check, rl.run(d, v, check), theirs).values()))
                n += 1
    return closest > tol, (f"variant without rlvrbench setting: closest of {n} rlvrbench variants along '{axis}' "
                           f"differs by {closest:.1e} ({row['rlvrbench']['why']})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the grpo_conformance executable")
    ap.add_argument("--doc", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "other-trainers.md"))
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--only", default="", help="run only the rows whose id starts with this")
    a = ap.parse_args()
    t0 = time.time()
    try:
        rows = read_table(a.doc)
        seeds = [int(s) for s in a.seeds.split(",") if s]
    except (TableError, ValueError, OSError) as e:
        print(f"grpo_conformance: {e}", file=sys.stderr)
        return 2
    if not os.access(a.bin, os.X_OK):
        print(f"grpo_conformance: {a.bin}: not an executable", file=sys.stderr)
        return 2
    rows = [r for r in rows if r["id"].startswith(a.only)]
    with tempfile.TemporaryDirectory(prefix="grpo-conformance-") as tmp:
        refs = {}
        for cls in (Trl, Verl, OpenRLHF):
            try:
                refs[cls.name] = cls(tmp)
            except Exception as e:  # every pairing names every reference: without one, nothing is judged
                refuse(cls.name, e)
            print(f"import {refs[cls.name].how}")
        data = [make_data(s) for s in seeds]
        rl = Rlvrbench(a.bin, tmp)
        passed = failed = 0
        for row in rows:
            for refname in REFS:
                try:
                    ok, detail = check_entry(row, refname, refs[refname], rl, data)
                except KeyProblem as e:
                    ok, detail = False, f"cannot apply the keys: {e}"
                except Exception as e:
                    ok, detail = False, f"error: {type(e).__name__}: {e}"
                    traceback.print_exc()
                passed, failed = passed + ok, failed + (not ok)
                print(f"{'PASS' if ok else 'FAIL'} {row['id']:<28} {refname:<8} {detail}", flush=True)
    print(f"seeds {','.join(map(str, seeds))}; {time.time() - t0:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
