// Second check of a trained tokenizer.json with the JS port of HF tokenizers (@lenml/tokenizers):
//   node tokenizer_roundtrip.mjs NODE_MODULES TOKENIZER_JSON TOKENIZER_CONFIG_JSON < strings.jsonl
// Reads one JSON string per line; prints one JSON line per input: {"ids": [...], "decoded": "..."}.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [nodeModules, tokPath, cfgPath] = process.argv.slice(2);
const { TokenizerLoader } = await import(pathToFileURL(`${nodeModules}/@lenml/tokenizers/dist/main.mjs`).href);
const tokenizer = TokenizerLoader.fromPreTrained({
  tokenizerJSON: JSON.parse(readFileSync(tokPath, "utf8")),
  tokenizerConfig: JSON.parse(readFileSync(cfgPath, "utf8")),
});
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line) continue;
  const text = JSON.parse(line);
  const ids = tokenizer.encode(text, { add_special_tokens: false });
  const decoded = tokenizer.decode(ids, { skip_special_tokens: false });
  process.stdout.write(JSON.stringify({ ids, decoded }) + "\n");
}
