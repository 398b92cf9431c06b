// prompt_template.h: how a problem becomes a prompt, per model family (docs/paper.md, "Training recipe").
//
//   qwen-math  Qwen chat template with Qwen2.5-Math's default system prompt (asks for \boxed{})
//   qwen       Qwen chat template with Qwen2.5's default system prompt
//   r1         the R1-style <think>/<answer> template the paper uses for base models without one
//   plain      the problem and a blank line (the synthetic zoo's "plain" corpus format)
//   spurious-r1  the paper scripts' own R1-style prompt for base models (Llama, OLMo: their
//              `--input_template`, "<|user|>" / "<|assistant|>" markers, ends in "<think>"), with the
//              scripts' `--stop_string "</answer>"`: the faithful mode of suites/paper.toml
// Torch-free.
#pragma once
#include <span>
#include <string>
#include <string_view>

#include "util/enum_names.h"

namespace rlvr {

enum class PromptTemplate { qwen_math, qwen, r1, plain, spurious_r1 };

PromptTemplate prompt_template_parse(const std::string& name, const std::string& where);  // InputError on unknown
constexpr EnumName<PromptTemplate> kPromptTemplateNames[] = {
    {PromptTemplate::qwen_math, "qwen-math"}, {PromptTemplate::qwen, "qwen"}, {PromptTemplate::r1, "r1"}, {PromptTemplate::plain, "plain"},
    {PromptTemplate::spurious_r1, "spurious-r1"}};
constexpr std::span<const EnumName<PromptTemplate>> enum_names(PromptTemplate) { return kPromptTemplateNames; }
inline const char* prompt_template_name(PromptTemplate t) { return enum_name(t).data(); }

std::string prompt_render(PromptTemplate t, std::string_view problem);
// Text that ends a response under the template, besides the model's EOS ids ("" when none).
std::string_view prompt_stop(PromptTemplate t);
// A stop string the sampler cuts responses at under the template (several tokens; "" when none):
// spurious-r1's "</answer>", as the scripts' vLLM stop_string (not part of the response text).
std::string_view prompt_stop_string(PromptTemplate t);

// The system prompts, verbatim from the models' tokenizer_config.json chat templates.
inline constexpr std::string_view kQwenMathSystem = "Please reason step by step, and put your final answer within \\boxed{}.";
inline constexpr std::string_view kQwenSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

}  // namespace rlvr
