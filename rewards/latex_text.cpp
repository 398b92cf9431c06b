#include "rewards/latex_text.h"

#include <array>
#include <utility>

namespace rlvr::rewards {

namespace {

struct Sym { const char* name; const char* text; };

// Symbol macros of pylatexenc's default latex2text context that occur in math answers.
constexpr std::array kSymbols = {
    Sym{"pi", "π"}, Sym{"infty", "∞"}, Sym{"cdot", "·"}, Sym{"times", "×"}, Sym{"div", "÷"},
    Sym{"pm", "±"}, Sym{"mp", "∓"}, Sym{"le", "≤"}, Sym{"leq", "≤"}, Sym{"ge", "≥"},
    Sym{"geq", "≥"}, Sym{"ne", "≠"}, Sym{"neq", "≠"}, Sym{"in", "∈"}, Sym{"notin", "∉"},
    Sym{"cup", "∪"}, Sym{"cap", "∩"}, Sym{"circ", "∘"}, Sym{"ldots", "…"}, Sym{"dots", "…"},
    Sym{"cdots", "⋯"}, Sym{"approx", "≈"}, Sym{"sim", "∼"}, Sym{"equiv", "≡"},
    Sym{"emptyset", "∅"}, Sym{"varnothing", "∅"}, Sym{"subset", "⊂"}, Sym{"subseteq", "⊆"},
    Sym{"setminus", "∖"}, Sym{"angle", "∠"}, Sym{"triangle", "△"}, Sym{"perp", "⊥"},
    Sym{"parallel", "∥"}, Sym{"to", "→"}, Sym{"rightarrow", "→"}, Sym{"prime", "'"},
    Sym{"ast", "∗"}, Sym{"sum", "∑"}, Sym{"prod", "∏"}, Sym{"int", "∫"}, Sym{"partial", "∂"},
    Sym{"langle", "⟨"}, Sym{"rangle", "⟩"},
    Sym{"alpha", "α"}, Sym{"beta", "β"}, Sym{"gamma", "γ"}, Sym{"delta", "δ"},
    Sym{"epsilon", "ϵ"}, Sym{"varepsilon", "ε"}, Sym{"zeta", "ζ"}, Sym{"eta", "η"},
    Sym{"theta", "θ"}, Sym{"vartheta", "ϑ"}, Sym{"iota", "ι"}, Sym{"kappa", "κ"},
    Sym{"lambda", "λ"}, Sym{"mu", "μ"}, Sym{"nu", "ν"}, Sym{"xi", "ξ"}, Sym{"rho", "ρ"},
    Sym{"sigma", "σ"}, Sym{"tau", "τ"}, Sym{"upsilon", "υ"}, Sym{"phi", "ϕ"},
    Sym{"varphi", "φ"}, Sym{"chi", "χ"}, Sym{"psi", "ψ"}, Sym{"omega", "ω"},
    Sym{"Gamma", "Γ"}, Sym{"Delta", "Δ"}, Sym{"Theta", "Θ"}, Sym{"Lambda", "Λ"},
    Sym{"Pi", "Π"}, Sym{"Sigma", "Σ"}, Sym{"Phi", "Φ"}, Sym{"Psi", "Ψ"}, Sym{"Omega", "Ω"},
    Sym{"sin", "sin"}, Sym{"cos", "cos"}, Sym{"tan", "tan"}, Sym{"cot", "cot"},
    Sym{"sec", "sec"}, Sym{"csc", "csc"}, Sym{"arcsin", "arcsin"}, Sym{"arccos", "arccos"},
    Sym{"arctan", "arctan"}, Sym{"ln", "ln"}, Sym{"log", "log"}, Sym{"exp", "exp"},
    Sym{"max", "max"}, Sym{"min", "min"}, Sym{"lim", "lim"}, Sym{"gcd", "gcd"}, Sym{"deg", "deg"},
    Sym{"quad", "  "}, Sym{"qquad", "    "},
    Sym{",", " "}, Sym{";", " "}, Sym{":", " "}, Sym{" ", " "}, Sym{"!", ""},
    Sym{"%", "%"}, Sym{"$", "$"}, Sym{"&", "&"}, Sym{"#", "#"}, Sym{"_", "_"},
    Sym{"{", "{"}, Sym{"}", "}"}, Sym{"\\", "\n"},
};

// Macros whose one mandatory argument is rendered as is.
constexpr std::array kOneArg = {"text", "textrm", "textit", "textbf", "textsc", "textsl", "emph",
                                "mathrm", "mathit", "mathbf", "mathbb", "mathcal", "mathsf",
                                "mathtt", "mbox", "overline", "underline", "widehat", "hat",
                                "bar", "vec", "tilde", "widetilde", "overrightarrow", "boldsymbol",
                                "operatorname", "textnormal"};

bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Walker {
 public:
  explicit Walker(std::string_view s) : s_(s) {}

  bool run(std::string& out) { return nodes(out, '\0') && i_ == s_.size(); }

 private:
  // Renders nodes up to `close` ('}' for a group, '$' for math, '\0' for the end).
  bool nodes(std::string& out, char close) {
    if (++depth_ > kLatexTextMaxDepth) return false;
    bool prev_construct = false;  // the previous node was a macro or group (not chars)
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == close) break;
      if (c == '}' && close != '}') { ++i_; continue; }  // stray closing brace: dropped
      if (c == '{') {
        ++i_;
        if (!nodes(out, '}')) return false;
        if (i_ < s_.size()) ++i_;
        prev_construct = true;
      } else if (c == '$') {
        ++i_;
        if (i_ < s_.size() && s_[i_] == '$') ++i_;
        if (!nodes(out, '$')) return false;
        while (i_ < s_.size() && s_[i_] == '$') ++i_;
        prev_construct = true;
      } else if (c == '\\') {
        if (!macro(out)) return false;
        prev_construct = true;
      } else if (c == '&') {
        out += "   ";
        ++i_;
      } else if (c == '~') {
        out += "\xC2\xA0";
        ++i_;
      } else if (c == '%') {  // a comment runs to the end of the line
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        size_t b = i_;
        while (i_ < s_.size() && s_[i_] != '{' && s_[i_] != '}' && s_[i_] != '\\' && s_[i_] != '$' &&
               s_[i_] != '&' && s_[i_] != '~' && s_[i_] != '%' && s_[i_] != close)
          ++i_;
        std::string_view chars = s_.substr(b, i_ - b);
        // Whitespace-only chars between two constructs are dropped (non-strict spaces).
        bool ws_only = chars.find_first_not_of(" \t\n\r") == std::string_view::npos;
        bool next_construct = i_ < s_.size() && (s_[i_] == '{' || s_[i_] == '\\');
        if (!(ws_only && prev_construct && next_construct)) out.append(chars);
        prev_construct = false;
      }
    }
    --depth_;
    return true;
  }

  // One mandatory argument: a group, a macro, or a single character.
  bool arg(std::string& out) {
    while (i_ < s_.size() && is_ws(s_[i_])) ++i_;
    if (i_ >= s_.size()) return true;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      if (!nodes(out, '}')) return false;
      if (i_ < s_.size()) ++i_;
      return true;
    }
    if (c == '\\') return macro(out);
    // one character (a whole UTF-8 sequence)
    size_t b = i_++;
    while (i_ < s_.size() && (static_cast<unsigned char>(s_[i_]) & 0xC0) == 0x80) ++i_;
    out.append(s_.substr(b, i_ - b));
    return true;
  }

  bool macro(std::string& out) {
    if (++depth_ > kLatexTextMaxDepth) return false;
    size_t b = ++i_;
    if (i_ < s_.size() && is_alpha(s_[i_])) {
      while (i_ < s_.size() && is_alpha(s_[i_])) ++i_;
    } else if (i_ < s_.size()) {
      ++i_;
    }
    std::string_view name = s_.substr(b, i_ - b);
    bool letters = !name.empty() && is_alpha(name[0]);
    auto skip_ws = [&] {
      size_t k = i_;
      while (k < s_.size() && is_ws(s_[k])) ++k;
      return k;
    };
    bool ok = true;
    if (name == "frac" || name == "nicefrac" || name == "textfrac") {
      i_ = skip_ws();
      ok = arg(out);
      out += "/";
      ok = ok && arg(out);
    } else if (name == "sqrt") {
      i_ = skip_ws();
      if (i_ < s_.size() && s_[i_] == '[') {  // the degree is parsed and dropped
        size_t close = s_.find(']', i_);
        i_ = close == std::string_view::npos ? s_.size() : close + 1;
      }
      out += "√(";
      ok = arg(out);
      out += ")";
    } else if (name == "begin" || name == "end") {
      i_ = skip_ws();
      std::string env;
      ok = arg(env);  // environment name, not rendered
      if (name == "begin" && (env == "array" || env == "tabular")) {
        std::string spec;
        i_ = skip_ws();
        if (i_ < s_.size() && s_[i_] == '{') ok = ok && arg(spec);
      }
    } else {
      bool found = false;
      for (auto m : kOneArg) {
        if (name == m) {
          i_ = skip_ws();
          ok = arg(out);
          found = true;
          break;
        }
      }
      if (!found) {
        for (const auto& sym : kSymbols) {
          if (name == sym.name) {
            out += sym.text;
            found = true;
            break;
          }
        }
        // Unknown macros render nothing. A letter macro eats the spaces after it; they come back
        // only when chars follow (non-strict spaces).
        if (letters) {
          size_t k = skip_ws();
          if (k > i_ && k < s_.size() && s_[k] != '\\' && s_[k] != '{' && s_[k] != '}') {
            out.append(s_.substr(i_, k - i_));
          }
          i_ = k;
        }
      }
    }
    --depth_;
    return ok;
  }

  std::string_view s_;
  size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<std::string> latex_to_text(std::string_view latex) {
  std::string out;
  out.reserve(latex.size());
  Walker w(latex);
  if (!w.run(out)) return std::nullopt;
  return out;
}

}  // namespace rlvr::rewards
