#!/usr/bin/env python3
"""grader_vs_math_verify.py: rlvrbench's strict grader beside HF's math-verify, on the same pairs.

    .venv/bin/python tests/grader_vs_math_verify.py --rlvrbench build/app/rlvrbench
        [--data tests/data/grader] [--table tests/data/grader/math_verify_disagreements.jsonl]
        [--markdown | --update-readme] [--readme rewards/README.md] [--dump-new FILE]

The pairs (each a response and its gold answer), all from this repository or made at run time:
  corpus       every row of tests/data/grader/cases.jsonl (the grader table): a "response" row as it
               is, an "answer" row as the response "\\boxed{ANSWER}"
  golds-self   the MATH-style gold answers the repository holds, each once, in this order: every
               distinct "gold" of tests/data/grader/cases.jsonl, then every "answer" of
               tests/data/eval/math500_sample.jsonl not already there; each boxed in a sentence,
               against itself: both graders should accept every one
  golds-other  the same sentence boxing the next gold of that list (cyclic): both should refuse,
               except where the two golds are equal in value
  golds-model  the gold as models tend to write it (model_form below: \\dfrac as \\frac, no
               \\left/\\right, spacing macros, degree signs, dollar signs, or trailing \\text{ unit}),
               for the golds where that changes the text: both should accept
  world-self   the "answer" of the 500 problems of `rlvrbench world export --split eval --n 500
               --seed 0` (the synthetic world in MATH-500's JSONL fields, made by the binary under
               test at run time), boxed in the sentence, against itself
  world-other  the same sentence boxing the next problem's answer (cyclic)
No MATH-500 file is read: no package that this project may install ships MATH-500's answers.

Strict side: `rlvrbench grade --mode strict --verdict` on all the pairs in one run: only the last
closed \\boxed{}/\\fbox{} counts (no box: wrong), and "unsure" counts as wrong (rewards/README.md).
math-verify side, its default configuration: verify(parse("$" + gold + "$"), parse(response)). The
response goes to parse() whole: its default LatexExtractionConfig takes "final answer is $...$"
and the like first, then every \\boxed{} (boxed_match_priority 50), then, with no anchor, the last
LaTeX or plain expression anywhere in the text, so a response without a box still has an answer
there. The gold is wrapped in $...$ (as math-verify's README does) because parse() of a bare
gold finds LaTeX only between delimiters: parse("\\left( 3, \\frac{\\pi}{2} \\right)") is [3] and
parse("\\text{Evelyn}") is [], while the $-wrapped forms are (3, pi/2) and evelyn.

The two agree on a pair when strict's verdict is "correct" exactly when math-verify's is True.
Every disagreement must be a row of the committed table (--table, JSONL: set, response, gold,
strict, math_verify, right, class, why) with the same verdicts, and every row of the table must
still be a disagreement, so the table cannot drift. The paper mode is not compared here: its
reference is the paper scripts' own grader (GraderTable tests); its agreement with math-verify is
printed for information only.

The agreement tables of rewards/README.md ("Strict mode beside math-verify") are this script's
--markdown output, between two marker comments: a run checks that they are this run's
(--update-readme rewrites them).

The table's "right" says which verdict is the right one for the pair as written: "strict" or
"math-verify" (the other errs, or declines: strict's unsure), "rule" (a convention the two choose
differently, e.g. strict grading the last closed box only), "neither".

Prints the agreement rate of each set, one line per failure, then "N passed, M failed" (one check
per row of each set, one per stale table row, one for the README's tables). Exit 0 when all pass;
1 when any fails; 2, with one line naming it, when a reference package is missing, does not
import (tests/reference_packages.py) or is not at its version in ci/requirements.txt, on bad arguments, on a malformed table or
data file, and when rlvrbench fails. --markdown prints the README's tables instead;
--dump-new FILE writes the unclassified disagreements as table rows with empty right/class/why, to
be classified by hand and appended to the table.

math-verify's slow pair, 10^{10^{6}} against 10^{1000000} (three responses that parse alike, so
verified once), reaches its own 5 s limit a call (False; without the limit sympy runs for minutes),
so its verdict does not depend on the machine's speed; any pair over 1 s is listed ([slow]). The
rest of the time is math-verify's ANTLR LaTeX parser (~40 ms a distinct string): about 35 s in all
on the shared 2-core machine with the load average at 4.6, 5 of them that pair.
"""
import argparse
import collections
import importlib.metadata
import json
import logging
import os
import re
import subprocess
import sys
import time

from reference_packages import refuse, require  # tests/reference_packages.py, beside this file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# The reference and the packages whose behaviour its verdicts depend on, as pinned in ci/requirements.txt.
REFS = ("math-verify", "latex2sympy2_extended", "antlr4-python3-runtime", "sympy")
RIGHT = ("strict", "math-verify", "neither", "rule")
SETS = ("corpus", "golds-self", "golds-other", "golds-model", "world-self", "world-other")
FIELDS = ("set", "response", "gold", "strict", "math_verify", "right", "class", "why")
STRICT_VERDICTS = ("correct", "wrong", "unsure")
# The README's block that --markdown writes (--update-readme rewrites it; a normal run checks it).
README_BEGIN = "<!-- begin: tests/grader_vs_math_verify.py --markdown -->"
README_END = "<!-- end: tests/grader_vs_math_verify.py --markdown -->"
SLOW_S = 1.0  # math-verify seconds on one pair worth a line ([slow])


def die(code, msg):
    print(f"grader_vs_math_verify: {msg}", file=sys.stderr)
    sys.exit(code)


def pinned_versions():
    pins = {}
    path = os.path.join(ROOT, "ci", "requirements.txt")
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:
            pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def import_reference():
    """math_verify's parse and verify, or exit 2 with one line naming what is missing or not pinned."""
    pins = pinned_versions()
    for name in REFS:
        want = pins.get(name.lower().replace("_", "-"))
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            refuse(name, f"not installed in {sys.prefix} (pinned as {name}=={want} in ci/requirements.txt: "
                         f"bash ci/venv.sh .venv ci/requirements.txt ci/requirements-refs.txt)")
        if want is None:
            die(2, f"reference package {name} is not pinned in ci/requirements.txt")
        if have != want:
            die(2, f"reference package {name} is {have} in {sys.prefix}, ci/requirements.txt pins {want}")
    # An installed but broken reference (a dependency missing) is refused the same way.
    math_verify = require("math_verify")
    parse, verify = math_verify.parse, math_verify.verify
    logging.getLogger("math_verify").setLevel(logging.CRITICAL)
    logging.getLogger("latex2sympy2_extended").setLevel(logging.CRITICAL)
    return parse, verify


# ----------------------------------------------------------------------------------------------
# The pairs


def model_form(gold):
    """The gold as a model tends to write it: the same value, without MATH's typesetting."""
    s = re.sub(r",\\!\s*", ",", gold)            # 11,\! 111 -> 11,111
    s = re.sub(r"\\[dt]frac", r"\\frac", s)
    s = re.sub(r"\\(left|right)(?![a-zA-Z])", "", s)
    s = re.sub(r"\\[!,;:]", "", s)
    s = re.sub(r"\^\s*\{?\\circ\}?", "", s)
    s = s.replace("\\$", "")
    s = re.sub(r"\s*\\(text|mbox)\{\s[^{}]*\}\s*$", "", s)  # 5.4 \text{ cents} -> 5.4
    s = re.sub(r"\s+", " ", s).strip()
    return s


def read_jsonl(path, text=None):
    """The rows of a JSONL file (or of text, named path in messages); exit 2 naming the line."""
    try:
        if text is None:
            with open(path, encoding="utf-8") as f:
                text = f.read()
    except OSError as e:
        die(2, f"{path}: {e}")
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as e:
            die(2, f"{path}:{n}: {e}")
    return rows


def field(path, n, row, name):
    """row[name], a string, or exit 2 naming the file, line and field."""
    if not isinstance(row, dict) or not isinstance(row.get(name), str):
        die(2, f"{path}:{n}: {name}: missing or not a string")
    return row[name]


def repo_golds(data):
    """The distinct gold answers the repository holds, in a fixed order, with where each is from."""
    golds = collections.OrderedDict()
    cases = os.path.join(data, "cases.jsonl")
    for n, r in enumerate(read_jsonl(cases), 1):
        golds.setdefault(field(cases, n, r, "gold"), f"cases.jsonl:{n}")
    sample = os.path.join(data, os.pardir, "eval", "math500_sample.jsonl")
    for n, r in enumerate(read_jsonl(sample), 1):
        # The evaluator's datasets may give an integer answer as a JSON number (eval/dataset.h).
        if isinstance(r, dict) and isinstance(r.get("answer"), int) and not isinstance(r["answer"], bool):
            r["answer"] = str(r["answer"])
        golds.setdefault(field(sample, n, r, "answer"), f"eval/math500_sample.jsonl:{n}")
    return list(golds.items())


WORLD_ARGS = ("world", "export", "--split", "eval", "--n", "500", "--seed", "0", "--out", "-")


def world_golds(binary):
    """The answers of the synthetic world's eval problems, exported by the binary under test."""
    cmd = [binary, *WORLD_ARGS]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        die(2, f"{' '.join(cmd)}: {e}")
    if out.returncode != 0:
        die(2, f"{' '.join(cmd)}: exit {out.returncode}: {out.stderr.strip()[-300:]}")
    name = "rlvrbench " + " ".join(WORLD_ARGS[:-2])
    rows = read_jsonl(name, out.stdout)
    return [(field(name, n, r, "answer"), f"world:{field(name, n, r, 'unique_id')}") for n, r in enumerate(rows, 1)]


def make_pairs(data, binary):
    pairs = []

    def add(kind, where, response, gold):
        pairs.append({"set": kind, "where": where, "response": response, "gold": gold})

    cases = os.path.join(data, "cases.jsonl")
    for n, r in enumerate(read_jsonl(cases), 1):
        gold = field(cases, n, r, "gold")
        if "response" in r:
            response = field(cases, n, r, "response")
        else:
            response = "\\boxed{" + field(cases, n, r, "answer") + "}"
        add("corpus", f"cases.jsonl:{n}", response, gold)
    say = "So the final answer is $\\boxed{%s}$."
    # The world's answers are plain integers: no model form differs from them.
    for prefix, golds, model in (("golds", repo_golds(data), True), ("world", world_golds(binary), False)):
        for g, where in golds:
            add(prefix + "-self", where, say % g, g)
        for i, (g, where) in enumerate(golds):
            add(prefix + "-other", where, say % golds[(i + 1) % len(golds)][0], g)
        for g, where in golds if model else ():
            m = model_form(g)
            if m != g:
                add(prefix + "-model", where, say % m, g)
    return pairs


# ----------------------------------------------------------------------------------------------
# The two graders


def run_rlvrbench(binary, mode, pairs):
    stdin = "".join(json.dumps({"response": p["response"], "gold": p["gold"]}) + "\n" for p in pairs)
    try:
        out = subprocess.run([binary, "grade", "--mode", mode, "--verdict"], input=stdin, capture_output=True,
                             text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        die(2, f"{binary} grade --mode {mode}: {e}")
    if out.returncode != 0:
        die(2, f"{binary} grade --mode {mode}: exit {out.returncode}: {out.stderr.strip()[-500:]}")
    lines = out.stdout.splitlines()
    if len(lines) != len(pairs):
        die(2, f"{binary} grade --mode {mode}: {len(lines)} lines for {len(pairs)} pairs")
    return [json.loads(line)["verdict"] for line in lines]


def parsed_key(parsed):
    """What verify() sees of a parse() result, exactly: sympy's srepr of each expression, or the string."""
    import sympy
    return tuple(sympy.srepr(x) if isinstance(x, sympy.Basic) else repr(x) for x in parsed)


def run_math_verify(parse, verify, pairs):
    """Each gold and each response is parsed once, and verify() runs once for each distinct
    (parsed gold, parsed response): golds repeat (the world's small integers, 10^{1000000}), and
    responses that differ only around the same answer parse alike. Pairs slower than SLOW_S are
    listed: math-verify gives up (False) after 5 s a call, so a verdict near that limit could
    depend on the machine's speed."""
    gold_cache, answer_cache, verify_cache = {}, {}, {}
    verdicts, slow = [], []
    for p in pairs:
        t0 = time.perf_counter()
        g = p["gold"]
        if g not in gold_cache:
            parsed = parse("$" + g + "$")
            gold_cache[g] = (parsed, parsed_key(parsed))
        gold, gold_key = gold_cache[g]
        r = p["response"]
        if r not in answer_cache:
            parsed = parse(r)
            answer_cache[r] = (parsed, parsed_key(parsed))
        answer, answer_key = answer_cache[r]
        key = (gold_key, answer_key)
        if key not in verify_cache:
            verify_cache[key] = bool(verify(gold, answer))
        dt = time.perf_counter() - t0
        if dt > SLOW_S:
            slow.append((dt, p))
        verdicts.append(verify_cache[key])
    return verdicts, slow


# ----------------------------------------------------------------------------------------------
# The table


def read_table(path):
    rows = {}
    for n, r in enumerate(read_jsonl(path), 1):
        where = f"{path}:{n}"
        if not isinstance(r, dict) or set(r) != set(FIELDS):
            die(2, f"{where}: want exactly the fields {', '.join(FIELDS)}")
        if r["set"] not in SETS:
            die(2, f"{where}: set {r['set']!r} is not one of {', '.join(SETS)}")
        if r["strict"] not in STRICT_VERDICTS or not isinstance(r["math_verify"], bool):
            die(2, f"{where}: strict must be one of {', '.join(STRICT_VERDICTS)} and math_verify a boolean")
        if (r["strict"] == "correct") == r["math_verify"]:
            die(2, f"{where}: the verdicts it records agree (strict {r['strict']}, math-verify {r['math_verify']})")
        if r["right"] not in RIGHT:
            die(2, f"{where}: right {r['right']!r} is not one of {', '.join(RIGHT)}")
        if not r["class"] or not r["why"]:
            die(2, f"{where}: class and why must not be empty")
        key = (r["set"], r["response"], r["gold"])
        if key in rows:
            die(2, f"{where}: the same pair is listed twice")
        rows[key] = r
    return rows


def short(s, n=70):
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[: n - 3] + "..."


def markdown(pairs, strict, paper, mv, table):
    by_set = collections.OrderedDict((s, [0, 0, 0]) for s in SETS)
    classes = collections.OrderedDict()
    for r in sorted(table.values(), key=lambda r: (RIGHT.index(r["right"]), r["class"])):
        classes.setdefault((r["right"], r["class"]), [r, 0, set()])
    for p, s, pa, m in zip(pairs, strict, paper, mv):
        c = by_set[p["set"]]
        c[0] += 1
        c[1] += (s == "correct") == m
        c[2] += pa == m
        row = table.get((p["set"], p["response"], p["gold"]))
        if (s == "correct") != m and row is not None:
            entry = classes[(row["right"], row["class"])]
            entry[1] += 1
            entry[2].add(f"{s} / {'true' if m else 'false'}")
    out = ["| pairs | n | strict agrees with math-verify | disagreements | paper mode agrees (information) |",
           "|---|---:|---:|---:|---:|"]
    tot = [0, 0, 0]
    for name, (n, a, pa) in by_set.items():
        out.append(f"| {name} | {n} | {a / n:.1%} | {n - a} | {pa / n:.1%} |")
        tot = [tot[0] + n, tot[1] + a, tot[2] + pa]
    out.append(f"| all | {tot[0]} | {tot[1] / tot[0]:.1%} | {tot[0] - tot[1]} | {tot[2] / tot[0]:.1%} |")
    out.append("")
    out.append("| right | class | strict / math-verify | rows | example (answer or response, gold) |")
    out.append("|---|---|---|---:|---|")
    per_right = collections.Counter()
    for (right, cls), (ex, n, verdicts) in classes.items():
        per_right[right] += n
        m = re.search(r"\\boxed\{(.*)\}\$\.$", ex["response"])
        shown = m.group(1) if m and ex["set"] != "corpus" else ex["response"]
        cell = f"`{short(shown, 40)}`, `{short(ex['gold'], 30)}`".replace("|", "\\|")
        out.append(f"| {right} | {cls} | {', '.join(sorted(verdicts))} | {n} | {cell} |")
    out.append("")
    out.append("Disagreement rows by the side that is right: " +
               ", ".join(f"{right} {per_right[right]}" for right in RIGHT if per_right[right]) + ".")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rlvrbench", required=True, help="the rlvrbench binary")
    ap.add_argument("--data", default=os.path.join(ROOT, "tests", "data", "grader"))
    ap.add_argument("--table", default=None, help="default: DATA/math_verify_disagreements.jsonl")
    ap.add_argument("--markdown", action="store_true", help="print the README's agreement tables")
    ap.add_argument("--update-readme", action="store_true", help="rewrite the README's generated block")
    ap.add_argument("--readme", default=os.path.join(ROOT, "rewards", "README.md"))
    ap.add_argument("--dump-new", metavar="FILE", help="write unclassified disagreements as table rows")
    args = ap.parse_args()
    table_path = args.table or os.path.join(args.data, "math_verify_disagreements.jsonl")

    parse, verify = import_reference()
    table = read_table(table_path)
    pairs = make_pairs(args.data, args.rlvrbench)

    t0 = time.perf_counter()
    strict = run_rlvrbench(args.rlvrbench, "strict", pairs)
    paper = run_rlvrbench(args.rlvrbench, "paper", pairs)
    t1 = time.perf_counter()
    mv, slow = run_math_verify(parse, verify, pairs)
    t2 = time.perf_counter()
    paper_ok = [v == "correct" for v in paper]

    md = markdown(pairs, strict, paper_ok, mv, table)
    if args.markdown:
        print(md)
        return 0
    try:
        readme = open(args.readme, encoding="utf-8").read()
    except OSError as err:
        die(2, f"{args.readme}: {err}")
    b, e = readme.find(README_BEGIN), readme.find(README_END)
    if args.update_readme:
        if b < 0 or e < b:
            die(2, f"{args.readme}: no block between '{README_BEGIN}' and '{README_END}'")
        with open(args.readme, "w", encoding="utf-8") as f:
            f.write(readme[: b + len(README_BEGIN)] + "\n" + md + "\n" + readme[e:])
        print(f"{args.readme}: the generated block rewritten")
        return 0

    passed = failed = 0
    new = []
    disagreeing = set()
    counts = collections.OrderedDict((s, [0, 0]) for s in SETS)
    for p, s, m in zip(pairs, strict, mv):
        key = (p["set"], p["response"], p["gold"])
        agree = (s == "correct") == m
        counts[p["set"]][0] += 1
        counts[p["set"]][1] += agree
        if agree:
            passed += 1
            continue
        disagreeing.add(key)
        row = table.get(key)
        if row is None:
            failed += 1
            new.append({"set": p["set"], "response": p["response"], "gold": p["gold"], "strict": s,
                        "math_verify": m, "right": "", "class": "", "why": ""})
            print(f"FAIL {p['set']} {p['where']}: a disagreement not in the table: strict {s}, math-verify {m}: "
                  f"response {short(p['response'])!r}, gold {short(p['gold'])!r}")
        elif row["strict"] != s or row["math_verify"] != m:
            failed += 1
            print(f"FAIL {p['set']} {p['where']}: the table records strict {row['strict']}, math-verify "
                  f"{row['math_verify']}; now strict {s}, math-verify {m}: response {short(p['response'])!r}")
        else:
            passed += 1
    for key, row in table.items():
        if key not in disagreeing:
            failed += 1
            print(f"FAIL {row['set']}: a table row that no longer disagrees (or whose pair is gone): "
                  f"response {short(row['response'])!r}, gold {short(row['gold'])!r}")

    if b < 0 or e < b or readme[b + len(README_BEGIN): e].strip() != md.strip():
        failed += 1
        print(f"FAIL {os.path.relpath(args.readme, ROOT)}: the agreement tables differ from this run's "
              f"(rewrite them: {os.path.relpath(__file__, ROOT)} --rlvrbench BIN --update-readme)")
    else:
        passed += 1
    total_n = sum(c[0] for c in counts.values())
    total_a = sum(c[1] for c in counts.values())
    for name, (n, a) in counts.items():
        print(f"[agreement] {name}: {a}/{n} = {a / n:.1%} ({n - a} disagreements)")
    print(f"[agreement] all: {total_a}/{total_n} = {total_a / total_n:.1%}")
    pa = sum(x == m for x, m in zip(paper_ok, mv))
    print(f"[info] paper mode agrees with math-verify on {pa}/{total_n} = {pa / total_n:.1%} (not checked)")
    by_class = collections.Counter((r["right"], r["class"]) for k, r in table.items() if k in disagreeing)
    for (right, cls), n in sorted(by_class.items()):
        print(f"[class] right: {right:<11} {cls}: {n}")
    print(f"[time] rlvrbench (both modes) {t1 - t0:.2f} s, math-verify {t2 - t1:.2f} s")
    for dt, p in slow:
        print(f"[slow] math-verify took {dt:.2f} s on {p['set']} {p['where']} (its limit is 5 s a call): "
              f"response {short(p['response'])!r}, gold {short(p['gold'])!r}")
    if args.dump_new:
        with open(args.dump_new, "w", encoding="utf-8") as f:
            for r in new:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"[dump] {len(new)} unclassified disagreements written to {args.dump_new}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
