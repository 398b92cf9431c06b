#!/usr/bin/env python3
"""What moved between two versions of a golden: each claim's old and new value and the move in
sds of one seed, the larger of the two versions' (clip_frac and approx_kl markers are on the log
scale: the log ratio; every other claim: the difference; golden/README.md).

  python3 tools/golden_moves.py golden/quick.toml OLD_COMMIT
"""
import math
import subprocess
import sys
import tomllib


LOG_MARKERS = ("clip_frac", "approx_kl")  # golden/README.md: the markers judged on the log scale


def key(c):
    # A contrast's other cell is part of its name: two contrasts of one reward are two claims.
    reward = c.get("reward") or c.get("contrast")
    if c.get("minus"):
        reward = f"{reward} - {c['minus']}"
    return (c.get("kind", "gain"), c.get("model"), reward, c.get("metric"))


def value(c):
    for k in ("gain", "value", "diff"):
        if k in c:
            return c[k]
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path, rev = sys.argv[1], sys.argv[2]
    p = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"golden_moves: {rev}:{path}: {p.stderr.strip()}")
    old = {key(c): c for c in tomllib.loads(p.stdout).get("cell", [])}
    new = tomllib.load(open(path, "rb")).get("cell", [])
    print(f"{'kind':8} {'cell':48} {'metric':18} {'old':>10} {'new':>10} {'sd old':>8} {'sd new':>8} {'moved (sd)':>10}")
    for c in new:
        k = key(c)
        o = old.get(k)
        nv, ov = value(c), value(o) if o else None
        if nv is None or ov is None:
            print(f"{k[0]:8} {k[1]}/{k[2]!s:<34} {k[3]!s:18} {'(new)' if o is None else '-':>10}")
            continue
        so, sn = o.get("sd_seed") or 0, c.get("sd_seed") or 0
        sd = max(so, sn)
        if k[0] == "marker" and k[3] in LOG_MARKERS:
            moved = math.log(nv / ov) / sd if nv > 0 and ov > 0 and sd > 0 else float("nan")
        else:
            moved = (nv - ov) / sd if sd > 0 else float("nan")
        print(f"{k[0]:8} {k[1]}/{k[2]!s:<34} {k[3]!s:18} {ov:10.4g} {nv:10.4g} {so:8.4g} {sn:8.4g} {moved:+10.2f}")


if __name__ == "__main__":
    main()
