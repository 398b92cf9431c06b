#!/usr/bin/env python3
"""Tests of tools/map_moves.py (and map_table.py's point_stats/render, which it reads): a map
compared with its own table moves nowhere; a point whose greedy gains are shifted by 30 points
moves, and survives Holm; the rest do not; bad input is exit 2 with one line naming the file."""
import os
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import map_table  # noqa: E402


def make_db(path, shift):
    """Two points (centre, upd1) of one model, 3 seeds, random and ground truth; `shift` is added to
    the centre random cell's final greedy accuracy."""
    db = sqlite3.connect(path)
    db.executescript("""CREATE TABLE runs (id INTEGER PRIMARY KEY, suite TEXT, model TEXT, cell TEXT, seed INT,
                                           status TEXT, mutant TEXT);
                        CREATE TABLE evals (run INT, dataset TEXT, metric TEXT, step INT, value REAL);
                        CREATE TABLE step_metrics (run INT, step INT, key TEXT, value REAL);""")
    rid = 0
    for label in ("random0.5", "ground_truth", "random0.5-upd1", "ground_truth-upd1"):
        for seed in (1, 2, 3):
            rid += 1
            db.execute("INSERT INTO runs VALUES (?, 'regime-map', 'm', ?, ?, 'finished', '')", (rid, f"m/{label}", seed))
            end = 0.5 + 0.03 * seed + (shift if label == "random0.5" else 0)
            for ds in ("synth-eval", "synth-eval@4"):
                for metric, v0, v1 in (("accuracy", 0.5, end), ("code_frequency", 0.6, 0.6 + 0.01 * seed)):
                    db.execute("INSERT INTO evals VALUES (?, ?, ?, 0, ?)", (rid, ds, metric, v0))
                    db.execute("INSERT INTO evals VALUES (?, ?, ?, 30, ?)", (rid, ds, metric, v1))
            for key, v in (("clip_frac", 0.002), ("approx_kl", 0.0005), ("entropy", 0.03)):
                db.execute("INSERT INTO step_metrics VALUES (?, 1, ?, ?)", (rid, key, v))
    db.commit()
    db.close()


def run(*args):
    return subprocess.run([sys.executable, os.path.join(HERE, "map_moves.py"), *args], capture_output=True, text=True)


def main():
    with tempfile.TemporaryDirectory() as d:
        base, moved = os.path.join(d, "base.db"), os.path.join(d, "moved.db")
        make_db(base, 0.0)
        make_db(moved, 0.3)
        seeds, stats = map_table.point_stats(base)
        assert seeds == [1, 2, 3], seeds
        md = os.path.join(d, "old.md")
        with open(md, "w") as f:
            f.write("<!-- results:old:begin -->\n" + map_table.render(base, "regime-map", seeds, stats)
                    + "\n<!-- results:old:end -->\n")
        same = run("--old", md, "--old-name", "old", "--db", base)
        assert same.returncode == 0, same.stderr
        assert "**" not in same.stdout.split("\n", 1)[1], same.stdout  # nothing bold below the header
        assert "(0 of 6" in same.stdout and "1.00 | 1.00 | 1.00 |" in same.stdout, same.stdout
        shifted = run("--old", md, "--old-name", "old", "--db", moved)
        assert shifted.returncode == 0, shifted.stderr
        centre = next(l for l in shifted.stdout.splitlines() if l.startswith("| m | centre"))
        assert "**+30.0 [" in centre and "(H)" in centre, centre
        upd1 = next(l for l in shifted.stdout.splitlines() if "updates per rollout 1" in l)
        assert "**" not in upd1, upd1
        assert "(1 of 6" in shifted.stdout, shifted.stdout
        # Bad input: missing markers, a cell that is not a number, a missing database.
        bad = run("--old", md, "--old-name", "nope", "--db", base)
        assert bad.returncode == 2 and "no <!-- results:nope:begin -->" in bad.stderr, bad.stderr
        bad = run("--old", md, "--old-name", "old", "--db", os.path.join(d, "none.db"))
        assert bad.returncode == 2 and "none.db" in bad.stderr and bad.stderr.count("\n") == 1, bad.stderr
        with open(md) as f:
            text = f.read()
        with open(md, "w") as f:
            f.write(text.replace("| 3/3 | +", "| 3/3 | x", 1))
        bad = run("--old", md, "--old-name", "old", "--db", base)
        assert bad.returncode == 2 and "cannot read 'x" in bad.stderr and "old.md" in bad.stderr, bad.stderr
    print("map_moves: 3 comparisons and 3 bad inputs as expected")


if __name__ == "__main__":
    main()
