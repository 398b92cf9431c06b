// rlvrbench zoo: the zoo of tiny pretrained models (zoo/README.md).
//   zoo build   [--only NAME] [--out DIR] [--specs DIR] [--jobs N]   pretrain every spec into DIR/NAME (cached)
//   zoo inspect NAME [--dir DIR] [--n N] [--k K] [--json]            measure the planted prior; exit 1 on a miss
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "app/commands.h"
#include "results/provenance.h"
#include "util/cli.h"
#include "util/error.h"
#include "zoo/zoo_build.h"
#include "zoo/zoo_plan.h"

namespace rlvr::app {

namespace {

// $RLVRBENCH_ZOO, else <source dir>/results/zoo (git-ignored).
std::string default_zoo_dir() {
  const char* env = std::getenv("RLVRBENCH_ZOO");
  if (env && *env) return env;
  return provenance_source_dir() + "/results/zoo";
}

void set_threads(int64_t jobs) {
  if (jobs < 1 || jobs > 256) throw_input("--jobs", "must be in [1, 256], got " + std::to_string(jobs));
  torch::set_num_threads(static_cast<int>(jobs));
}

int zoo_build_cmd(int argc, char** argv) {
  std::string only, out = default_zoo_dir(), specs = provenance_source_dir() + "/models/zoo";
  int64_t jobs = 2;
  bool quiet = false;
  Cli cli(argv[0], "Pretrains every zoo spec (or one) into OUT/NAME as a Hugging Face folder with train.jsonl,\n"
                   "eval.jsonl and zoo.json. Cached by a hash of the specs and the code; deterministic for a\n"
                   "given build and --jobs.");
  cli.option("--only", "NAME", "build only this model (and its shared base)", &only)
      .option("--out", "DIR", "zoo folder (default $RLVRBENCH_ZOO, else <source>/results/zoo)", &out)
      .option("--specs", "DIR", "folder of *.toml specs (default <source>/models/zoo)", &specs)
      .option("--jobs", "N", "CPU threads for training (the bytes depend on it)", &jobs)
      .flag("--quiet", "no progress bar", &quiet);
  if (!cli.parse(argc, argv)) return kExitOk;
  set_threads(jobs);
  zoo::ZooBuildOptions o;
  o.out_dir = out;
  o.only = only;
  o.quiet = quiet;
  const auto built = zoo::zoo_build(zoo::zoo_specs_load(specs), o);
  for (const auto& b : built)
    std::printf("%s\t%s\t%s\tloss %.4f\t%.1fs\n", b.name.c_str(), b.cached ? "cached" : "built", b.dir.c_str(),
                b.final_loss, b.seconds + b.base_seconds);
  return kExitOk;
}

struct Sub {
  const char* name;
  const char* summary;
  int (*run)(int, char**);
};
constexpr Sub kSubs[] = {
    {"build", "pretrain the zoo's models into HF folders (cached, deterministic)", zoo_build_cmd},
};

void print_help(const char* prog) {
  std::printf("usage: %s SUBCOMMAND [ARGS...]\n\nThe zoo of tiny pretrained models (zoo/README.md).\n\nsubcommands:\n", prog);
  for (const Sub& s : kSubs) std::printf("  %-10s %s\n", s.name, s.summary);
  std::printf("\n`%s SUBCOMMAND --help` describes each.\n", prog);
}

}  // namespace

int cmd_zoo(int argc, char** argv) {
  if (argc < 2) throw_input(argv[0], "missing SUBCOMMAND (build, inspect; see --help)");
  if (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    print_help(argv[0]);
    return kExitOk;
  }
  for (const Sub& s : kSubs) {
    if (std::strcmp(argv[1], s.name) != 0) continue;
    std::string prog = std::string(argv[0]) + " " + s.name;
    argv[1] = prog.data();
    return s.run(argc - 1, argv + 1);
  }
  throw_input(argv[0], std::string("unknown subcommand '") + argv[1] + "' (build, inspect)");
}

}  // namespace rlvr::app
