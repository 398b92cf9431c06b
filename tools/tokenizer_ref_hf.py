#!/usr/bin/env python3
"""tokenizer_ref_hf.py: HF tokenizers (the Rust library, the project environment's pinned version)
as the second reference of bench/tokenizer_bench, beside tools/tokenizer_ref.mjs (the JS port).

    .venv/bin/python tools/tokenizer_ref_hf.py bench TOKENIZER_JSON CORPUS_FILE SECONDS -> {"mb_per_s": x, ...}

`bench` encodes the corpus file (one JSON string per line, no special tokens) repeatedly on one
thread (RAYON_NUM_THREADS=1, TOKENIZERS_PARALLELISM=false) for at least SECONDS, after a warm-up
pass, with Tokenizer.encode_batch (the loop in Rust: no Python call per line), and prints its
throughput, so the C++ benchmark compares against it in the same run. Exit 2 with one line on stderr
naming it when HF tokenizers cannot be imported (tests/reference_packages.py); the benchmark then
exits 2 too.
"""
import json
import os
import sys
import time

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests"))
from reference_packages import require  # noqa: E402  tests/reference_packages.py: one line and exit 2 when missing

tokenizers = require("tokenizers")


def main():
    if len(sys.argv) < 4 or sys.argv[1] != "bench":
        print("usage: tokenizer_ref_hf.py bench TOKENIZER_JSON CORPUS_FILE [SECONDS]", file=sys.stderr)
        return 2
    tok = tokenizers.Tokenizer.from_file(sys.argv[2])
    texts = [json.loads(line) for line in open(sys.argv[3], encoding="utf-8") if line.strip()]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    tok.encode_batch(texts, add_special_tokens=False)  # warm-up
    iters = tokens = 0
    t0 = time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds:
        tokens += sum(len(e.ids) for e in tok.encode_batch(texts, add_special_tokens=False))
        iters += 1
        elapsed = time.perf_counter() - t0
    print(json.dumps({"mb_per_s": nbytes * iters / elapsed / 1e6, "seconds": elapsed, "iterations": iters,
                      "bytes_per_iteration": nbytes, "tokens": tokens, "tokenizers": tokenizers.__version__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
