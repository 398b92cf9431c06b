// rlvrbench zoo: the zoo of tiny pretrained models (zoo/README.md).
//   zoo build   [--only NAME] [--out DIR] [--specs DIR] [--jobs N]   pretrain every spec into DIR/NAME (cached)
//   zoo inspect NAME [--dir DIR] [--n N] [--k K] [--json]            measure the planted prior; exit 1 on a miss
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/commands.h"
#include "app/subcommands.h"
#include "eval/grade_fn.h"
#include "results/provenance.h"
#include "util/cli.h"
#include "util/error.h"
#include "zoo/zoo_build.h"
#include "zoo/zoo_inspect.h"
#include "util/paths.h"
#include "zoo/zoo_plan.h"

namespace rlvr::app {

namespace {

int zoo_build_cmd(int argc, char** argv) {
  std::string only, out = zoo_dir(), specs = data_path("models/zoo");
  int64_t jobs = std::min(provenance_threads(), 8);
  bool quiet = false;
  Cli cli(argv[0], "Pretrains every zoo spec (or one) into OUT/NAME as a Hugging Face folder with train.jsonl,\n"
                   "eval.jsonl and zoo.json. Cached by a hash of the specs and the code; deterministic for a\n"
                   "given build (whatever --jobs).");
  cli.option("--only", "NAME", "build only this model (and its shared base)", &only)
      .option("--out", "DIR", "zoo folder (default $RLVRBENCH_ZOO, else <source>/results/zoo; installed: ~/.cache/rlvrbench/zoo)", &out)
      .option("--specs", "DIR", "folder of *.toml specs (default <source>/models/zoo)", &specs)
      .option("--jobs", "N", "models trained side by side, one CPU thread each (default: cores, at most 8)", &jobs)
      .flag("--quiet", "no progress bar", &quiet);
  if (!cli.parse(argc, argv)) return kExitOk;
  if (jobs < 1 || jobs > 256) throw_input("--jobs", "must be in [1, 256], got " + std::to_string(jobs));
  zoo::ZooBuildOptions o;
  o.jobs = jobs;
  o.out_dir = out;
  o.only = only;
  o.quiet = quiet;
  const auto built = zoo::zoo_build(zoo::zoo_specs_load(specs), o);
  for (const auto& b : built)
    std::printf("%s\t%s\t%s\tloss %.4f\t%.1fs\n", b.name.c_str(), b.cached ? "cached" : "built", b.dir.c_str(),
                b.final_loss, b.seconds + b.base_seconds);
  return kExitOk;
}

int zoo_inspect_cmd(int argc, char** argv) {
  std::string name, dir = zoo_dir(), grader = "paper";
  int64_t n = 500, k = 4, seed = 0, jobs = 1;
  bool json = false;
  Cli cli(argv[0], "Measures a built zoo model's prior on its held-out eval split with the real sampler and grader:\n"
                   "code share, accuracy of code and of language responses, boxed rate, accuracy; greedy and at\n"
                   "temperature 1 (K samples per problem). Exit 1 when a sampled rate misses its planted target by\n"
                   "more than the spec's tolerance (zoo/README.md). Also reports the per-problem code propensity (a\n"
                   "histogram over the K samples, the share of problems between 0.3 and 0.7 beside the planted share,\n"
                   "and the measured propensity of the problems of each planted class propensity: checked against it\n"
                   "for a member planted in blocks, code_blocks)\n"
                   "and each strategy's mean token entropy; --json carries them.");
  cli.positional("NAME", "zoo model, e.g. synth-qwen-math-7b", &name)
      .option("--dir", "DIR", "zoo folder (default $RLVRBENCH_ZOO, else <source>/results/zoo; installed: ~/.cache/rlvrbench/zoo)", &dir)
      .option("--n", "N", "eval problems", &n)
      .option("--k", "K", "samples per problem at temperature 1", &k)
      .option("--seed", "S", "sampling seed", &seed)
      .option("--grader", "MODE", "paper | strict", &grader)
      .option("--jobs", "N", "LibTorch CPU threads (default 1: the batches are small)", &jobs)
      .flag("--json", "print the JSON report instead of a table", &json);
  if (!cli.parse(argc, argv)) return kExitOk;
  if (jobs < 1 || jobs > 256) throw_input("--jobs", "must be in [1, 256], got " + std::to_string(jobs));
  if (seed < 0) throw_input("--seed", "must be >= 0, got " + std::to_string(seed));
  torch::set_num_threads(static_cast<int>(jobs));
  const GradeFn grade = grade_fn_make(grader, "--grader");
  const zoo::ZooInspection r =
      zoo::zoo_inspect(dir + "/" + name, {.n = n, .k = k, .seed = static_cast<uint64_t>(seed)}, grade);
  if (json) {
    std::printf("%s\n", r.json.dump(2).c_str());
  } else {
    const auto& j = r.json;
    std::printf("%s (stands for %s): %lld problems, greedy and %lld samples at temperature 1\n", name.c_str(),
                j["stands_for"].get<std::string>().c_str(), static_cast<long long>(j["problems"].get<int64_t>()),
                static_cast<long long>(k));
    std::printf("%-18s %8s %8s %8s %6s  %s\n", "metric", "target", "sampled", "greedy", "tol", "verdict");
    auto cell = [](const nlohmann::ordered_json& v) { return v.is_number() ? v.get<double>() : std::nan(""); };
    for (const auto& c : j["checks"]) {
      const std::string m = c["metric"];
      std::printf("%-18s %8.3f %8.3f %8.3f %6.3f  %s (n=%lld)\n", m.c_str(), c["target"].get<double>(),
                  cell(c["measured"]), j["greedy"].contains(m) ? cell(j["greedy"][m]) : std::nan(""), c["tolerance"].get<double>(),
                  !c["checked"].get<bool>() ? "not judged" : c["pass"].get<bool>() ? "ok" : "MISS",
                  static_cast<long long>(c["responses"].get<int64_t>()));
    }
    std::printf("%-18s %8.3f %8.3f %8.3f\n", "accuracy", j["target"]["accuracy"].get<double>(),
                cell(j["sampled"]["accuracy"]), cell(j["greedy"]["accuracy"]));
    const auto& pr = j["propensity"];
    std::string hist;
    for (const auto& h : pr["histogram"]) hist += (hist.empty() ? "" : " ") + std::to_string(h.get<int64_t>());
    std::printf("code propensity per problem (problems with 0..%lld of %lld samples in code): %s\n",
                static_cast<long long>(k), static_cast<long long>(k), hist.c_str());
    std::printf("problems with propensity in [0.3, 0.7]: %.3f measured, %.3f planted (share of cue classes)\n",
                cell(pr["share_mid"]), cell(pr["planted_share_mid"]));
    std::string groups;
    for (const auto& b : pr["by_planted"])
      groups += (groups.empty() ? "" : "; ") + std::to_string(b["planted"].get<double>()).substr(0, 4) + " -> " +
                std::to_string(b["measured"].get<double>()).substr(0, 5) + " (" + std::to_string(b["problems"].get<int64_t>()) + ")";
    std::printf("code propensity by planted class propensity (planted -> measured, problems): %s\n", groups.c_str());
    std::printf("token entropy at temperature 1 (mean -log p, nats): code %.4f, language %.4f\n",
                cell(j["entropy"]["code"]), cell(j["entropy"]["language"]));
    std::printf("%s\n", r.pass ? "prior within tolerance" : "prior MISSES its targets");
  }
  return r.pass ? kExitOk : kExitVerdict;
}

constexpr Subcommand kSubs[] = {
    {"build", "pretrain the zoo's models into HF folders (cached, deterministic)", zoo_build_cmd},
    {"inspect", "measure a built model's planted prior (greedy and temperature 1) against its targets", zoo_inspect_cmd},
};

}  // namespace

int cmd_zoo(int argc, char** argv) {
  return subcommand_dispatch(argc, argv, kSubs, "The zoo of tiny pretrained models (zoo/README.md).");
}

}  // namespace rlvr::app
