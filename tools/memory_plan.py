#!/usr/bin/env python3
"""memory_plan.py CONFIG.json: the memory one GRPO cell needs per GPU, on paper, before buying GPUs.

From a HF config.json (Qwen2, Llama, OLMo-2 decoders) it counts the parameters and prints, per GPU,
for plain data parallelism and for ZeRO stages 1-3 (optimizer state, then gradients, then weights
sharded over the ranks):
  weights (bf16), gradients (bf16), Adam state (fp32 master copy + m + v: 12 bytes a parameter),
  the rollout's KV cache (K and V, bf16, every layer, each rank holding its share of the sequences),
  the logits of one micro-batch in fp32 (the log-prob of a response needs them, unless chunked),
  and the activations kept for backward with per-layer recomputation (the residual stream of every
  layer, plus one layer's full activations).
Defaults are the paper's cells (suites/paper.toml; the scripts' recipe): 8 ranks, a rollout of
64 prompts x 16 samples = 1,024 sequences of up to 1,024 prompt + 3,072 response tokens (4,096), and
micro-batches of 4 sequences.

    python3 tools/memory_plan.py tests/data/memory/qwen2.5-math-7b.json [--world 8] [--gpu-gib 141]
    python3 tools/memory_plan.py --check-params MODEL_DIR   # the count equals model.safetensors'

--check-params exits 1 when the counted parameters differ from the tensors in the folder's
model.safetensors (the formula is tested on every zoo family that way). Stdlib only.
"""
import argparse
import json
import os
import struct
import sys

GIB = 1024 ** 3
BYTES_BF16 = 2
BYTES_ADAM = 12  # fp32 master weights + Adam m + Adam v


def fail(msg):
    print(f"memory_plan.py: {msg}", file=sys.stderr)
    sys.exit(2)


def load_config(path):
    try:
        with open(path) as f:
            cfg = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")
    for k in ("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "vocab_size"):
        if not isinstance(cfg.get(k), int) or cfg[k] <= 0:
            fail(f"{path}: field {k}: expected a positive integer")
    return cfg


def shape(cfg):
    h, L = cfg["hidden_size"], cfg["num_hidden_layers"]
    heads = cfg["num_attention_heads"]
    kv = cfg.get("num_key_value_heads") or heads
    hd = cfg.get("head_dim") or h // heads
    return h, L, heads, kv, hd


def count_params(cfg):
    """Parameters of the decoder as HF lays it out (biases and norms by model_type)."""
    h, L, heads, kv, hd = shape(cfg)
    ff, V = cfg["intermediate_size"], cfg["vocab_size"]
    mt = cfg.get("model_type", "")
    qkv_bias = mt == "qwen2" or cfg.get("attention_bias", False)
    attn = h * heads * hd + 2 * h * kv * hd + heads * hd * h
    if qkv_bias:
        attn += heads * hd + 2 * kv * hd
    if cfg.get("attention_bias", False) and mt != "qwen2":
        attn += h  # o_proj bias (Llama's attention_bias covers every projection)
    mlp = 3 * h * ff + (ff * 2 + h if cfg.get("mlp_bias", False) else 0)
    if mt == "olmo2":  # post-attention and post-feed-forward norms, plus q/k norms
        norms = 2 * h + heads * hd + kv * hd
    else:  # input and post-attention norms
        norms = 2 * h
    embed = V * h
    head = 0 if cfg.get("tie_word_embeddings", False) else V * h
    return embed + L * (attn + mlp + norms) + h + head


def safetensors_params(folder):
    total = 0
    files = [f for f in sorted(os.listdir(folder)) if f.endswith(".safetensors")]
    if not files:
        fail(f"{folder}: no .safetensors file")
    for name in files:
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
        header.pop("__metadata__", None)
        for t in header.values():
            k = 1
            for d in t["shape"]:
                k *= d
            total += k
    return total


def plan(cfg, world, seqs, tokens, micro, gpu_gib):
    h, L, heads, kv, hd = shape(cfg)
    P = count_params(cfg)
    V = cfg["vocab_size"]
    kv_cache = 2 * L * kv * hd * BYTES_BF16 * tokens * (seqs / world)
    logits = micro * tokens * V * 4
    acts = micro * tokens * (L * h * BYTES_BF16 + (8 * h + 3 * cfg["intermediate_size"] + 2 * heads * tokens) * BYTES_BF16)
    rows = []
    for name, w_sh, g_sh, o_sh in (("data parallel", 1, 1, 1), ("ZeRO-1 (optimizer)", 1, 1, world),
                                    ("ZeRO-2 (+ gradients)", 1, world, world), ("ZeRO-3 (+ weights)", world, world, world)):
        wb = P * BYTES_BF16 / w_sh
        gb = P * BYTES_BF16 / g_sh
        ob = P * BYTES_ADAM / o_sh
        total = wb + gb + ob + kv_cache + logits + acts
        rows.append((name, wb, gb, ob, total))
    return P, kv_cache, logits, acts, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("config", nargs="?", help="a HF config.json")
    ap.add_argument("--world", type=int, default=8, help="ranks (GPUs) sharing the cell (default 8)")
    ap.add_argument("--seqs", type=int, default=1024, help="sequences in a rollout (default 64 x 16)")
    ap.add_argument("--tokens", type=int, default=4096, help="prompt + response tokens a sequence (default 1,024 + 3,072)")
    ap.add_argument("--micro", type=int, default=4, help="sequences a micro-batch (default 4)")
    ap.add_argument("--gpu-gib", type=float, default=141.0, help="memory of one GPU in GiB (default 141, an H200)")
    ap.add_argument("--check-params", metavar="MODEL_DIR", help="compare the count with MODEL_DIR's safetensors")
    a = ap.parse_args()
    if a.check_params:
        cfg = load_config(os.path.join(a.check_params, "config.json"))
        want, got = safetensors_params(a.check_params), count_params(cfg)
        print(f"{a.check_params}: counted {got:,} parameters, model.safetensors holds {want:,}")
        sys.exit(0 if want == got else 1)
    if not a.config:
        ap.error("give CONFIG.json or --check-params MODEL_DIR")
    for k in ("world", "seqs", "tokens", "micro"):
        if getattr(a, k) <= 0:
            fail(f"--{k}: expected a positive integer")
    cfg = load_config(a.config)
    P, kv_cache, logits, acts, rows = plan(cfg, a.world, a.seqs, a.tokens, a.micro, a.gpu_gib)
    print(f"{a.config}: {P / 1e9:.2f} B parameters; {a.world} ranks, {a.seqs} sequences x {a.tokens} tokens, "
          f"micro-batch {a.micro}; per GPU, GiB:")
    print()
    print("| layout | weights | gradients | Adam state | KV cache | logits | activations | total | fits in "
          f"{a.gpu_gib:g} GiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, wb, gb, ob, total in rows:
        fits = "yes" if total <= a.gpu_gib * GIB else "no"
        print(f"| {name} | {wb / GIB:.1f} | {gb / GIB:.1f} | {ob / GIB:.1f} | {kv_cache / GIB:.1f} | "
              f"{logits / GIB:.1f} | {acts / GIB:.1f} | {total / GIB:.1f} | {fits} |")


if __name__ == "__main__":
    main()
