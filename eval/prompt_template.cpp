#include "eval/prompt_template.h"

#include "util/error.h"

namespace rlvr {

PromptTemplate prompt_template_parse(const std::string& name, const std::string& where) {
  if (name == "chatml") return PromptTemplate::qwen_math;  // an alias, not listed
  if (auto t = enum_parse<PromptTemplate>(name)) return *t;
  throw_input(where, "unknown prompt template '" + name + "' (known: " + enum_list<PromptTemplate>() + ")");
}

namespace {
std::string chatml(std::string_view system, std::string_view problem) {
  std::string s;
  s.reserve(problem.size() + system.size() + 96);
  s += "<|im_start|>system\n";
  s += system;
  s += "<|im_end|>\n<|im_start|>user\n";
  s += problem;
  s += "<|im_end|>\n<|im_start|>assistant\n";
  return s;
}
}  // namespace

std::string prompt_render(PromptTemplate t, std::string_view problem) {
  switch (t) {
    case PromptTemplate::qwen_math: return chatml(kQwenMathSystem, problem);
    case PromptTemplate::qwen: return chatml(kQwenSystem, problem);
    case PromptTemplate::r1:
      return "A conversation between User and Assistant. The User asks a question, and the Assistant solves it. "
             "The Assistant first thinks about the reasoning process in the mind and then provides the User with "
             "the answer. The reasoning process is enclosed within <think> </think> and answer is enclosed within "
             "<answer> </answer> tags, respectively, i.e., <think> reasoning process here </think> <answer> answer "
             "here </answer>. User: " + std::string(problem) + " Assistant: <think>";
    case PromptTemplate::plain: return std::string(problem) + "\n\n";
    case PromptTemplate::spurious_r1:
      // The paper scripts' --input_template (code/scripts/rlvr_deepscaler_grpo_llama_base_*.sh), verbatim.
      return "A conversation between User and Assistant. The user asks a question, and the Assistant solves it. The "
             "assistant first thinks about the reasoning process in the mind and then provides the user with the answer. "
             "The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, "
             "respectively, i.e., <think> reasoning process here </think> <answer> answer here </answer>.\n\n<|user|>\n" +
             std::string(problem) + "\n<|assistant|>\n<think>";
  }
  return std::string(problem);
}

std::string_view prompt_stop(PromptTemplate t) {
  return t == PromptTemplate::qwen_math || t == PromptTemplate::qwen ? "<|im_end|>" : "";
}

std::string_view prompt_stop_string(PromptTemplate t) { return t == PromptTemplate::spurious_r1 ? "</answer>" : ""; }

}  // namespace rlvr
