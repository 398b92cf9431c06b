// world_render.h: problems and solutions as text.
//
// Prompts are MATH-style ("Compute $(7 + 5 - 3) \times 2$."). Solutions come in the two strategies
// the paper measures, both writing every intermediate value:
//   language: "Let's compute step by step.\nFirst, $7 + 5 = 12$.\n...\nThe answer is $\boxed{18}$."
//   code:     "Let's solve this using Python.\n```python\nstep1 = 7 + 5  # 12\n...\nprint(step3)\n```\n"
//             "```output\n18\n```\nThe answer is $\boxed{18}$."
// (the code is never run: its output is predicted, as Qwen-Math writes it). Only the code strategy
// contains "python" (the paper's code detector); the first line of a code solution is Table 3's
// forced prefix. Unboxed solutions end "The answer is 18." instead.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "synth/world_problem.h"
#include "synth/world_solve.h"

namespace rlvr::synth {

enum class Strategy : uint8_t { language, code };
std::string_view strategy_name(Strategy s);  // "language", "code"

// The expression in LaTeX with only the parentheses the left fold needs: "(7 + 5 - 3) \times 2".
std::string problem_latex(const Problem& p);
// The MATH-style question, phrased by p.phrasing.
std::string problem_text(const Problem& p);
// The strategy-cue class (phrasing x first operator, corpus_cues.h) of a text problem_text wrote
// in world `k`; nullopt for any other text. What `zoo inspect` groups problems by.
std::optional<int> problem_text_cue_class(std::string_view text, const WorldKnobs& k);

// Table 3's forced prefix, which opens every code solution.
inline constexpr std::string_view kCodeOpening = "Let's solve this using Python.";
inline constexpr std::string_view kLanguageOpening = "Let's compute step by step.";

// Phrasings of a language step line (the prior's language_variety picks among the first N): form 0
// is "First, / Next, / Finally, $a + b = c$.", the others say the same with other words. Code
// has one canonical form: prose is the high-entropy strategy, as in real models.
inline constexpr int kLanguageForms = 4;

// forms[i] is the phrasing of language step line i (empty: all form 0); code ignores it.
std::string solution_text(Strategy s, const std::vector<WrittenStep>& steps, bool boxed, const std::vector<int>& forms = {});
// The reference solution of the JSONL export: language, correct, boxed.
std::string solution_gold(const Problem& p);

}  // namespace rlvr::synth
