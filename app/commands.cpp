#include "app/commands.h"

#include <array>

namespace rlvr::app {

// A LibTorch command's entry: the function in rlvrbench-torch, nullptr in the torch-free front
// (main.cpp then execs rlvrbench-torch).
#if RLVR_WITH_TORCH
#define RLVR_TORCH_CMD(fn) fn
#else
#define RLVR_TORCH_CMD(fn) nullptr
#endif

// Keep sorted by name; `rlvrbench --help` prints them in this order.
static constexpr std::array kCommands = {
    Command{"claims", "one verdict per claim of the paper on its zoo analogue, from the goldens (reproduced, not reproduced, ...)", /*torch=*/false, cmd_claims},
    Command{"compare", "judge a suite's runs against its golden claims: verdict table, exit 1 unless all PASS", /*torch=*/false, cmd_compare},
    Command{"data", "data check FILE: validate a math dataset file (MATH-500, AMC, AIME, GSM8K forms) and say what it holds", /*torch=*/false, cmd_data},
    Command{"db", "db merge: results databases as files (merge a suite's shards into one)", /*torch=*/false, cmd_db},
    Command{"export", "write one run of the database as a run file (JSONL: what ingest reads)", /*torch=*/false, cmd_export},
    Command{"generate", "sample continuations of a prompt from a HF model folder (JSON per sample)", /*torch=*/true, RLVR_TORCH_CMD(cmd_generate)},
    Command{"golden", "golden update: write a golden that claims what the database measured", /*torch=*/false, cmd_golden},
    Command{"grade", "grade JSONL {response, gold} -> {extracted, correct} (--mode paper|strict)", /*torch=*/false, cmd_grade},
    Command{"ingest", "store run files made by other trainers (verl, TRL, OpenRLHF) so compare judges them", /*torch=*/false, cmd_ingest},
    Command{"logits", "print a text's next-token logits as JSON (--all: every position)", /*torch=*/true, RLVR_TORCH_CMD(cmd_logits)},
    Command{"prompt", "render JSONL problems as the prompts a template makes of them (what other trainers must feed the model)", /*torch=*/false, cmd_prompt},
    Command{"query", "answer named questions (cells, runs, gains, decompose, curves, verdicts) or read-only SQL on the results database", /*torch=*/false, cmd_query},
    Command{"report", "draw the results database as an HTML page with SVG figures (curves, gains, switches, provenance)", /*torch=*/false, cmd_report},
    Command{"reward", "score JSONL responses with a named reward of the paper (--name math, random0.5, ...)", /*torch=*/false, cmd_reward},
    Command{"power", "detection power: run a suite's mutants and a control on fresh seeds, CAUGHT or MISSED per mutant", /*torch=*/true, RLVR_TORCH_CMD(cmd_power)},
    Command{"probe", "contamination probe: complete each problem from its first 60% (exact match, ROUGE-L, accuracy)", /*torch=*/true, RLVR_TORCH_CMD(cmd_probe)},
    Command{"run", "run every cell of a suite in this process, then compare with its golden (verdict table)", /*torch=*/true, RLVR_TORCH_CMD(cmd_run)},
    Command{"suite", "list a suite's cells, print a cell's run config, set up its database", /*torch=*/false, cmd_suite},
    Command{"tokenize", "encode JSON strings (one per stdin line) to token ids, or --decode ids to text", /*torch=*/false, cmd_tokenize},
    Command{"train", "train one model x reward cell with GRPO, evaluating as it goes, into the results database", /*torch=*/true, RLVR_TORCH_CMD(cmd_train)},
    Command{"world", "the synthetic math world: export problems (MATH-500 JSONL), corpus documents, tokenizers", /*torch=*/false, cmd_world},
    Command{"zoo", "the zoo of tiny pretrained models: build them (cached), inspect their planted priors", /*torch=*/true, RLVR_TORCH_CMD(cmd_zoo)},
};

#undef RLVR_TORCH_CMD

std::span<const Command> commands() { return kCommands; }

}  // namespace rlvr::app
