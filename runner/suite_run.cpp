#include "runner/suite_run.h"

#include <cstdlib>
#include <filesystem>

#include "util/paths.h"
#include "synth/prior_spec.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr {

RunConfig suite_cell_config(const Suite& suite, const SuiteCell& cell, const std::vector<std::string>& extra) {
  std::vector<std::string> sets;
  if (suite.info.zoo) {
    std::string dir = zoo_dir() + "/" + cell.model;
    sets.push_back("model.path=" + dir);
    sets.push_back("data.train=" + dir + "/train.jsonl");
    sets.push_back("data.eval=" + dir + "/eval.jsonl");
    std::string spec = data_path("models/zoo/" + cell.model + ".toml");
    if (file_exists(spec))
      sets.push_back("model.template=" + std::string(synth::chat_template_name(synth::zoo_spec_load(spec).chat_template)));
  }
  for (const auto& s : suite_cell_set_args(cell)) sets.push_back(s);
  sets.push_back("run.name=" + cell.cell);
  sets.push_back("run.suite=" + cell.suite);
  for (const auto& s : extra) sets.push_back(s);
  // An empty base document: every key comes from the overrides, validated like a run TOML's.
  return run_config_parse("", suite.info.path + " (cell " + cell.name + ")", sets);
}

std::string suite_golden_path(const Suite& suite) {
  std::filesystem::path g = suite.info.golden;
  return g.is_absolute() ? g.string() : data_path(g.string());
}

void suite_mutants_check(const Suite& suite) {
  for (size_t i = 0; i < suite.mutants.size(); ++i)
    for (const auto& [k, v] : suite.mutants[i].set)
      if (!run_config_key_known(k))
        throw_input(suite.info.path, "mutant[" + std::to_string(i) + "].set." + k + ": unknown run key (see rl/README.md)");
}

bool suite_cell_finished(Store& store, const Suite& suite, const SuiteCell& cell, const RunConfig& cfg) {
  RunFilter f;
  f.suite = suite.info.name;
  f.cell = cell.cell;
  f.seed = cell.seed;
  f.mutant = cfg.mutant;
  const auto runs = store.runs_find(f);
  return !runs.empty() && runs.back().status == RunStatus::finished && runs.back().info.config_toml == run_config_toml(cfg);
}

}  // namespace rlvr
