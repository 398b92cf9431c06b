#include "synth/world_render.h"

#include <array>

#include "synth/corpus_cues.h"

namespace rlvr::synth {

namespace {

// "$E$" is replaced by the expression. MATH's own arithmetic questions use these forms.
constexpr std::array<std::string_view, kPhrasings> kPhrasingForms = {
    "Compute $E$.",        "Evaluate $E$.",          "What is $E$?",
    "Find the value of $E$.", "Calculate $E$.",       "Simplify $E$.",
    "Determine the value of $E$.", "What is the value of $E$?",
};

std::string_view latex_op(WorldOp op) {
  switch (op) {
    case WorldOp::add: return " + ";
    case WorldOp::sub: return " - ";
    case WorldOp::mul: return " \\times ";
    case WorldOp::div: return " \\div ";
  }
  return " ? ";
}

std::string_view python_op(WorldOp op) {
  switch (op) {
    case WorldOp::add: return " + ";
    case WorldOp::sub: return " - ";
    case WorldOp::mul: return " * ";
    case WorldOp::div: return " // ";  // integer division, so the printed value is an integer
  }
  return " ? ";
}

int precedence(WorldOp op) { return op == WorldOp::add || op == WorldOp::sub ? 1 : 2; }

std::string ending(int64_t answer, bool boxed) {
  const std::string a = std::to_string(answer);
  return boxed ? "The answer is $\\boxed{" + a + "}$." : "The answer is " + a + ".";
}

// Openers of a language step line by form: first line, middle lines, last line. No form says
// "python" (the code detector) or holds a digit (the last-number extraction).
constexpr std::array<std::array<std::string_view, 3>, kLanguageForms> kLanguageOpeners = {{
    {"First, ", "Next, ", "Finally, "},
    {"We start with ", "Then ", "Last, "},
    {"To begin, ", "After that, ", "To finish, "},
    {"Initially, ", "Continuing, ", "This leaves "},
}};

std::string language_text(const std::vector<WrittenStep>& steps, bool boxed, const std::vector<int>& forms) {
  std::string s(kLanguageOpening);
  s += "\n";
  for (size_t i = 0; i < steps.size(); ++i) {
    const WrittenStep& w = steps[i];
    const auto& form = kLanguageOpeners[static_cast<size_t>(i < forms.size() ? forms[i] : 0) % kLanguageForms];
    s += i == 0 ? form[0] : i + 1 == steps.size() ? form[2] : form[1];
    s += "$" + std::to_string(w.left);
    s += latex_op(w.op);
    s += std::to_string(w.right) + " = " + std::to_string(w.result) + "$.\n";
  }
  return s + ending(steps.back().result, boxed);
}

std::string code_text(const std::vector<WrittenStep>& steps, bool boxed) {
  std::string s(kCodeOpening);
  s += "\n```python\n";
  for (size_t i = 0; i < steps.size(); ++i) {
    const WrittenStep& w = steps[i];
    s += "step" + std::to_string(i + 1) + " = " + std::to_string(w.left);
    s += python_op(w.op);
    s += std::to_string(w.right) + "  # " + std::to_string(w.result) + "\n";
  }
  const std::string a = std::to_string(steps.back().result);
  s += "print(step" + std::to_string(steps.size()) + ")\n```\n```output\n" + a + "\n```\n";
  return s + ending(steps.back().result, boxed);
}

}  // namespace

std::string_view strategy_name(Strategy s) { return s == Strategy::code ? "code" : "language"; }

std::string problem_latex(const Problem& p) {
  std::string e = std::to_string(p.start);
  int prec = 3;  // an atom
  for (const Step& st : p.steps) {
    if (prec < precedence(st.op)) e = "(" + e + ")";
    e += latex_op(st.op);
    e += std::to_string(st.operand);
    prec = precedence(st.op);
  }
  return e;
}

std::string problem_text(const Problem& p) {
  std::string_view form = kPhrasingForms[static_cast<size_t>(p.phrasing) % kPhrasings];
  const size_t at = form.find("$E$");
  return std::string(form.substr(0, at)) + "$" + problem_latex(p) + "$" + std::string(form.substr(at + 3));
}

std::optional<int> problem_text_cue_class(std::string_view text, const WorldKnobs& k) {
  for (int ph = 0; ph < kPhrasings; ++ph) {
    const std::string_view form = kPhrasingForms[static_cast<size_t>(ph)];
    const size_t at = form.find("$E$");
    const std::string head = std::string(form.substr(0, at)) + "$", tail = "$" + std::string(form.substr(at + 3));
    if (text.size() < head.size() + tail.size() || text.substr(0, head.size()) != head || text.substr(text.size() - tail.size()) != tail)
      continue;
    // The leftmost operator of the expression is the first step's (problem_latex builds it left to right).
    const std::string_view e = text.substr(head.size(), text.size() - head.size() - tail.size());
    size_t best = std::string_view::npos;
    char op = 0;
    for (WorldOp o : {WorldOp::add, WorldOp::sub, WorldOp::mul, WorldOp::div}) {
      const size_t at_op = e.find(latex_op(o));
      if (at_op < best) best = at_op, op = op_char(o);
    }
    const int klass = best == std::string_view::npos ? -1 : cue_strategy_class(ph, op, k);
    if (klass < 0) return std::nullopt;
    return klass;
  }
  return std::nullopt;
}

std::string solution_text(Strategy s, const std::vector<WrittenStep>& steps, bool boxed, const std::vector<int>& forms) {
  return s == Strategy::code ? code_text(steps, boxed) : language_text(steps, boxed, forms);
}

std::string solution_gold(const Problem& p) { return solution_text(Strategy::language, world_solve(p, nullptr), true); }

}  // namespace rlvr::synth
