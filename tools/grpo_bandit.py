#!/usr/bin/env python3
"""A bandit model of GRPO under a random reward: where can PPO's clip move a shared strategy choice?

The policy answers a problem in two tokens. The first picks the strategy (code or language) with
logit theta_j = theta0_j + b + c_k: a planted per-problem logit around its class's propensity,
plus a global and a per-class parameter that training moves (shared: an eval problem is never
trained on, it moves only through b and c_k, as a network's unseen problems do). The second is the
answer, right with logit psi_js = psi0_js + d_s + e_ks (planted so that greedy decoding is right on
a_code / a_lang of the problems). Greedy decoding takes each token's mode.

Training is GRPO as rlvrbench's trainer runs it: P prompts x G samples per rollout from the train
problems, Bernoulli(0.5) rewards (or the true one), advantages (r - group mean) / (unbiased group
std + 1e-9), the rollout cut into U minibatches of whole groups, one Adam step (beta 0.9 / 0.95,
eps 1e-8) each on the token-mean PPO loss -min(rho A, clip(rho, 1 - eps, 1 + eps) A), rho the ratio
to the rollout's policy. With U = 1 rho is 1 and the clip does nothing; from the second minibatch
on the shared parameters have moved, rho leaves 1, and the clip's bias can act.

lr is the suite's learning rate; a network's logit moves by about lr times its sensitivity to the
weights per Adam step (Adam steps each weight by about lr), so the model's logit parameters step
with lr x lr_scale (calibrated against quick's measured seed spread: docs/bandit.md).

  python3 tools/grpo_bandit.py run [--lr 1e-4] [--lr-scale S] [--updates 8] [--responses 16] [--steps 30]
                                   [--prior focus|spread1.5|spread0.5|mech] [--group 8] [--seeds 64] [--reward random|truth]
The `mech` prior is synth-micro-mech's (3/8 of classes at 0.35, 5/8 at 0.95; greedy accuracy of
language / code 0.25 / 0.78 as `zoo inspect` measured it); the map's grid keeps the first three.
Bad arguments exit 2 with one line naming the argument. Deterministic: same arguments, same numbers.
"""
import argparse
import math
import sys
from dataclasses import dataclass, field
from statistics import NormalDist

import numpy as np

CLASSES = 32            # synth: 8 x |ops| cue classes
CODE_SHARE = 0.65       # synth-micro's planted code share
ACC = (0.4, 0.8)        # greedy accuracy of language / code (quick.toml's header)
ANSWER_SD = 2.0         # spread of the planted answer logits
JITTER = 1.0            # per-problem spread of the strategy logit around its class's (logit units)
N_TRAIN, N_EVAL, GROUP = 2000, 200, 8
PRIORS = ("focus", "spread1.5", "spread0.5")   # the pre-registered map's
ALL_PRIORS = PRIORS + ("mech",)
MECH_BLOCKS = ((0.375, 0.35), (0.625, 0.95))    # models/zoo/synth-micro-mech.toml's code_blocks
ACC_BY_PRIOR = {"mech": (0.25, 0.78)}           # its greedy language / code accuracy (zoo-mech-inspect.txt)


def class_propensity(prior):
    """Per-class code probability, as synth/README.md plants it (code_focus 0.9 or code_spread s)."""
    if prior == "mech":
        return np.concatenate([np.full(round(share * CLASSES), p) for share, p in MECH_BLOCKS])
    if prior == "focus":
        n_code = round(CODE_SHARE * CLASSES)
        a = np.r_[np.ones(n_code), np.zeros(CLASSES - n_code)]
        return 0.1 * CODE_SHARE + 0.9 * a
    spread = float(prior[len("spread"):])
    z = np.array([NormalDist().inv_cdf((r + 0.5) / CLASSES) for r in range(CLASSES)])
    lo, hi = -20.0, 20.0
    for _ in range(100):  # mu so that the mean over classes is the share exactly
        mu = (lo + hi) / 2
        lo, hi = (mu, hi) if np.mean(1 / (1 + np.exp(-(mu + spread * z)))) < CODE_SHARE else (lo, mu)
    return 1 / (1 + np.exp(-(mu + spread * z)))


@dataclass
class World:
    """Planted problems: class, strategy logit theta0 and answer logits psi0[:, s] (s 0 language, 1 code)."""
    cls: np.ndarray
    theta0: np.ndarray
    psi0: np.ndarray


def world_make(prior, n, rng):
    p = class_propensity(prior)
    cls = rng.integers(0, CLASSES, n)
    theta0 = np.log(p[cls] / (1 - p[cls])) + JITTER * rng.standard_normal(n)
    mu = np.array([ANSWER_SD * NormalDist().inv_cdf(a) for a in ACC_BY_PRIOR.get(prior, ACC)])
    psi0 = mu + ANSWER_SD * rng.standard_normal((n, 2))
    return World(cls, theta0, psi0)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


@dataclass
class Params:
    """Per seed (rows): b, c[K], d[2], e[K, 2], with Adam's moments for each."""
    seeds: int
    x: np.ndarray = field(init=False)

    def __post_init__(self):
        self.x = np.zeros((self.seeds, 1 + CLASSES + 2 + 2 * CLASSES))
        self.m = np.zeros_like(self.x)
        self.v = np.zeros_like(self.x)
        self.t = 0

    def logits(self, w, idx):
        """theta (S, n) and psi (S, n, 2) of problems idx (S, n) of world w."""
        k = w.cls[idx]
        s = np.arange(self.seeds)[:, None]
        theta = w.theta0[idx] + self.x[:, :1] + self.x[s, 1 + k]
        e = self.x[:, 3 + CLASSES:].reshape(self.seeds, CLASSES, 2)
        psi = w.psi0[idx] + self.x[:, None, 1 + CLASSES:3 + CLASSES] + e[s, k]
        return theta, psi

    def adam(self, grad, lr, b1=0.9, b2=0.95, eps=1e-8):
        self.t += 1
        self.m = b1 * self.m + (1 - b1) * grad
        self.v = b2 * self.v + (1 - b2) * grad * grad
        mh, vh = self.m / (1 - b1 ** self.t), self.v / (1 - b2 ** self.t)
        self.x -= lr * mh / (np.sqrt(vh) + eps)


def token_logp(theta, psi, code, right):
    """log-probs of the strategy token and of the answer token (S, n each)."""
    lp_s = np.where(code, -np.logaddexp(0, -theta), -np.logaddexp(0, theta))
    ps = np.take_along_axis(psi, code[..., None].astype(int), 2)[..., 0]
    lp_a = np.where(right, -np.logaddexp(0, -ps), -np.logaddexp(0, ps))
    return lp_s, lp_a, ps


@dataclass
class Recipe:
    lr: float = 1e-4
    lr_scale: float = 1.0
    updates: int = 8          # optimizer updates per rollout (minibatches of whole groups)
    responses: int = 16       # responses per update (a multiple of group)
    steps: int = 30
    clip: bool = True
    eps: float = 0.2
    reward: str = "random"    # random (Bernoulli 0.5) or truth (1 when the answer is right)
    group: int = GROUP        # samples per prompt


def advantages(r):
    """GRPO's (r - group mean) / (unbiased group std + 1e-9) over the last axis (a group)."""
    sd = r.std(axis=-1, ddof=1, keepdims=True)
    return (r - r.mean(axis=-1, keepdims=True)) / (sd + 1e-9)


def coef(lp_new, lp_old, adv, rc):
    """d(-loss)/d(logp) per token of the clipped objective: A rho where the unclipped term is the min."""
    rho = np.exp(lp_new - lp_old)
    if not rc.clip:
        return adv * rho, 0.0
    active = np.where(adv > 0, rho < 1 + rc.eps, rho > 1 - rc.eps) | (adv == 0)
    return np.where(active, adv * rho, 0.0), float(np.mean(~active))


def minibatch_grad(p, w, mb, rc):
    """The loss gradient of one minibatch (a dict of rollout arrays, each (S, n)) for every parameter."""
    theta, psi = p.logits(w, mb["idx"])
    lp_s, lp_a, ps = token_logp(theta, psi, mb["code"], mb["right"])
    gs, clip_s = coef(lp_s, mb["lp_s"], mb["adv"], rc)
    ga, clip_a = coef(lp_a, mb["lp_a"], mb["adv"], rc)
    n = 2.0 * mb["idx"].shape[1]  # token mean: two tokens a response
    gs = gs * (mb["code"] - sigmoid(theta)) / n   # d logp / d theta
    ga = ga * (mb["right"] - sigmoid(ps)) / n     # d logp / d psi_s
    S = p.seeds
    k = w.cls[mb["idx"]]
    rows = np.arange(S)[:, None] * CLASSES
    g = np.zeros_like(p.x)
    g[:, 0] = gs.sum(1)
    g[:, 1:1 + CLASSES] = np.bincount((rows + k).ravel(), gs.ravel(), S * CLASSES).reshape(S, CLASSES)
    code = mb["code"].astype(int)
    g[:, 1 + CLASSES] = (ga * (1 - code)).sum(1)
    g[:, 2 + CLASSES] = (ga * code).sum(1)
    ek = np.bincount(((rows + k) * 2 + code).ravel(), ga.ravel(), S * CLASSES * 2).reshape(S, 2 * CLASSES)
    g[:, 3 + CLASSES:] = ek
    return -g, (clip_s + clip_a) / 2, float(np.mean(mb["lp_s"] - lp_s))


def rollout(p, w, rng, rc):
    """updates x responses responses: prompts uniform over the train problems, rc.group samples each."""
    S, prompts = p.seeds, rc.updates * rc.responses // rc.group
    idx = np.repeat(rng.integers(0, len(w.cls), (S, prompts)), rc.group, axis=1)
    theta, psi = p.logits(w, idx)
    code = rng.random(idx.shape) < sigmoid(theta)
    ps = np.where(code, psi[..., 1], psi[..., 0])
    right = rng.random(idx.shape) < sigmoid(ps)
    r = (rng.random(idx.shape) < 0.5) if rc.reward == "random" else right
    adv = advantages(r.astype(float).reshape(S, prompts, rc.group)).reshape(S, -1)
    lp_s, lp_a, _ = token_logp(theta, psi, code, right)
    return {"idx": idx, "code": code, "right": right, "adv": adv, "lp_s": lp_s, "lp_a": lp_a}


def greedy(p, w):
    """Greedy accuracy, code frequency and each strategy's accuracy (NaN when empty) per seed."""
    idx = np.broadcast_to(np.arange(len(w.cls)), (p.seeds, len(w.cls)))
    theta, psi = p.logits(w, idx)
    code = theta > 0
    right = np.where(code, psi[..., 1], psi[..., 0]) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        a_code = (right & code).sum(1) / code.sum(1)
        a_lang = (right & ~code).sum(1) / (~code).sum(1)
    return right.mean(1), code.mean(1), a_code, a_lang


def sampled_code(p, w):
    """Expected share of code samples over the train problems, per seed."""
    idx = np.broadcast_to(np.arange(len(w.cls)), (p.seeds, len(w.cls)))
    return sigmoid(p.logits(w, idx)[0]).mean(1)


def decompose(acc0, c0, ac0, al0, acc1, c1, ac1, al1):
    """gain = shift + within (report/decompose.h's identity): shift = (c1 - c0)(a_code0 - a_lang0),
    within = c1 (a_code1 - a_code0) + (1 - c1)(a_lang1 - a_lang0); a zero weight's term is 0, and a
    term that needs an empty strategy's accuracy is NaN."""
    with np.errstate(invalid="ignore"):
        shift = np.where(c1 == c0, 0.0, (c1 - c0) * (ac0 - al0))
        wc = np.where(c1 == 0, 0.0, c1 * (ac1 - ac0))
        wl = np.where(c1 == 1, 0.0, (1 - c1) * (al1 - al0))
    return acc1 - acc0, shift, wc + wl


WORLD_SEED = 20261207


def worlds(prior):
    rng = np.random.default_rng([WORLD_SEED, ALL_PRIORS.index(prior)])
    return world_make(prior, N_TRAIN, rng), world_make(prior, N_EVAL, rng)


def train(prior, rc, seeds, seed=1):
    """One recipe on `seeds` independent seeds at once: per-seed arrays of what it changed."""
    if rc.responses % rc.group:
        raise ValueError(f"--responses: {rc.responses} is not a multiple of the group size {rc.group}")
    w_train, w_eval = worlds(prior)
    rng = np.random.default_rng([seed, 7])
    p = Params(seeds)
    before, sc0 = greedy(p, w_eval), sampled_code(p, w_train)
    clip, kl = [], []
    for _ in range(rc.steps):
        ro = rollout(p, w_train, rng, rc)
        for u in range(rc.updates):
            sl = slice(u * rc.responses, (u + 1) * rc.responses)
            g, cf, k = minibatch_grad(p, w_train, {key: a[:, sl] for key, a in ro.items()}, rc)
            p.adam(g, rc.lr * rc.lr_scale)
            clip.append(cf), kl.append(k)
    after = greedy(p, w_eval)
    gain, shift, within = decompose(*before, *after)
    return {"gain": gain, "shift": shift, "within": within, "code": after[1] - before[1],
            "sampled_code": sampled_code(p, w_train) - sc0, "code0": before[1], "acc0": before[0],
            "bias": p.x[:, 0].copy(), "clip_frac": np.mean(clip), "approx_kl": np.mean(kl)}


def snr(x):
    """mean / sd over seeds (sd 0: inf with the mean's sign, or 0 when the mean is 0 too)."""
    m, s = float(np.mean(x)), float(np.std(x, ddof=1))
    return m / s if s > 0 else (0.0 if m == 0 else math.copysign(math.inf, m))


def calibrate(target_sd, seeds, rc_base, prior="focus"):
    """lr_scale at which the sd over seeds of the greedy code-frequency change matches target_sd
    (bisection in log scale; the sd grows with the step size)."""
    lo, hi = 1.0, 1e5
    for _ in range(18):
        mid = math.sqrt(lo * hi)
        rc = Recipe(**{**rc_base.__dict__, "lr_scale": mid})
        sd = float(np.std(train(prior, rc, seeds)["code"], ddof=1))
        lo, hi = (mid, hi) if sd < target_sd else (lo, mid)
    return math.sqrt(lo * hi)


# The pre-registered map (results/measure/bandit-map.md states it before it was run).
MAP_GRID = {"prior": PRIORS, "lr": (3e-5, 1e-4, 3e-4, 1e-3), "updates": (1, 2, 8, 16), "responses": (16, 128),
            "steps": (30, 300)}
MAP_SEEDS = 32
CALIBRATION_SEEDS = 64
SNR_THRESHOLD = 2.0
# quick's random0.5 over its 35 finished seeds (results/stack2-quick.db): sd of the greedy
# code-frequency change from step 0 to step 30, the calibration target.
QUICK_CODE_SD = 0.0846

CSV_COLUMNS = ["prior", "lr", "updates", "responses", "steps", "clip", "seeds", "acc_gain", "acc_gain_sd", "acc_snr",
               "shift", "shift_sd", "shift_snr", "within", "code_change", "code_sd", "code_snr", "sampled_code_change", "clip_minus_noclip",
               "clip_minus_noclip_sd", "clip_minus_noclip_snr", "clip_frac", "approx_kl"]


def point_rows(prior, rc, seeds, seed=1):
    """The CSV rows of one map point: the clipped and the unclipped run on the same seeds."""
    r = {c: train(prior, Recipe(**{**rc.__dict__, "clip": c}), seeds, seed) for c in (True, False)}
    diff = r[True]["gain"] - r[False]["gain"]
    rows = []
    for c in (True, False):
        x = r[c]
        rows.append([prior, rc.lr, rc.updates, rc.responses, rc.steps, int(c), seeds, np.mean(x["gain"]),
                     np.std(x["gain"], ddof=1), snr(x["gain"]), np.nanmean(x["shift"]), np.nanstd(x["shift"], ddof=1),
                     snr(x["shift"][~np.isnan(x["shift"])]), np.nanmean(x["within"]),
                     np.mean(x["code"]), np.std(x["code"], ddof=1), snr(x["code"]), np.mean(x["sampled_code"]),
                     np.mean(diff), np.std(diff, ddof=1), snr(diff), x["clip_frac"], x["approx_kl"]])
    return rows


def fmt(v):
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def run_map(out, lr_scale, seeds):
    import itertools
    with open(out, "w") as f:
        f.write(f"# lr_scale={lr_scale:.6g} seeds={seeds} threshold={SNR_THRESHOLD}\n" + ",".join(CSV_COLUMNS) + "\n")
        for prior, lr, u, resp, steps in itertools.product(*MAP_GRID.values()):
            rc = Recipe(lr=lr, lr_scale=lr_scale, updates=u, responses=resp, steps=steps)
            for row in point_rows(prior, rc, seeds):
                f.write(",".join(fmt(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in row) + "\n")
            f.flush()


def bad(arg, msg):
    print(f"grpo_bandit.py: {arg}: {msg}", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["run", "calibrate", "map"])
    ap.add_argument("--prior", default="focus")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--lr-scale", type=float, default=None, help="default: calibrated on quick's recipe first (10 s)")
    ap.add_argument("--updates", type=int, default=8)
    ap.add_argument("--responses", type=int, default=16)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--group", type=int, default=GROUP, help="samples per prompt (the suites': 8; positive-control: 16)")
    ap.add_argument("--seeds", type=int, default=None, help=f"default {MAP_SEEDS} ({CALIBRATION_SEEDS} to calibrate)")
    ap.add_argument("--reward", default="random", choices=["random", "truth"])
    ap.add_argument("--seed", type=int, default=1, help="the training random stream (the map's is 1)")
    ap.add_argument("--out", default=None)
    try:
        a = ap.parse_args(argv)
    except SystemExit as e:
        sys.exit(0 if e.code == 0 else 2)
    if a.prior not in ALL_PRIORS:
        bad("--prior", f"'{a.prior}' is not one of {', '.join(ALL_PRIORS)}")
    for k in ("updates", "responses", "steps", "group"):
        if getattr(a, k) < 1:
            bad("--" + k, f"must be >= 1, got {getattr(a, k)}")
    if a.group < 2:
        bad("--group", f"needs at least 2 samples a prompt for an advantage, got {a.group}")
    if a.responses % a.group:
        bad("--responses", f"{a.responses} is not a multiple of the group size {a.group}")
    if a.seeds is None:
        a.seeds = CALIBRATION_SEEDS if a.command == "calibrate" else MAP_SEEDS
    if a.seeds < 2:
        bad("--seeds", f"needs at least 2 seeds for a spread, got {a.seeds}")
    if not a.lr > 0 or (a.lr_scale is not None and not a.lr_scale > 0):
        bad("--lr", "learning rate and scale must be > 0")
    if a.command == "map" and not a.out:
        bad("--out", "map needs --out FILE.csv")
    return a


def main(argv):
    a = parse(argv)
    quick = Recipe(lr=1e-4, updates=8, responses=16, steps=30)
    if a.command == "calibrate":
        print(f"lr_scale {calibrate(QUICK_CODE_SD, a.seeds, quick):.6g}")
        return 0
    scale = a.lr_scale if a.lr_scale is not None else calibrate(QUICK_CODE_SD, CALIBRATION_SEEDS, quick)
    print(f"# lr_scale {scale:.6g}", file=sys.stderr)
    if a.command == "map":
        run_map(a.out, scale, a.seeds)
        return 0
    rc = Recipe(lr=a.lr, lr_scale=scale, updates=a.updates, responses=a.responses, steps=a.steps, reward=a.reward, group=a.group)
    print(",".join(CSV_COLUMNS))
    for row in point_rows(a.prior, rc, a.seeds, a.seed):
        print(",".join(fmt(float(v)) if isinstance(v, (float, np.floating)) else str(v) for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
