#!/usr/bin/env python3
"""gpu_checks.py: the parts of ci/gpu/check.sh that need PyTorch, transformers or HF tokenizers
(the GPU machine has them; the CPU build machine does not). Each subcommand writes one JSON file.

  tokenizers   --tokenizer T.json --corpus C.jsonl --ids IDS.jsonl --rlvrbench-stats S.txt --out J
      HF tokenizers (the Rust library) on the corpus (one JSON string per line, no special tokens):
      ids equal to rlvrbench's (IDS.jsonl, one JSON array per line, from `rlvrbench tokenize`),
      and the encode throughput of both on one thread on the same text (rlvrbench's from the
      `--stats` line it printed for the same repeated corpus, S.txt).
  decode-model --out DIR --tokenizer T.json
      a random-weight model shaped like Qwen2.5-1.5B (bf16, seeded) saved with save_pretrained.
  hf-generate  --model DIR --batches 1,64 --prompt-len 128 --new-tokens 128 --out J
      transformers' generate() on CUDA, bf16, greedy, exactly new-tokens tokens per row: prefill
      tokens/s (one forward over the prompts) and decode tokens/s (the rest of generate's time).
"""
import argparse
import json
import os
import sys
import time


def cmd_tokenizers(a):
    os.environ.setdefault("RAYON_NUM_THREADS", "1")  # one thread, as rlvrbench's encoder
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import tokenizers
    tok = tokenizers.Tokenizer.from_file(a.tokenizer)
    texts = [json.loads(line) for line in open(a.corpus, encoding="utf-8") if line.strip()]
    ours = [json.loads(line) for line in open(a.ids, encoding="utf-8") if line.strip()]
    if len(ours) != len(texts):
        print(f"gpu_checks.py: {a.ids}: {len(ours)} lines, corpus has {len(texts)}", file=sys.stderr)
        return 2
    mismatches = []
    for i, (t, o) in enumerate(zip(texts, ours)):
        hf = tok.encode(t, add_special_tokens=False).ids
        if hf != o:
            mismatches.append(i)
    # Throughput: the corpus repeated a.repeat times, encoded line by line on one thread.
    data = texts * a.repeat
    nbytes = sum(len(t.encode("utf-8")) for t in data)
    best = 0.0
    for _ in range(3):
        t0 = time.perf_counter()
        for t in data:
            tok.encode(t, add_special_tokens=False)
        best = max(best, nbytes / (time.perf_counter() - t0) / 1e6)
    ours_mbs = None
    for line in open(a.rlvrbench_stats, encoding="utf-8"):
        if "MB/s" in line:  # "... N MB/s" as `rlvrbench tokenize --stats` prints it
            for w, nxt in zip(line.split(), line.split()[1:]):
                if nxt.startswith("MB/s"):
                    ours_mbs = float(w)
    res = {"tokenizer": a.tokenizer, "tokenizers_version": tokenizers.__version__, "lines": len(texts),
           "mismatched_lines": len(mismatches), "first_mismatches": mismatches[:10],
           "bytes_timed": nbytes, "hf_mb_per_s_1thread": round(best, 3), "rlvrbench_mb_per_s_1thread": ours_mbs,
           "ratio_rlvrbench_over_hf": round(ours_mbs / best, 3) if ours_mbs else None}
    json.dump(res, open(a.out, "w"), indent=2)
    print(json.dumps(res))
    return 0 if not mismatches else 1


# Qwen2.5-1.5B's shape (its config.json on the hub): the decode benchmark's model.
QWEN25_15B = dict(vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
                  num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=32768,
                  rms_norm_eps=1e-6, tie_word_embeddings=True, bos_token_id=151643, eos_token_id=151643)


def cmd_decode_model(a):
    import inspect
    import shutil
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config
    kw = dict(QWEN25_15B, use_sliding_window=False)
    if "rope_parameters" in inspect.signature(Qwen2Config.__init__).parameters:
        kw["rope_parameters"] = {"rope_type": "default", "rope_theta": 1000000.0}
    else:
        kw["rope_theta"] = 1000000.0
    cfg = Qwen2Config(**kw)
    cfg.architectures = ["Qwen2ForCausalLM"]
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(cfg).to(torch.bfloat16).eval()
    model.save_pretrained(a.out, safe_serialization=True)
    shutil.copy(a.tokenizer, os.path.join(a.out, "tokenizer.json"))
    n = sum(p.numel() for p in model.parameters())
    print(json.dumps({"model": a.out, "params": n}))
    json.dump({"params": n}, open(os.path.join(a.out, "decode_model.json"), "w"))
    return 0


def cmd_hf_generate(a):
    import torch
    import transformers
    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(a.model, dtype=torch.bfloat16).to("cuda").eval()
    V = model.config.vocab_size
    rows = []
    for B in [int(b) for b in a.batches.split(",")]:
        # The same prompt ids as decode_bench: (b * 131 + t * 17) % V.
        ids = torch.tensor([[(b * 131 + t * 17) % V for t in range(a.prompt_len)] for b in range(B)], device="cuda")
        attn = torch.ones_like(ids)
        gen = dict(max_new_tokens=a.new_tokens, min_new_tokens=a.new_tokens, do_sample=False, pad_token_id=0)
        with torch.inference_mode():
            model.generate(ids, attention_mask=attn, **dict(gen, max_new_tokens=4, min_new_tokens=4))  # warm-up
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            model(input_ids=ids, attention_mask=attn)
            torch.cuda.synchronize()
            prefill = time.perf_counter() - t0
            best = None
            for _ in range(2):
                torch.cuda.synchronize()
                t0 = time.perf_counter()
                out = model.generate(ids, attention_mask=attn, **gen)
                torch.cuda.synchronize()
                total = time.perf_counter() - t0
                best = total if best is None else min(best, total)
        new = out.shape[1] - ids.shape[1]
        rows.append({"batch": B, "prompt_len": a.prompt_len, "new_tokens": int(new),
                     "prefill_tok_per_s": round(B * a.prompt_len / prefill, 1),
                     "generate_s": round(best, 4),
                     "decode_tok_per_s": round(B * new / max(best - prefill, 1e-9), 1)})
        print(json.dumps(rows[-1]))
    res = {"transformers": transformers.__version__, "torch": torch.__version__,
           "device": torch.cuda.get_device_name(0), "rows": rows}
    json.dump(res, open(a.out, "w"), indent=2)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("tokenizers")
    t.add_argument("--tokenizer", required=True)
    t.add_argument("--corpus", required=True)
    t.add_argument("--ids", required=True)
    t.add_argument("--rlvrbench-stats", required=True)
    t.add_argument("--repeat", type=int, default=20)
    t.add_argument("--out", required=True)
    d = sub.add_parser("decode-model")
    d.add_argument("--out", required=True)
    d.add_argument("--tokenizer", required=True)
    g = sub.add_parser("hf-generate")
    g.add_argument("--model", required=True)
    g.add_argument("--batches", default="1,64")
    g.add_argument("--prompt-len", type=int, default=128)
    g.add_argument("--new-tokens", type=int, default=128)
    g.add_argument("--out", required=True)
    a = ap.parse_args()
    return {"tokenizers": cmd_tokenizers, "decode-model": cmd_decode_model, "hf-generate": cmd_hf_generate}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
