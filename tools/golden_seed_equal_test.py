#!/usr/bin/env python3
"""Tests of golden_seed_equal.py on golden/mechanism.toml: a golden equals itself at each of its seeds;
one changed seed value is found and named (exit 1) and only at that seed; bad input exits 2."""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "golden_seed_equal.py")
REF = os.path.join(ROOT, "golden", "mechanism.toml")


def run(*args):
    p = subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def check(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)


def main():
    text = open(REF).read()
    rc, out, _ = run(REF, REF, "--seed", "4")
    check(rc == 0 and "50 of 50 claims equal" in out, f"itself at seed 4: rc {rc}, {out!r}")
    # Change the first cell's value of seed 5 (the second seed): seed 5 differs, seed 4 does not.
    first = re.search(r"seed_values = \[([^,\]]+), ([^,\]]+),", text)
    changed = text[:first.start(2)] + "0.987654" + text[first.end(2):]
    with tempfile.TemporaryDirectory() as d:
        cand = os.path.join(d, "cand.toml")
        open(cand, "w").write(changed)
        rc, out, _ = run(REF, cand, "--seed", "5")
        check(rc == 1 and "differs:" in out and "0.987654" in out and "49 of 50" in out, f"changed seed 5: rc {rc}, {out!r}")
        rc, out, _ = run(REF, cand, "--seed", "4")
        check(rc == 0, f"changed seed 5 read at seed 4: rc {rc}, {out!r}")
        bad = os.path.join(d, "bad.toml")
        open(bad, "w").write("suite = [unclosed\n")
        rc, _, err = run(REF, bad, "--seed", "4")
        check(rc == 2 and err.startswith(bad + ":") and err.count("\n") == 1, f"malformed TOML: rc {rc}, {err!r}")
    rc, _, err = run(REF, REF, "--seed", "99")
    check(rc == 2 and "does not hold seed 99" in err, f"seed outside the golden: rc {rc}, {err!r}")
    print("golden_seed_equal: 5 checks passed")


if __name__ == "__main__":
    main()
