#!/usr/bin/env python3
"""golden_seed_equal.py: does a second golden hold the same values for one seed as a reference golden?

Used to decide whether a new build can stand in for the build that measured a golden: the new
build re-measures one of the golden's seeds and `golden update` writes it to a scratch golden;
every claim (model, reward, metric, step or step range) present in both must give that seed the same
value, to the precision the golden file stores. Exit 0 equal, 1 different (each difference
printed), 2 bad input (one line naming the file)."""
import argparse
import sys
import tomllib


def load(path):
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        sys.exit(2)


def claim_key(cell):
    return (cell.get("kind", "gain"), cell.get("model"), cell.get("reward"), cell.get("metric"),
            cell.get("step"), cell.get("step_from"), cell.get("step_to"), cell.get("minus"))


def seed_values(golden, path, seed):
    seeds = golden.get("provenance", {}).get("seeds")
    if not seeds or seed not in seeds:
        print(f"{path}: provenance.seeds does not hold seed {seed}", file=sys.stderr)
        sys.exit(2)
    i = seeds.index(seed)
    out = {}
    for cell in golden.get("cell", []):
        vals = cell.get("seed_values")
        if vals is None or len(vals) != len(seeds):
            print(f"{path}: a cell's seed_values does not match provenance.seeds ({claim_key(cell)})", file=sys.stderr)
            sys.exit(2)
        out[claim_key(cell)] = vals[i]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference")
    ap.add_argument("candidate")
    ap.add_argument("--seed", type=int, required=True)
    a = ap.parse_args()
    ref = seed_values(load(a.reference), a.reference, a.seed)
    cand = seed_values(load(a.candidate), a.candidate, a.seed)
    common = sorted(set(ref) & set(cand), key=str)
    if not common:
        print(f"{a.candidate}: no claim in common with {a.reference}", file=sys.stderr)
        sys.exit(2)
    diffs = [(k, ref[k], cand[k]) for k in common if ref[k] != cand[k]]
    for k, r, c in diffs:
        print(f"differs: {k}: reference {r!r}, candidate {c!r}")
    print(f"seed {a.seed}: {len(common) - len(diffs)} of {len(common)} claims equal "
          f"({len(set(ref) - set(cand))} only in the reference, {len(set(cand) - set(ref))} only in the candidate)")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
