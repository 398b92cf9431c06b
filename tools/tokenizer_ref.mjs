// tokenizer_ref.mjs: the JavaScript reference tokenizer (@lenml/tokenizers, a port of HF tokenizers
// via transformers.js) used by the tests and the benchmark.
//
//   node tools/tokenizer_ref.mjs encode TOKENIZER_JSON [--add-special] < strings.jsonl > ids.jsonl
//   node tools/tokenizer_ref.mjs bench  TOKENIZER_JSON CORPUS_FILE SECONDS   -> {"mb_per_s": x, ...}
//
// `encode` reads one JSON string per line and writes one JSON array of ids per line.
// `bench` encodes the corpus file (one JSON string per line) repeatedly on one thread for at least
// SECONDS and prints its throughput, so the C++ benchmark can compare against it in the same run.
import fs from "node:fs";
import readline from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { TokenizerLoader } = require("@lenml/tokenizers");

const [mode, tokPath, ...rest] = process.argv.slice(2);
if (!mode || !tokPath) {
  console.error("usage: tokenizer_ref.mjs encode|bench TOKENIZER_JSON ...");
  process.exit(2);
}
const tokenizerJSON = JSON.parse(fs.readFileSync(tokPath, "utf8"));
const cfgPath = tokPath.replace(/tokenizer\.json$/, "tokenizer_config.json");
const tokenizerConfig = fs.existsSync(cfgPath) ? JSON.parse(fs.readFileSync(cfgPath, "utf8")) : {};
const tok = TokenizerLoader.fromPreTrained({ tokenizerJSON, tokenizerConfig });

if (mode === "encode") {
  const addSpecial = rest.includes("--add-special");
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  for await (const line of rl) out.push(JSON.stringify(tok.encode(JSON.parse(line), { add_special_tokens: addSpecial })));
  process.stdout.write(out.join("\n") + "\n");
} else if (mode === "bench") {
  const [corpusPath, secondsStr] = rest;
  const texts = fs.readFileSync(corpusPath, "utf8").split("\n").filter((l) => l.length).map((l) => JSON.parse(l));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t, "utf8"), 0);
  for (const t of texts) tok.encode(t, { add_special_tokens: false });  // warm-up (JIT, caches)
  const minSeconds = Number(secondsStr || "2");
  let iters = 0, tokens = 0;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minSeconds) {
    for (const t of texts) tokens += tok.encode(t, { add_special_tokens: false }).length;
    iters++;
    elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  }
  console.log(JSON.stringify({ mb_per_s: (bytes * iters) / elapsed / 1e6, seconds: elapsed, iterations: iters, bytes_per_iteration: bytes, tokens }));
} else {
  console.error(`tokenizer_ref.mjs: unknown mode '${mode}'`);
  process.exit(2);
}
