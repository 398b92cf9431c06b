#!/usr/bin/env python3
"""CTest tools/grpo_bandit: the bandit model's analytic cases (a few seconds).

- one update per rollout: the ratio is 1, so the clip never acts (clip fraction exactly 0, the
  clipped and unclipped runs bit-identical) and the strategy parameter's drift is zero within noise;
- several updates and a large step: the clip does act (the mechanism is wired);
- the decomposition identity gain = shift + within holds seed by seed;
- the true reward raises greedy accuracy (the trainer learns), a run repeats bit for bit, and bad
  arguments exit 2 naming the argument (tools/bandit_table.py's too).
"""
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import grpo_bandit as gb  # noqa: E402

SCALE = 1000.0


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    return bool(cond)


def one_update():
    ok = True
    rc = gb.Recipe(lr=1e-4, lr_scale=SCALE, updates=1, responses=128, steps=30)
    on = gb.train("spread0.5", rc, 256)
    off = gb.train("spread0.5", gb.Recipe(**{**rc.__dict__, "clip": False}), 256)
    ok &= check(on["clip_frac"] == 0.0, f"one update: clip fraction {on['clip_frac']} == 0")
    ok &= check(all(np.array_equal(on[k], off[k]) for k in ("gain", "bias", "code")), "one update: clip == no clip, bit for bit")
    b = on["bias"]
    se = b.std(ddof=1) / np.sqrt(len(b))
    ok &= check(abs(b.mean()) < 4 * se, f"one update: strategy bias drift {b.mean():.3g} within 4 se ({se:.3g}) of 0")
    return ok


def several_updates():
    rc = gb.Recipe(lr=1e-3, lr_scale=SCALE, updates=16, responses=16, steps=10)
    on = gb.train("spread0.5", rc, 32)
    off = gb.train("spread0.5", gb.Recipe(**{**rc.__dict__, "clip": False}), 32)
    ok = check(on["clip_frac"] > 0.01, f"16 updates: the clip acts (fraction {on['clip_frac']:.3g})")
    return ok & check(not np.array_equal(on["gain"], off["gain"]) or not np.array_equal(on["bias"], off["bias"]),
                      "16 updates: clip and no clip differ")


def identity_truth_determinism():
    rc = gb.Recipe(lr=1e-3, lr_scale=SCALE, updates=8, responses=16, steps=30)
    r = gb.train("spread1.5", rc, 64)
    fin = ~np.isnan(r["shift"]) & ~np.isnan(r["within"])
    ok = check(fin.sum() > 0 and np.allclose((r["shift"] + r["within"])[fin], r["gain"][fin], rtol=0, atol=1e-12),
               f"gain == shift + within on {fin.sum()} seeds")
    ok &= check(np.array_equal(r["gain"], gb.train("spread1.5", rc, 64)["gain"]), "the same run twice: identical")
    t = gb.train("spread1.5", gb.Recipe(**{**rc.__dict__, "reward": "truth"}), 64)
    return ok & check(t["gain"].mean() > 3 * t["gain"].std(ddof=1) / 8, f"true reward: gain {t['gain'].mean():.3f} > 0")


def mech_prior():
    """synth-micro-mech's blocks: their class mean is its code_share 0.725; a group of 16 trains."""
    p = gb.class_propensity("mech")
    ok = check(len(p) == gb.CLASSES and abs(p.mean() - 0.725) < 1e-12, f"mech prior: class mean {p.mean():.6f} == 0.725")
    r = gb.train("mech", gb.Recipe(lr_scale=873.332, updates=2, responses=32, steps=3, group=16), 8)
    return ok & check(np.isfinite(r["gain"]).all(), "mech prior, group 16: a run finishes")


def bad_arguments():
    ok = True
    me = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grpo_bandit.py")
    for args, where in ((["run", "--prior", "nope"], "--prior"), (["run", "--responses", "12"], "--responses"),
                        (["run", "--seeds", "1"], "--seeds"), (["map"], "--out"), (["frob"], "usage"),
                        (["run", "--group", "1"], "--group"), (["run", "--group", "16", "--responses", "24"], "--responses")):
        p = subprocess.run([sys.executable, me] + args, capture_output=True, text=True)
        ok &= check(p.returncode == 2 and where in p.stderr, f"{' '.join(args)}: exit {p.returncode}, names {where}")
    table = os.path.join(os.path.dirname(me), "bandit_table.py")
    for args, where in ((["validate"], "--db"), (["summary", "--csv", "/nonexistent.csv"], "/nonexistent.csv"),
                        (["validate", "--db", "/nonexistent.db", "--lr-scale", "1"], "/nonexistent.db")):
        p = subprocess.run([sys.executable, table] + args, capture_output=True, text=True)
        ok &= check(p.returncode == 2 and where in p.stderr, f"bandit_table {' '.join(args)}: exit {p.returncode}, names {where}")
    return ok


if __name__ == "__main__":
    results = [one_update(), several_updates(), identity_truth_determinism(), mech_prior(), bad_arguments()]
    sys.exit(0 if all(results) else 1)
