#!/usr/bin/env python3
"""make_hf_fixtures.py: HF transformers reference fixtures for the model core's parity test.

Needs torch + transformers (the GPU machine has them; the CPU machines do not). Builds tiny seeded
Qwen2, Llama (with llama3 rope scaling) and OLMo-2 models *in transformers*, randomises every
parameter (biases and norm weights included, so each one matters), saves each with
save_pretrained (config.json + model.safetensors, fp32) and the fp32 logits of fixed inputs:

    tests/data/hf_fixtures/manifest.json
    tests/data/hf_fixtures/<case>/{config.json, generation_config.json, model.safetensors, expected.safetensors}

expected.safetensors holds input_ids (B, T) I64 and logits (B, T, V) F32. The ctest target
model_hf_parity_test is registered only when manifest.json exists (re-run cmake after making them)
and compares `model_load` + `model_forward` with these logits within 1e-4. Nothing here is
hand-written: every number comes from transformers' own forward.

    python3 tools/make_hf_fixtures.py [--out tests/data/hf_fixtures]

Second use, the other direction (checkpoints this project writes must load in transformers):

    python3 tools/make_hf_fixtures.py --check-dir DIR --rlvrbench build/app/rlvrbench --text "Hello world"

loads DIR (e.g. written by build/models/model_fixture DIR ok TOKENIZER_DIR, or by `rlvrbench zoo
build`) with AutoModelForCausalLM, runs it on the token ids `rlvrbench logits --all` reports and
compares the logits (max abs diff <= 1e-4). Exit status 1 on a mismatch.
"""
import argparse
import inspect
import json
import os
import subprocess
import sys

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, LlamaConfig, Olmo2Config, Qwen2Config

TOL = 1e-4

COMMON = dict(vocab_size=128, hidden_size=64, intermediate_size=96, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
              tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
ROPE_THETA = 10000.0
LLAMA3_SCALING = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                  "high_freq_factor": 4.0, "original_max_position_embeddings": 32}


def rope(cls, scaling=None):
    """RoPE keywords in the form this transformers takes: rope_parameters (>= 4.56 / 5.x, theta
    inside) or rope_theta + rope_scaling (older)."""
    if "rope_parameters" in inspect.signature(cls.__init__).parameters:
        return {"rope_parameters": dict(scaling or {"rope_type": "default"}, rope_theta=ROPE_THETA)}
    return {"rope_theta": ROPE_THETA, "rope_scaling": scaling}


def dtype_kw(dtype):
    """from_pretrained/from_config's dtype keyword: `dtype` in transformers >= 4.56, `torch_dtype` before."""
    major, minor = (int(x) for x in __import__("transformers").__version__.split(".")[:2])
    return {"dtype": dtype} if (major, minor) >= (4, 56) else {"torch_dtype": dtype}


def cases():
    yield "qwen2", Qwen2Config(rms_norm_eps=1e-6, use_sliding_window=False, **COMMON, **rope(Qwen2Config))
    yield "llama", LlamaConfig(rms_norm_eps=1e-5, attention_bias=False, mlp_bias=False,
                               **COMMON, **rope(LlamaConfig, LLAMA3_SCALING))
    tied = dict(COMMON, tie_word_embeddings=True)
    yield "llama_tied_mha", LlamaConfig(rms_norm_eps=1e-5, **dict(tied, num_key_value_heads=4), **rope(LlamaConfig))
    yield "olmo2", Olmo2Config(rms_norm_eps=1e-6, attention_bias=False, **COMMON, **rope(Olmo2Config))


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def make(out):
    os.makedirs(out, exist_ok=True)
    manifest = {"tolerance": TOL, "transformers": __import__("transformers").__version__,
                "torch": torch.__version__, "cases": []}
    g = torch.Generator().manual_seed(1234)
    # Two rows of 40 tokens: positions reach past original_max_position_embeddings (32) for llama3.
    ids = torch.randint(3, 128, (2, 40), generator=g, dtype=torch.int64)
    for i, (name, cfg) in enumerate(cases()):
        torch.manual_seed(100 + i)
        model = AutoModelForCausalLM.from_config(cfg, **dtype_kw(torch.float32)).eval()
        model.config.architectures = [type(model).__name__]
        randomise(model, 200 + i)
        d = os.path.join(out, name)
        model.save_pretrained(d, safe_serialization=True)
        with torch.no_grad():
            logits = model(input_ids=ids).logits.float().contiguous()
        save_file({"input_ids": ids.contiguous(), "logits": logits}, os.path.join(d, "expected.safetensors"))
        manifest["cases"].append({"name": name, "dir": name, "model_type": cfg.model_type})
        print(f"{name}: logits {tuple(logits.shape)}, |max| {logits.abs().max().item():.3f}")
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    total = sum(os.path.getsize(os.path.join(r, n)) for r, _, ns in os.walk(out) for n in ns)
    print(f"wrote {out} ({total / 1e6:.2f} MB)")


def check_dir(d, rlvrbench, text):
    out = subprocess.run([rlvrbench, "logits", "--model", d, "--text", text, "--all"],
                         check=True, capture_output=True, text=True).stdout
    j = json.loads(out)
    model = AutoModelForCausalLM.from_pretrained(d, **dtype_kw(torch.float32)).eval()
    with torch.no_grad():
        ref = model(input_ids=torch.tensor([j["tokens"]])).logits[0].float()
    got = torch.tensor(j["logits"], dtype=torch.float32)
    diff = (got - ref).abs().max().item()
    print(f"{d}: {type(model).__name__} loaded by transformers; max |rlvrbench - transformers| = {diff:.2e}")
    return 0 if diff <= TOL else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "hf_fixtures"))
    ap.add_argument("--check-dir")
    ap.add_argument("--rlvrbench", default="build/app/rlvrbench")
    ap.add_argument("--text", default="Hello world, 1 + 2 = 3.")
    a = ap.parse_args()
    if a.check_dir:
        sys.exit(check_dir(a.check_dir, a.rlvrbench, a.text))
    make(os.path.normpath(a.out))


if __name__ == "__main__":
    main()
