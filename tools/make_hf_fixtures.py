#!/usr/bin/env python3
"""make_hf_fixtures.py: HF transformers reference fixtures for the model core's parity test.

Needs torch + transformers: the project environment (.venv, ci/requirements.txt) has them, so CTest
makes the fixtures at test time (hf/fixtures, into the build folder) and runs
model_hf_parity_test against them on every CI run; ci/gpu/check.sh makes them the same way on a GPU
machine. Builds tiny seeded Qwen2, Llama-3.x and OLMo-2 models *in transformers* (several shapes:
GQA ratios 1, 2, 4 and 8, head dims 8 to 32 including one that is not hidden/heads, rope theta
1e4, 5e5 and 1e6, llama3 rope scaling, tied and untied embeddings), randomises every parameter
(biases and norm weights included, so each one matters), saves each with save_pretrained
(config.json + model.safetensors, fp32) and what transformers computes with it:

    OUT/manifest.json
    OUT/<case>/{config.json, generation_config.json, model.safetensors, expected.safetensors}

expected.safetensors (every number from transformers' own forward or generate(), nothing hand-written):
    input_ids (B, T) I64, logits (B, T, V) F32      fp32 forward over T = 320 tokens per row
    logits_bf16 (B, T, V) F32                       the same model cast to bf16, same ids: how far
                                                    transformers' own bf16 lands from its fp32
    lp_prompt_ids, lp_prompt_lens, lp_resp_ids, lp_resp_lens I64 (rows concatenated)
    lp_logprobs F32                                 log-softmax of each given completion token
                                                    (teacher forced, each row alone, unpadded)
    lp_logprobs_bf16 F32                            the same from the bf16 model
    gen_prompt_ids, gen_prompt_lens I64, gen_ids (P, 64) I64, gen_logprobs (P, 64) F32
                                                    greedy generate(), 64 new tokens, EOS off,
                                                    each prompt alone; the chosen tokens' log-probs;
                                                    prompts whose paths have no near tie
                                                    (GREEDY_MARGIN_REL below)

The manifest records, per case, the logit scale (max |logit|), transformers' bf16 error and the
smallest top-1/top-2 logit margin along the greedy paths (how far from a tie each greedy step is).
model_hf_parity_test holds rlvrbench to these (see its file comment for the bounds).

    python3 tools/make_hf_fixtures.py --out DIR

Second use, the other direction (checkpoints this project writes must load in transformers):

    python3 tools/make_hf_fixtures.py --check-dir DIR [DIR...] --rlvrbench build/app/rlvrbench --text "Hello world"
                                      [--parity-test build/models/model_hf_parity_test [--parity-out FOLDER]]

loads each DIR (written by build/models/model_fixture DIR ok TOKENIZER_DIR, or by `rlvrbench zoo
build`: tests/hf_zoo_export.sh, CTest hf/zoo_export) with AutoModelForCausalLM (no missing or
unexpected tensor), checks that HF tokenizers encodes TEXT with DIR/tokenizer.json to the ids
`rlvrbench logits --all` used, runs the model on them and compares the logits (max |diff| <= 1e-5 x
the logit scale, at least 1e-5). With --parity-test it also writes, per DIR, the expected.safetensors
above (the same ids, drawn from the member's vocabulary, rows as long as its max positions allow up to
320) into a fixture folder whose manifest cases name DIR as model_dir, and runs model_hf_parity_test
on it in fp32: the zoo members are held to exactly the checks and bounds of the random-weight models.
Exit status 1 on any mismatch; 2, with one line on stderr naming it, when torch, safetensors,
transformers or tokenizers cannot be imported (tests/reference_packages.py).
"""
import argparse
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests"))
from reference_packages import require  # noqa: E402  tests/reference_packages.py: one line and exit 2 when missing

torch, _, transformers, tokenizers = require("torch", "safetensors.torch", "transformers", "tokenizers")
from safetensors.torch import save_file  # noqa: E402
from transformers import AutoModelForCausalLM, LlamaConfig, Olmo2Config, Qwen2Config  # noqa: E402

# fp32: rlvrbench's logits within this fraction of the logit scale (max |logit|) of transformers'.
FP32_REL_TOL = 1e-5
VOCAB = 256
SEQ = 320          # tokens per row of the logits check ("a few hundred")
GEN_NEW = 64       # greedy tokens per prompt
# A greedy path is compared only where no step is a near tie: every step's top-1/top-2 logit margin at
# least this fraction of the logit scale, 10x the fp32 bound (a flip then needs a logit off by 5x the
# bound, which the logits check fails on its own). A prompt whose path has a closer step is replaced
# by another seeded one (up to GREEDY_TRIES): near-untrained zoo members (hf/zoo_export's 2 + 1 steps)
# can tie within 1e-6 somewhere in 64 steps, and which of two tied tokens wins is rounding, not parity.
GREEDY_MARGIN_REL = 1e-4
GREEDY_TRIES = 20
LLAMA31_SCALING = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                   "high_freq_factor": 4.0, "original_max_position_embeddings": 64}
LLAMA32_SCALING = {"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                   "high_freq_factor": 4.0, "original_max_position_embeddings": 64}


def rope(cls, theta, scaling=None):
    """RoPE keywords in the form this transformers takes: rope_parameters (>= 4.56 / 5.x, theta
    inside) or rope_theta + rope_scaling (older)."""
    if "rope_parameters" in inspect.signature(cls.__init__).parameters:
        return {"rope_parameters": dict(scaling or {"rope_type": "default"}, rope_theta=theta)}
    return {"rope_theta": theta, "rope_scaling": scaling}


def dtype_kw(dtype):
    """from_pretrained/from_config's dtype keyword: `dtype` in transformers >= 4.56, `torch_dtype` before."""
    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    return {"dtype": dtype} if (major, minor) >= (4, 56) else {"torch_dtype": dtype}


def shape(hidden=64, heads=4, kv=2, head_dim=None, ffn=128, layers=2, tied=False):
    d = dict(vocab_size=VOCAB, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=layers,
             num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=512,
             tie_word_embeddings=tied, bos_token_id=1, eos_token_id=2)
    if head_dim is not None:
        d["head_dim"] = head_dim
    return d


def cases():
    """(name, config, what it covers). GQA group = heads / kv heads."""
    yield ("qwen2", Qwen2Config(rms_norm_eps=1e-6, use_sliding_window=False, **shape(heads=4, kv=2),
                                **rope(Qwen2Config, 1e6)),
           "Qwen2.5-7B-like: GQA 2, head dim 16, theta 1e6, q/k/v biases, untied")
    yield ("qwen2_gqa8_tied", Qwen2Config(rms_norm_eps=1e-6, use_sliding_window=False,
                                          **shape(hidden=64, heads=8, kv=1, tied=True), **rope(Qwen2Config, 1e4)),
           "Qwen2.5-0.5B..3B-like: GQA 8 (one kv head), head dim 8, theta 1e4, tied embeddings")
    yield ("llama31", LlamaConfig(rms_norm_eps=1e-5, attention_bias=False, mlp_bias=False,
                                  **shape(hidden=64, heads=8, kv=2), **rope(LlamaConfig, 5e5, LLAMA31_SCALING)),
           "Llama-3.1-8B-like: GQA 4, head dim 8, theta 5e5, llama3 rope scaling x8, untied")
    yield ("llama32_tied", LlamaConfig(rms_norm_eps=1e-5, attention_bias=False, mlp_bias=False,
                                       **shape(hidden=64, heads=4, kv=4, tied=True), **rope(LlamaConfig, 5e5, LLAMA32_SCALING)),
           "Llama-3.2-1B-like: MHA (GQA 1), head dim 16, theta 5e5, llama3 rope scaling x32, tied")
    yield ("llama_hd32", LlamaConfig(rms_norm_eps=1e-5, attention_bias=False, mlp_bias=False,
                                     **shape(hidden=64, heads=4, kv=2, head_dim=32), **rope(LlamaConfig, 1e4)),
           "Llama with head_dim 32 != hidden/heads (q width 128 > hidden 64), GQA 2, theta 1e4, untied")
    yield ("olmo2", Olmo2Config(rms_norm_eps=1e-6, attention_bias=False, **shape(hidden=64, heads=4, kv=4),
                                **rope(Olmo2Config, 5e5)),
           "OLMo-2-7B-like: MHA, head dim 16, theta 5e5, q/k norms, post-norms, untied")
    yield ("olmo2_gqa4", Olmo2Config(rms_norm_eps=1e-6, attention_bias=False, **shape(hidden=64, heads=8, kv=2),
                                     **rope(Olmo2Config, 1e4)),
           "OLMo-2 with GQA 4, head dim 8, theta 1e4, untied")


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in sorted(model.named_parameters()):
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def rows(g, lens, vocab=VOCAB):
    return [torch.randint(3, vocab, (n,), generator=g, dtype=torch.int64) for n in lens]


def inputs(vocab=VOCAB, seq=SEQ):
    """The ids every check runs on, seeded: two rows of `seq` tokens for the logits (positions reach
    far past original_max_position_embeddings (64) for llama3); given completions, teacher forced,
    prompts and responses of unequal lengths so that rlvrbench's batched rows are padded differently;
    two greedy prompts."""
    g = torch.Generator().manual_seed(1234)
    ids = torch.randint(3, vocab, (2, seq), generator=g, dtype=torch.int64)
    lp_prompts, lp_resps = rows(g, [6, 25, 60], vocab), rows(g, [40, 9, 64], vocab)
    return ids, lp_prompts, lp_resps, rows(g, [7, 19], vocab)


def given_logprobs(model, prompts, resps):
    """Teacher-forced log-probs of each response token, each row alone (unpadded)."""
    out = []
    for p, r in zip(prompts, resps):
        lg = model(input_ids=torch.cat([p, r])[None]).logits[0].float()
        out.append(torch.log_softmax(lg[len(p) - 1:len(p) + len(r) - 1], -1).gather(-1, r[:, None])[:, 0])
    return out


def greedy(model, prompt):
    """transformers' generate(), greedy, exactly GEN_NEW tokens (EOS off): ids, log-probs of the
    chosen tokens (log-softmax of the raw logits) and the smallest top-1/top-2 margin."""
    out = model.generate(prompt[None], attention_mask=torch.ones(1, len(prompt), dtype=torch.int64),
                         do_sample=False, max_new_tokens=GEN_NEW, min_new_tokens=0,
                         return_dict_in_generate=True, output_logits=True)
    ids = out.sequences[0, len(prompt):]
    assert len(ids) == GEN_NEW, f"generate() returned {len(ids)} tokens, not {GEN_NEW}"
    logits = torch.stack(out.logits)[:, 0].float()  # (GEN_NEW, V)
    assert torch.equal(logits.argmax(-1), ids), "greedy tokens are not the argmax of the logits"
    lp = torch.log_softmax(logits, -1).gather(-1, ids[:, None])[:, 0]
    top2 = logits.topk(2, -1).values
    return ids, lp, (top2[:, 0] - top2[:, 1]).min().item()


def greedy_prompts(model, prompts, need):
    """greedy() of each prompt, each replaced (same length, seeded) while its path has a step with a
    top-1/top-2 margin below `need` (GREEDY_MARGIN_REL); the widest-margin try if none reaches it."""
    alt = torch.Generator().manual_seed(4321)
    chosen, gens = [], []
    for p in prompts:
        best = None
        for _ in range(GREEDY_TRIES):
            r = greedy(model, p)
            if best is None or r[2] > best[1][2]:
                best = (p, r)
            if r[2] >= need:
                break
            p = rows(alt, [len(p)], model.config.vocab_size)[0]
        chosen.append(best[0])
        gens.append(best[1])
    return chosen, gens


def expected(model, ids, lp_prompts, lp_resps, gen_prompts):
    """What transformers computes with an fp32 model on these ids (expected.safetensors, the file
    comment) and the manifest's measures of it. Leaves the model in bf16."""
    # Greedy with EOS off and nothing but the argmax (no processor a saved generation_config.json
    # might carry): rlvrbench's side is given an EOS id that never comes up.
    model.generation_config = transformers.GenerationConfig(eos_token_id=None, pad_token_id=0)
    t = {"input_ids": ids}
    with torch.no_grad():
        logits = model(input_ids=ids).logits.float()
        t["logits"] = logits
        lps = given_logprobs(model, lp_prompts, lp_resps)
        gen_prompts, gens = greedy_prompts(model, gen_prompts, GREEDY_MARGIN_REL * logits.abs().max().item())
        model_bf16 = model.to(torch.bfloat16)
        t["logits_bf16"] = model_bf16(input_ids=ids).logits.float()
        t["lp_logprobs_bf16"] = torch.cat(given_logprobs(model_bf16, lp_prompts, lp_resps))
    t.update(lp_prompt_ids=torch.cat(lp_prompts), lp_prompt_lens=torch.tensor([len(p) for p in lp_prompts]),
             lp_resp_ids=torch.cat(lp_resps), lp_resp_lens=torch.tensor([len(r) for r in lp_resps]),
             lp_logprobs=torch.cat(lps),
             gen_prompt_ids=torch.cat(gen_prompts), gen_prompt_lens=torch.tensor([len(p) for p in gen_prompts]),
             gen_ids=torch.stack([x[0] for x in gens]), gen_logprobs=torch.stack([x[1] for x in gens]))
    measures = {"logit_scale": logits.abs().max().item(),
                "hf_bf16_max_abs_err": (t["logits_bf16"] - logits).abs().max().item(),
                "hf_bf16_logprob_max_abs_err": (t["lp_logprobs_bf16"] - t["lp_logprobs"]).abs().max().item(),
                "greedy_min_margin": min(x[2] for x in gens)}
    return {k: v.contiguous() for k, v in t.items()}, measures


def describe(name, t, m):
    return (f"{name}: logits {tuple(t['logits'].shape)}, scale {m['logit_scale']:.3f}; transformers bf16 vs fp32 max |diff| "
            f"{m['hf_bf16_max_abs_err']:.3e} ({m['hf_bf16_max_abs_err'] / m['logit_scale']:.2%} of scale), log-probs "
            f"{m['hf_bf16_logprob_max_abs_err']:.3e}; greedy min top-1/top-2 margin {m['greedy_min_margin']:.2e}")


def new_manifest():
    return {"fp32_rel_tol": FP32_REL_TOL, "transformers": transformers.__version__, "torch": torch.__version__, "cases": []}


def make(out):
    os.makedirs(out, exist_ok=True)
    manifest = new_manifest()
    data = inputs()
    for i, (name, cfg, what) in enumerate(cases()):
        torch.manual_seed(100 + i)
        model = AutoModelForCausalLM.from_config(cfg, **dtype_kw(torch.float32)).eval()
        model.config.architectures = [type(model).__name__]
        randomise(model, 200 + i)
        d = os.path.join(out, name)
        model.save_pretrained(d, safe_serialization=True)
        t, m = expected(model, *data)
        save_file(t, os.path.join(d, "expected.safetensors"))
        manifest["cases"].append({"name": name, "dir": name, "model_type": cfg.model_type, "covers": what, **m})
        print(describe(name, t, m))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    total = sum(os.path.getsize(os.path.join(r, n)) for r, _, ns in os.walk(out) for n in ns)
    print(f"wrote {out} ({total / 1e6:.2f} MB)")


def check_dir(d, rlvrbench, text, parity=None):
    """One model folder rlvrbench wrote: transformers loads it with no missing or unexpected tensor,
    HF tokenizers reads its tokenizer.json to the same ids, and the logits agree. 0 when all hold.
    parity, a (folder, manifest) pair: also writes transformers' numbers for the parity test's checks
    (expected(): logits over a few hundred tokens, given completions' log-probs, greedy ids) into a
    case of that folder whose model_dir is d."""
    out = subprocess.run([rlvrbench, "logits", "--model", d, "--text", text, "--all"],
                         check=True, capture_output=True, text=True).stdout
    j = json.loads(out)
    model, info = AutoModelForCausalLM.from_pretrained(d, output_loading_info=True, **dtype_kw(torch.float32))
    model.eval()
    problems = [f"{k}: {sorted(v)}" for k, v in info.items() if v and k != "mismatched_keys"]
    problems += [f"mismatched_keys: {[x[0] for x in info.get('mismatched_keys') or []]}"] if info.get("mismatched_keys") else []
    hf_ids = tokenizers.Tokenizer.from_file(os.path.join(d, "tokenizer.json")).encode(text, add_special_tokens=True).ids
    if hf_ids != j["tokens"]:
        problems.append(f"token ids: rlvrbench {j['tokens']}, HF tokenizers {hf_ids}")
    with torch.no_grad():
        ref = model(input_ids=torch.tensor([j["tokens"]])).logits[0].float()
    got = torch.tensor(j["logits"], dtype=torch.float32)
    if got.shape != ref.shape:
        problems.append(f"logits shape {tuple(got.shape)} from rlvrbench, {tuple(ref.shape)} from transformers")
        diff = float("inf")
    else:
        diff = (got - ref).abs().max().item()
    bound = FP32_REL_TOL * max(1.0, ref.abs().max().item())
    if not diff <= bound:
        problems.append(f"max |logits diff| {diff:.2e} > {bound:.2e}")
    c = model.config
    print(f"{'ok' if not problems else 'MISMATCH'} {d}: {type(model).__name__} (layers {c.num_hidden_layers}, hidden "
          f"{c.hidden_size}, heads {c.num_attention_heads}/{c.num_key_value_heads}, vocab {c.vocab_size}, tied "
          f"{c.tie_word_embeddings}) loaded by transformers; {len(j['tokens'])} tokens (same ids from HF tokenizers: "
          f"{hf_ids == j['tokens']}), max |rlvrbench - transformers| = {diff:.2e} (bound {bound:.2e})")
    for p in problems:
        print(f"    {p}")
    if parity and not problems:
        folder, manifest = parity
        name = os.path.basename(os.path.normpath(d))
        taken = {x["name"] for x in manifest["cases"]}
        name = next(f"{name}#{n}" for n in range(1, 100) if f"{name}#{n}" not in taken) if name in taken else name
        case = f"{len(manifest['cases']):02d}-{name.replace('#', '-')}"
        # A few hundred tokens, as far as the member's positions reach (the micro members': 256).
        seq = min(SEQ, c.max_position_embeddings)
        t, m = expected(model, *inputs(c.vocab_size, seq))
        os.makedirs(os.path.join(folder, case), exist_ok=True)
        save_file(t, os.path.join(folder, case, "expected.safetensors"))
        manifest["cases"].append({"name": name, "dir": case, "model_dir": os.path.abspath(d), "model_type": c.model_type,
                                  "covers": f"rlvrbench's export of {d}", **m})
        print(f"    {describe(name, t, m)}")
    return 0 if not problems else 1


def parity_run(parity_test, folder, manifest):
    """model_hf_parity_test (fp32, CPU) on the members' cases: rlvrbench's logits, log-probs and greedy
    ids against transformers' (its bounds: fp32_rel_tol of each member's logit scale). Its status."""
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    env = dict(os.environ, RLVR_HF_FIXTURES=folder, RLVR_PARITY_DEVICE="cpu", RLVR_PARITY_DTYPE="float32",
               OMP_NUM_THREADS="1")
    print(f"{parity_test} on {len(manifest['cases'])} members ({folder}):", flush=True)
    return subprocess.run([parity_test, "--gtest_brief=1"], env=env).returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="fixture folder to write (CTest: build/hf_fixtures; ci/gpu/check.sh: OUT/hf_fixtures)")
    ap.add_argument("--check-dir", nargs="+")
    ap.add_argument("--rlvrbench", default="build/app/rlvrbench")
    ap.add_argument("--text", default="Hello world, 1 + 2 = 3.")
    ap.add_argument("--parity-test", help="with --check-dir: build/models/model_hf_parity_test, run on every DIR "
                                          "(logits over a few hundred tokens, log-probs, greedy ids)")
    ap.add_argument("--parity-out", help="with --parity-test: the folder for its fixtures (default: a temporary one)")
    a = ap.parse_args()
    torch.set_num_threads(1)  # deterministic reductions, and CTest runs beside other tests
    transformers.utils.logging.disable_progress_bar()
    if a.check_dir:
        if not a.parity_test:
            sys.exit(max(check_dir(d, a.rlvrbench, a.text) for d in a.check_dir))
        with tempfile.TemporaryDirectory(prefix="hf-zoo-parity-") as tmp:
            folder = a.parity_out or tmp
            if a.parity_out:
                shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder, exist_ok=True)
            manifest = new_manifest()
            status = max(check_dir(d, a.rlvrbench, a.text, (folder, manifest)) for d in a.check_dir)
            sys.exit(max(status, 1 if parity_run(a.parity_test, folder, manifest) else 0))
    if not a.out:
        ap.error("--out DIR or --check-dir DIR... is required")
    make(os.path.normpath(a.out))


if __name__ == "__main__":
    main()
