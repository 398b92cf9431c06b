// test_oracle.h (tests only): recomputes answers from the rendered text, independently of the
// generator, so that tests check the text a model sees rather than the generator's own numbers.
#pragma once
#include <cstdint>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>

namespace rlvr::synth::oracle {

// Evaluates the LaTeX expression between the first pair of '$' in a question, with the usual
// precedence (\times and \div before + and -, left to right) and parentheses. Throws on anything
// it does not understand, or on an inexact division.
class LatexEval {
 public:
  explicit LatexEval(const std::string& question) {
    const size_t a = question.find('$'), b = question.find('$', a + 1);
    if (a == std::string::npos || b == std::string::npos) throw std::runtime_error("no $...$ in " + question);
    s_ = question.substr(a + 1, b - a - 1);
  }
  int64_t value() {
    const int64_t v = expr();
    skip();
    if (i_ != s_.size()) throw std::runtime_error("trailing text in " + s_);
    return v;
  }

 private:
  void skip() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool eat(const std::string& t) {
    skip();
    if (s_.compare(i_, t.size(), t) != 0) return false;
    i_ += t.size();
    return true;
  }
  int64_t expr() {
    int64_t v = term();
    for (;;) {
      if (eat("+")) v += term();
      else if (eat("-")) v -= term();
      else return v;
    }
  }
  int64_t term() {
    int64_t v = factor();
    for (;;) {
      if (eat("\\times")) v *= factor();
      else if (eat("\\div")) {
        const int64_t d = factor();
        if (d == 0 || v % d != 0) throw std::runtime_error("inexact division in " + s_);
        v /= d;
      } else return v;
    }
  }
  int64_t factor() {
    if (eat("(")) {
      const int64_t v = expr();
      if (!eat(")")) throw std::runtime_error("missing ) in " + s_);
      return v;
    }
    skip();
    size_t j = i_;
    while (j < s_.size() && s_[j] >= '0' && s_[j] <= '9') ++j;
    if (j == i_) throw std::runtime_error("expected a number at " + std::to_string(i_) + " in " + s_);
    const int64_t v = std::stoll(s_.substr(i_, j - i_));
    i_ = j;
    return v;
  }
  std::string s_;
  size_t i_ = 0;
};

inline int64_t question_value(const std::string& question) { return LatexEval(question).value(); }

// The final answer a response states: "The answer is $\boxed{N}$." or "The answer is N.".
inline std::optional<int64_t> response_answer(const std::string& response) {
  static const std::regex re(R"(The answer is (?:\$\\boxed\{(-?\d+)\}\$|(-?\d+))\.$)");
  std::smatch m;
  if (!std::regex_search(response, m, re)) return std::nullopt;
  return std::stoll(m[1].matched ? m[1].str() : m[2].str());
}

}  // namespace rlvr::synth::oracle
