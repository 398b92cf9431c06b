#!/usr/bin/env python3
"""Writes tests/data/tokenizer_corpus.jsonl: >= 2,000 strings (one JSON string per line) that the
tokenizer test encodes with rlvrbench and with the JavaScript reference, for both vocabularies.

Deterministic (fixed seed). Categories: MATH-style LaTeX problems and solutions, Python code with
indentation, whitespace runs, CRLF, tabs, CJK and other scripts, emoji, numbers of every length,
contractions in every case, special-token text inside prose, NFC/NFD forms, random mixtures.
U+0085 and U+FEFF are left out on purpose: JavaScript's \\s and HF's (Oniguruma, Unicode White_Space)
disagree on them, and the tokenizer follows HF (see models/README.md)."""
import json, random, itertools, os, sys

rng = random.Random(20251123)
out = []

def add(s):
    out.append(s)

# 1. MATH-style LaTeX
subjects = ["Algebra", "Geometry", "Number Theory", "Precalculus", "Counting & Probability"]
latex_bits = [r"\frac{%d}{%d}", r"\sqrt{%d}", r"\dfrac{%d}{%d}", r"%d^{%d}", r"\binom{%d}{%d}", r"\left(%d, %d\right)",
              r"\{%d, %d\}", r"%d\%%", r"%d^\circ", r"\pi r^%d + %d", r"x_{%d} = %d", r"\boxed{%d}", r"\text{%d cm}, %d"]
words = "Let Find the value of If and then Compute What is Suppose that a sequence satisfies for all integers Determine how many".split()
for i in range(260):
    parts = []
    for _ in range(rng.randint(3, 9)):
        if rng.random() < 0.5:
            parts.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))))
        else:
            b = rng.choice(latex_bits)
            parts.append("$" + b % tuple(rng.randint(0, 10 ** rng.randint(1, 4)) for _ in range(b.count("%d"))) + "$")
    s = " ".join(parts) + rng.choice([".", "?", "", "\n", "\n\n"])
    if i % 3 == 0:
        s += "\\begin{pmatrix} %d & %d \\\\ %d & %d \\end{pmatrix}" % tuple(rng.randint(-9, 9) for _ in range(4))
    if i % 4 == 0:
        s = "Problem %d (%s, Level %d): " % (i, rng.choice(subjects), rng.randint(1, 5)) + s
    if i % 5 == 0:
        s += "\n\nSolution: We have $%d \\cdot %d = %d$, so the answer is $\\boxed{%d}$." % ((a := rng.randint(2, 99)), (b := rng.randint(2, 99)), a * b, a * b)
    add(s)

# 2. Python code
code_lines = ["def f(x):", "    return x * 2", "for i in range(10):", "\tprint(i)", "    if x > 0:", "        y = x ** 2  # square",
              "import numpy as np", "result = sum([a*b for a, b in zip(xs, ys)])", "class Foo(object):", "    def __init__(self):",
              "        self.value = None", "print(f\"{result:.3f}\")", "x = 3*8  # 24", "```python", "```", "```output", "42",
              "    pass", "  \t  mixed = 'tabs'", "while True:", "        break", "lambda x: x+1", "# comment with  two  spaces"]
for i in range(240):
    n = rng.randint(1, 12)
    lines = [rng.choice(code_lines) for _ in range(n)]
    sep = "\r\n" if i % 7 == 0 else "\n"
    s = sep.join(lines)
    if i % 5 == 0:
        s = "```python\n" + s + "\n```\n```output\n" + str(rng.randint(0, 10 ** 6)) + "\n```"
    if i % 9 == 0:
        s += " " * rng.randint(1, 5)
    add(s)

# 3. whitespace runs, CRLF, tabs
ws = [" ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\n\n", " \n", "\n ", "\t\t", "\u00a0", "\u3000", "\u2028", "\u2029", "\u2003", "\x0b", "\x0c"]
for i in range(260):
    toks = []
    for _ in range(rng.randint(1, 8)):
        toks.append(rng.choice(["a", "word", "x", "1", "23", ".", "!", "(", "ab c", "Hello", "end"]))
        toks.append("".join(rng.choice(ws) for _ in range(rng.randint(1, 6))))
    if i % 4 == 0:
        toks.insert(0, rng.choice(ws) * rng.randint(1, 10))
    add("".join(toks))
for k in [1, 2, 3, 5, 8, 16, 31, 64, 100, 257, 1000]:
    add(" " * k)
    add("a" + " " * k + "b")
    add("\n" * k)
    add("x" + "\t" * k)
    add(" " * k + "\n" + " " * k + "y")

# 4. other scripts, emoji, NFC/NFD
scripts = ["数学问题：求 x 的值。", "日本語のテキストです。", "한국어 문장입니다", "Привет, мир!", "مرحبا بالعالم", "नमस्ते दुनिया",
           "Γειά σου Κόσμε", "שלום עולם", "ภาษาไทย", "Tiếng Việt có dấu", "Ελληνικά ΑΒΓ", "中文，标点。“引号”"]
emoji = ["😀", "🚀", "👍🏽", "👨‍👩‍👧‍👦", "🇺🇸", "🇯🇵", "❤️", "✅", "🤔💭", "🧮", "∑", "∫", "√", "≤≥", "→", "©®™"]
nfd = ["e\u0301", "Cafe\u0301", "A\u030a", "n\u0303", "\u1100\u1161\u11a8", "o\u0308", "u\u0308ber", "Ä", "Å", "ﬁ", "①", "Ⅻ"]
for i in range(300):
    parts = [rng.choice(scripts + emoji + nfd + ["and", "the", " ", "123", "\n"]) for _ in range(rng.randint(1, 8))]
    add(rng.choice(["", " ", "  "]).join(parts))

# 5. numbers of every length
for n in range(1, 41):
    for _ in range(3):
        d = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))
        add(d)
    add("x = " + "9" * n + ".")
    add("-" + "1" * n + "." + "5" * (n % 7 + 1))
    add("{:,}".format(int("7" * n)))
for i in range(60):
    add(" ".join(str(rng.randint(0, 10 ** rng.randint(1, 12))) for _ in range(rng.randint(1, 6))))
    add("%.*f" % (rng.randint(0, 8), rng.uniform(-1000, 1000)))
    add("%de%d" % (rng.randint(1, 9), rng.randint(-30, 30)))

# 6. contractions in every case
bases = ["it", "they", "we", "you", "I", "she", "don", "can", "won", "Let"]
suffixes = ["s", "t", "re", "ve", "m", "ll", "d"]
for b in bases:
    for suf in suffixes:
        cases = set()
        for mask in itertools.product([0, 1], repeat=len(suf)):
            cases.add("".join(c.upper() if m else c for c, m in zip(suf, mask)))
        for c in sorted(cases):
            add("%s'%s" % (b, c))
            add("%s'%s go" % (b.upper(), c))
add("He said 'sure' and 'tis fine; rock 'n' roll, o'clock, y'all'd've")
add("'S 'T 'RE 'VE 'M 'LL 'D 's't're've'm'll'd")
add("It’s a curly apostrophe, don’t split like ASCII")

# 7. special-token text inside prose
specials = ["<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|begin_of_text|>", "<|eot_id|>", "<|start_header_id|>",
            "<|end_header_id|>", "<think>", "</think>", "<|fim_prefix|>", "<tool_call>", "<|reserved_special_token_5|>"]
near = ["<|im_st", "< |im_end|>", "<|IM_START|>", "<||>", "<|", "|>", "<|endoftext", "<<|im_end|>>", "<|im_end|><|im_end|>"]
for i in range(260):
    parts = []
    for _ in range(rng.randint(2, 7)):
        r = rng.random()
        if r < 0.35:
            parts.append(rng.choice(specials))
        elif r < 0.5:
            parts.append(rng.choice(near))
        else:
            parts.append(rng.choice(["user", "assistant", "system", "\n", " ", "Hello!", "What is 2+2?", "  ", "The answer is 4.", "\n\n"]))
    add("".join(parts))
add("<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n")
add("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>")

# 8. random mixtures of everything above
pool = list(out)
for i in range(300):
    k = rng.randint(2, 5)
    add(rng.choice(["", " ", "\n", "\r\n"]).join(rng.choice(pool)[: rng.randint(1, 200)] for _ in range(k)))

# Cut strings mid-codepoint can't happen (Python str), but keep only non-empty strings; drop U+0085/U+FEFF.
out = [s for s in out if s and "\u0085" not in s and "\ufeff" not in s]
assert len(out) >= 2000, len(out)
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "tokenizer_corpus.jsonl")
with open(path, "w", encoding="utf-8") as f:
    for s in out:
        f.write(json.dumps(s, ensure_ascii=False) + "\n")
print(f"wrote {len(out)} strings to {os.path.normpath(path)}", file=sys.stderr)
