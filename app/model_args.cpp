#include "app/model_args.h"

#include "util/error.h"

namespace rlvr::app {

void ModelArgs::add_to(Cli& cli) {
  cli.option("--model", "DIR", "HF model folder: config.json, model.safetensors[.index.json], tokenizer.json", &dir, true)
      .option("--device", "DEV", "cpu (default) or cuda[:N] (needs a CUDA build of LibTorch)", &device)
      .option("--dtype", "T", "float32 | bfloat16 | float16 (default: float32 on cpu, bfloat16 on cuda)", &dtype);
}

LoadedModel load_model_and_tokenizer(const ModelArgs& a) {
  torch::Device dev = parse_device(a.device);
  torch::ScalarType dt = parse_dtype(a.dtype, dev);
  Model m = model_load(a.dir, dev, dt);
  Tokenizer tok = Tokenizer::load(a.dir);
  if (tok.vocab_size() > m.config.vocab_size)
    throw_input(a.dir + "/tokenizer.json", "vocabulary (" + std::to_string(tok.vocab_size()) +
                                               " ids) larger than config.json vocab_size " + std::to_string(m.config.vocab_size));
  return {std::move(m), std::move(tok)};
}

}  // namespace rlvr::app
