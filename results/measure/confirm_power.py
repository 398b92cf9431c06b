#!/usr/bin/env python3
"""confirm_power.py BIN DB: the sequential confirmation's power and false-alarm rate on quick
(README.md here, "session 5", item 5), from runs in DB: a one-seed verdict that flags is judged
again on that seed plus the next 4 of its range (cyclic), as one run of 5; the procedure flags when
both stages do. Mutants: seeds 36-43; control: held-out seeds 100-159. Judges only (--no-train)."""
import json, os, subprocess, sys

B, DB = sys.argv[1], sys.argv[2]
SUITE = "suites/quick.toml"
MUT_SEEDS, CTRL_SEEDS = list(range(36, 44)), list(range(100, 160))


def power(seeds, mutants=None, group=1, control=None):
    """power's JSON judging runs already in DB (mutants None: every mutant the suite declares)."""
    cmd = [B, "power", SUITE, "--seeds", ",".join(map(str, seeds)), "--group", str(group), "--no-train", "--quiet", "--format", "json", "--db", DB]
    cmd += ["--mutants", ",".join(mutants)] if mutants else []
    cmd += ["--control-seeds", ",".join(map(str, control))] if control else ["--no-control"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit(f"confirm_power: {' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()}")
    return json.loads(r.stdout)


def following(pool, s, n=4):
    i = pool.index(s)
    return [pool[(i + k) % len(pool)] for k in range(1, n + 1)]


stage1 = power(MUT_SEEDS)
print("sequential confirmation on quick: stage 1 one seed; a flag is judged again on that seed + the next 4 of its range "
      "(one run of 5; the confirm seeds 200-203 stand-ins); flagged when both stages flag")
print(f"{'mutant':<18} {'stage 1':>8} {'confirmed':>9}  confirmed on")
for m in stage1["mutants"]:
    s1 = [p["seed"] for p in m["per_seed"] if p["caught"]]
    conf = [s for s in s1 if power([s] + following(MUT_SEEDS, s), [m["name"]], group=5)["mutants"][0]["per_seed"][0]["caught"]]
    n = sum(1 for p in m["per_seed"] if p["measured"])
    print(f"{m['name']:<18} {len(s1):>3} / {n:<2} {len(conf):>4} / {n:<2}  {','.join(map(str, conf)) or '-'}")
ctrl = power([36], ["clip-off"], control=CTRL_SEEDS)
flag1 = [c["seed"] for c in ctrl["control"] if c["false_alarms"]]
confirmed = []
for s in flag1:
    c5 = power([36, 37, 38, 39, 40], ["clip-off"], group=5, control=[s] + following(CTRL_SEEDS, s))
    if c5["control"][0]["false_alarms"]:
        confirmed.append(s)
n = len(ctrl["control"])
print(f"\ncontrol: stage 1 flagged {len(flag1)} of {n} held-out seeds ({','.join(map(str, flag1)) or '-'}); "
      f"confirmed {len(confirmed)} of {n} ({','.join(map(str, confirmed)) or '-'})")
# exact one-sided 95% Clopper-Pearson upper bound for x events in n
def upper(x, n, conf=0.95):
    from math import comb
    lo, hi = x / n, 1.0
    for _ in range(100):
        p = (lo + hi) / 2
        cdf = sum(comb(n, k) * p**k * (1 - p)**(n - k) for k in range(x + 1))
        lo, hi = (p, hi) if cdf > 1 - conf else (lo, p)
    return hi if x < n else 1.0
print(f"procedure false-alarm rate: {len(confirmed)}/{n}, exact one-sided 95% upper bound {100 * upper(len(confirmed), n):.1f}%")
