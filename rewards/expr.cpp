#include "rewards/expr.h"

#include <array>
#include <cmath>
#include <cstring>
#include <numbers>

#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

enum class Tok : uint8_t {
  End, Number, Digit, Dot, Var, Const, Func, Plus, Minus, Star, Slash, Pow, Bang,
  LParen, RParen, LBrace, RBrace, LBrack, RBrack, Frac, Sqrt, Binom, Under, Bar, Other,
};

struct Token {
  Tok t = Tok::End;
  Op op = Op::Const;      // Const (Pi/Euler) and Func tokens
  std::string_view text;  // Number digits, Var name
};

struct NameOp { const char* name; Op op; };

// Functions sympy's namespace resolves by name (paper mode) and LaTeX operator macros (strict).
constexpr std::array kFuncs = {
    NameOp{"sqrt", Op::Sqrt}, NameOp{"sin", Op::Sin},   NameOp{"cos", Op::Cos},
    NameOp{"tan", Op::Tan},   NameOp{"sec", Op::Sec},   NameOp{"csc", Op::Csc},
    NameOp{"cot", Op::Cot},   NameOp{"asin", Op::Asin}, NameOp{"acos", Op::Acos},
    NameOp{"atan", Op::Atan}, NameOp{"arcsin", Op::Asin}, NameOp{"arccos", Op::Acos},
    NameOp{"arctan", Op::Atan}, NameOp{"ln", Op::Ln},   NameOp{"log", Op::Ln},
    NameOp{"exp", Op::Exp},   NameOp{"abs", Op::Abs},
};

const NameOp* find_func(std::string_view name) {
  for (const auto& f : kFuncs)
    if (name == f.name) return &f;
  return nullptr;
}

constexpr std::array<const char*, 40> kGreek = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
    "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "varrho", "sigma", "tau", "upsilon", "phi",
    "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi",
    "Psi", "Omega", "Upsilon", "Pi", "varsigma", "ell", "varkappa"};

bool is_ascii_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ---------------------------------------------------------------- tokenizers

// Marks the '*' that split_symbols puts around a digit run inside a name ("x2y").
constexpr std::string_view kSplitStar = "#split";

bool tokenize_python(std::string_view s, std::vector<Token>& out) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t') { ++i; continue; }
    if (is_digit(c) || (c == '.' && i + 1 < s.size() && is_digit(s[i + 1]))) {
      size_t b = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && is_digit(s[i])) ++i;
      }
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && is_digit(s[j])) {
          i = j;
          while (i < s.size() && is_digit(s[i])) ++i;
        }
      }
      out.push_back({Tok::Number, Op::Const, s.substr(b, i - b)});
      continue;
    }
    size_t j = i;
    char32_t cp = u8_next(s, j);
    if (cp == '_' || py_is_alpha(cp)) {
      // A Python identifier: letters, digits, '_'.
      size_t b = i;
      i = j;
      while (i < s.size()) {
        size_t k = i;
        char32_t d = u8_next(s, k);
        if (d != '_' && !py_is_word(d)) break;
        i = k;
      }
      std::string_view name = s.substr(b, i - b);
      if (name == "pi") { out.push_back({Tok::Const, Op::Pi, name}); continue; }
      if (auto f = find_func(name)) { out.push_back({Tok::Func, f->op, name}); continue; }
      if (name.find('_') != std::string_view::npos || u8_length(name) == 1) {
        out.push_back({Tok::Var, Op::Var, name});  // sympy keeps names with '_' whole
        continue;
      }
      // sympy's split_symbols: one symbol per letter, digit runs become numbers.
      for (size_t k = 0; k < name.size();) {
        if (is_digit(name[k])) {
          size_t e = k;
          while (e < name.size() && is_digit(name[e])) ++e;
          out.push_back({Tok::Star, Op::Const, kSplitStar});
          out.push_back({Tok::Number, Op::Const, name.substr(k, e - k)});
          out.push_back({Tok::Star, Op::Const, kSplitStar});
          k = e;
        } else {
          size_t e = k;
          u8_next(name, e);
          out.push_back({Tok::Var, Op::Var, name.substr(k, e - k)});
          k = e;
        }
      }
      continue;
    }
    Tok t = Tok::Other;
    switch (c) {
      case '+': t = Tok::Plus; break;
      case '-': t = Tok::Minus; break;
      case '/': t = Tok::Slash; break;
      case '^': t = Tok::Pow; break;
      case '!': t = Tok::Bang; break;
      case '(': t = Tok::LParen; break;
      case ')': t = Tok::RParen; break;
      case '*':
        if (i + 1 < s.size() && s[i + 1] == '*') { ++i; t = Tok::Pow; } else { t = Tok::Star; }
        break;
      default: return false;  // anything else is a tokenize/parse error in sympy too
    }
    out.push_back({t, Op::Const, {}});
    ++i;
  }
  // split_symbols can leave "*" next to operators ("x2" at the end): drop stray ones.
  std::vector<Token> clean;
  clean.reserve(out.size());
  for (size_t k = 0; k < out.size(); ++k) {
    if (out[k].t == Tok::Star && out[k].text == kSplitStar) {
      bool prev_ok = !clean.empty() && (clean.back().t == Tok::Var || clean.back().t == Tok::Number ||
                                        clean.back().t == Tok::RParen || clean.back().t == Tok::Const);
      bool next_ok = k + 1 < out.size() && (out[k + 1].t == Tok::Var || out[k + 1].t == Tok::Number ||
                                            out[k + 1].t == Tok::LParen || out[k + 1].t == Tok::Const ||
                                            out[k + 1].t == Tok::Func);
      if (!prev_ok || !next_ok) continue;
    }
    clean.push_back(out[k]);
  }
  out.swap(clean);
  return true;
}

bool tokenize_latex(std::string_view s, bool e_is_euler, std::vector<Token>& out) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~' || c == '$') { ++i; continue; }
    if (c == '\\') {
      size_t b = ++i;
      if (i < s.size() && is_ascii_alpha(s[i])) {
        while (i < s.size() && is_ascii_alpha(s[i])) ++i;
      } else if (i < s.size()) {
        ++i;
      }
      std::string_view name = s.substr(b, i - b);
      static constexpr std::array kSkip = {",", ";", ":", "!", " ", "quad", "qquad", "displaystyle",
                                           "textstyle", "left", "right", "big", "Big", "bigl", "bigr",
                                           "Bigl", "Bigr", "circ", "degree", "text", "mathrm", "textrm",
                                           "mathbf", "textbf", "mathit", "operatorname", "mbox", "limits"};
      bool skip = false;
      for (auto k : kSkip) skip |= name == k;
      if (skip) {
        if ((name == "left" || name == "right") && i < s.size() && s[i] == '.') ++i;
        continue;
      }
      if (name == "cdot" || name == "times" || name == "ast") { out.push_back({Tok::Star}); continue; }
      if (name == "div") { out.push_back({Tok::Slash}); continue; }
      if (name == "frac" || name == "dfrac" || name == "tfrac" || name == "cfrac") { out.push_back({Tok::Frac}); continue; }
      if (name == "sqrt") { out.push_back({Tok::Sqrt}); continue; }
      if (name == "binom" || name == "dbinom" || name == "tbinom") { out.push_back({Tok::Binom}); continue; }
      if (name == "pi") { out.push_back({Tok::Const, Op::Pi, name}); continue; }
      if (name == "lvert" || name == "rvert" || name == "vert" || name == "|") { out.push_back({Tok::Bar}); continue; }
      if (auto f = find_func(name); f && name != "abs" && name != "asin" && name != "acos" && name != "atan") {
        out.push_back({Tok::Func, f->op, name});
        continue;
      }
      bool greek = false;
      for (auto g : kGreek) greek |= name == g;
      if (greek) { out.push_back({Tok::Var, Op::Var, name}); continue; }
      out.push_back({Tok::Other});  // an unknown macro: the caller reports "unsure"
      continue;
    }
    if (is_digit(c)) { out.push_back({Tok::Digit, Op::Const, s.substr(i, 1)}); ++i; continue; }
    if (is_ascii_alpha(c)) {
      if (c == 'e' && e_is_euler) out.push_back({Tok::Const, Op::Euler, s.substr(i, 1)});
      else out.push_back({Tok::Var, Op::Var, s.substr(i, 1)});
      ++i;
      continue;
    }
    Tok t = Tok::Other;
    size_t adv = 1;
    switch (c) {
      case '.': t = Tok::Dot; break;
      case '+': t = Tok::Plus; break;
      case '-': t = Tok::Minus; break;
      case '*': t = Tok::Star; break;
      case '/': t = Tok::Slash; break;
      case '^': t = Tok::Pow; break;
      case '_': t = Tok::Under; break;
      case '!': t = Tok::Bang; break;
      case '(': t = Tok::LParen; break;
      case ')': t = Tok::RParen; break;
      case '{': t = Tok::LBrace; break;
      case '}': t = Tok::RBrace; break;
      case '[': t = Tok::LBrack; break;
      case ']': t = Tok::RBrack; break;
      case '|': t = Tok::Bar; break;
      default: {
        size_t j = i;
        char32_t cp = u8_next(s, j);
        adv = j - i;
        if (cp == 0x03C0) { out.push_back({Tok::Const, Op::Pi, s.substr(i, adv)}); i += adv; continue; }
        if (cp == 0x2212) t = Tok::Minus;                       // unicode minus sign
        else if (cp == 0x00B7 || cp == 0x00D7) t = Tok::Star;   // middle dot, times
        else if (cp == 0x221A) t = Tok::Sqrt;
        else if (cp == 0x00B0) { i += adv; continue; }          // degree sign
        else if (py_is_alpha(cp)) { out.push_back({Tok::Var, Op::Var, s.substr(i, adv)}); i += adv; continue; }
      }
    }
    out.push_back({t});
    i += adv;
  }
  return true;
}

// ---------------------------------------------------------------- parser

class Parser {
 public:
  Parser(const std::vector<Token>& toks, const ParseOptions& opt, Expr& out)
      : t_(toks), opt_(opt), e_(out) {}

  bool parse() {
    int r = expr();
    return r >= 0 && peek() == Tok::End;
  }

 private:
  Tok peek(size_t k = 0) const { return pos_ + k < t_.size() ? t_[pos_ + k].t : Tok::End; }
  const Token& cur() const { return t_[pos_]; }
  bool eat(Tok t) {
    if (peek() != t) return false;
    ++pos_;
    return true;
  }

  int add(Op op, int a = -1, int b = -1) {
    ExprNode n;
    n.op = op, n.a = a, n.b = b;
    e_.nodes.push_back(n);
    return static_cast<int>(e_.nodes.size()) - 1;
  }
  int add_const(Num v, bool int_literal) {
    ExprNode n;
    n.op = Op::Const, n.value = v, n.int_literal = int_literal;
    e_.nodes.push_back(n);
    return static_cast<int>(e_.nodes.size()) - 1;
  }
  int add_var(std::string_view name) {
    int idx = -1;
    for (size_t k = 0; k < e_.vars.size(); ++k)
      if (e_.vars[k] == name) idx = static_cast<int>(k);
    if (idx < 0) {
      e_.vars.emplace_back(name);
      idx = static_cast<int>(e_.vars.size()) - 1;
    }
    ExprNode n;
    n.op = Op::Var, n.var = idx;
    e_.nodes.push_back(n);
    return static_cast<int>(e_.nodes.size()) - 1;
  }

  struct DepthGuard {
    int& d;
    explicit DepthGuard(int& depth) : d(depth) { ++d; }
    ~DepthGuard() { --d; }
  };

  bool latex() const { return opt_.syntax == Syntax::Latex; }

  bool starts_primary(Tok t) const {
    switch (t) {
      case Tok::Number: case Tok::Digit: case Tok::Var: case Tok::Const: case Tok::Func:
      case Tok::LParen: case Tok::Frac: case Tok::Sqrt: case Tok::Binom:
        return true;
      case Tok::LBrace: case Tok::Dot:
        return latex();
      default:
        return false;
    }
  }

  // expr := term (('+'|'-') term)*
  int expr() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    int lhs = term();
    while (lhs >= 0) {
      if (eat(Tok::Plus)) {
        int rhs = term();
        if (rhs < 0) return -1;
        lhs = add(Op::Add, lhs, rhs);
      } else if (eat(Tok::Minus)) {
        int rhs = term();
        if (rhs < 0) return -1;
        lhs = add(Op::Sub, lhs, rhs);
      } else {
        break;
      }
    }
    return lhs;
  }

  // term := unary (('*'|'/'|implicit) unary)*
  int term() {
    int lhs = unary();
    while (lhs >= 0) {
      if (eat(Tok::Star)) {
        int rhs = unary();
        if (rhs < 0) return -1;
        lhs = add(Op::Mul, lhs, rhs);
      } else if (eat(Tok::Slash)) {
        int rhs = unary();
        if (rhs < 0) return -1;
        lhs = add(Op::Div, lhs, rhs);
      } else if (starts_primary(peek())) {
        int rhs = power();
        if (rhs < 0) return -1;
        lhs = add(Op::Mul, lhs, rhs);
      } else {
        break;
      }
    }
    return lhs;
  }

  // unary := ('-'|'+') unary | power
  int unary() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    if (eat(Tok::Minus)) {
      int a = unary();
      return a < 0 ? -1 : add(Op::Neg, a);
    }
    if (eat(Tok::Plus)) return unary();
    return power();
  }

  // power := postfix ['^' exponent]
  int power() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    int base = postfix();
    if (base < 0) return -1;
    while (eat(Tok::Pow)) {
      int ex;
      if (latex() && peek() == Tok::Digit && peek(1) == Tok::Digit) {
        // "2^99": TeX would raise only the first digit; answers mean the whole run.
        std::string digits;
        while (peek() == Tok::Digit) digits.push_back(t_[pos_++].text[0]);
        ex = add_const(num_parse_decimal(digits.data(), digits.data() + digits.size(), opt_.domain), true);
      } else {
        ex = latex() ? latex_arg() : unary();
      }
      if (ex < 0) return -1;
      base = add(Op::Pow, base, ex);
      base = factorials(base);
      if (!latex()) break;  // Python's ** is right-associative through unary()
    }
    return base;
  }

  int factorials(int a) {
    while (a >= 0 && eat(Tok::Bang)) a = add(Op::Fact, a);
    return a;
  }

  int postfix() { return factorials(primary()); }

  // A LaTeX macro argument: a braced group, or one token (a digit, a letter, a constant).
  int latex_arg() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    if (eat(Tok::LBrace)) {
      int a = expr();
      return a >= 0 && eat(Tok::RBrace) ? a : -1;
    }
    if (peek() == Tok::Digit) {
      const Token& d = cur();
      ++pos_;
      return add_const(num_parse_decimal(d.text.data(), d.text.data() + 1, opt_.domain), true);
    }
    if (peek() == Tok::Var) return add_var(t_[pos_++].text);
    if (peek() == Tok::Const) return add(t_[pos_++].op);
    if (peek() == Tok::Minus) {  // x^-1
      ++pos_;
      int a = latex_arg();
      return a < 0 ? -1 : add(Op::Neg, a);
    }
    if (peek() == Tok::Frac || peek() == Tok::Sqrt) return primary();
    return -1;
  }

  int number_latex() {
    // digits [ '.' digits ] from single-digit tokens
    std::string buf;
    bool int_lit = true;
    while (peek() == Tok::Digit) buf.push_back(t_[pos_++].text[0]);
    if (peek() == Tok::Dot && peek(1) == Tok::Digit) {
      ++pos_;
      buf.push_back('.');
      int_lit = false;
      while (peek() == Tok::Digit) buf.push_back(t_[pos_++].text[0]);
    } else if (peek() == Tok::Dot && buf.empty()) {
      return -1;
    }
    if (buf.empty()) return -1;
    // Scientific "1.5e3" / "2e-4": a number, the letter e, then digits (never Euler's e there).
    if (peek() == Tok::Const && cur().op == Op::Euler &&
        (peek(1) == Tok::Digit || (peek(1) == Tok::Minus && peek(2) == Tok::Digit))) {
      ++pos_;
      buf.push_back('e');
      if (eat(Tok::Minus)) buf.push_back('-');
      while (peek() == Tok::Digit) buf.push_back(t_[pos_++].text[0]);
      int_lit = false;
    }
    int n = add_const(num_parse_decimal(buf.data(), buf.data() + buf.size(), opt_.domain), int_lit);
    // Mixed number: an integer literal directly followed by \frac{int}{int} is their sum.
    if (int_lit && peek() == Tok::Frac) {
      size_t save = pos_;
      size_t nodes = e_.nodes.size();
      int f = primary();
      if (f >= 0 && e_.nodes[e_.nodes[f].a].int_literal && e_.nodes[e_.nodes[f].b].int_literal)
        return add(Op::Add, n, f);
      pos_ = save;
      e_.nodes.resize(nodes);
    }
    return n;
  }

  int primary() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    switch (peek()) {
      case Tok::Number: {
        const Token& tk = cur();
        ++pos_;
        bool int_lit = tk.text.find_first_of(".eE") == std::string_view::npos;
        return add_const(num_parse_decimal(tk.text.data(), tk.text.data() + tk.text.size(), opt_.domain), int_lit);
      }
      case Tok::Digit:
      case Tok::Dot:
        return number_latex();
      case Tok::Var:
        return add_var(t_[pos_++].text);
      case Tok::Const:
        return add(t_[pos_++].op);
      case Tok::LParen: {
        ++pos_;
        int a = expr();
        return a >= 0 && eat(Tok::RParen) ? a : -1;
      }
      case Tok::LBrace: {
        ++pos_;
        int a = expr();
        return a >= 0 && eat(Tok::RBrace) ? a : -1;
      }
      case Tok::Bar: {
        if (!latex()) return -1;
        ++pos_;
        int a = expr();
        return a >= 0 && eat(Tok::Bar) ? add(Op::Abs, a) : -1;
      }
      case Tok::Frac: {
        ++pos_;
        int a = latex_arg();
        if (a < 0) return -1;
        int b = latex_arg();
        return b < 0 ? -1 : add(Op::Div, a, b);
      }
      case Tok::Binom: {
        ++pos_;
        int a = latex_arg();
        if (a < 0) return -1;
        int b = latex_arg();
        return b < 0 ? -1 : add(Op::Binom, a, b);
      }
      case Tok::Sqrt: {
        ++pos_;
        if (latex() && eat(Tok::LBrack)) {
          int deg = expr();
          if (deg < 0 || !eat(Tok::RBrack)) return -1;
          int a = latex_arg();
          return a < 0 ? -1 : add(Op::Root, a, deg);
        }
        if (!latex()) {
          if (!eat(Tok::LParen)) return -1;
          int a = expr();
          return a >= 0 && eat(Tok::RParen) ? add(Op::Sqrt, a) : -1;
        }
        int a = peek() == Tok::LParen ? primary() : latex_arg();
        return a < 0 ? -1 : add(Op::Sqrt, a);
      }
      case Tok::Func: {
        Op op = t_[pos_++].op;
        int base = -1;
        if (latex() && op == Op::Ln && t_[pos_ - 1].text == "log" && eat(Tok::Under)) {
          base = latex_arg();  // \log_{b} x
          if (base < 0) return -1;
        }
        int exponent = -1;
        if (latex() && eat(Tok::Pow)) {  // \sin^2 x
          exponent = latex_arg();
          if (exponent < 0) return -1;
        }
        int a;
        if (eat(Tok::LParen)) {
          a = expr();
          if (a < 0 || !eat(Tok::RParen)) return -1;
        } else if (latex()) {
          a = power();  // \sin x, \ln 2
        } else {
          return -1;
        }
        if (a < 0) return -1;
        int r = base >= 0 ? add(Op::LogBase, a, base) : add(op, a);
        return exponent >= 0 ? add(Op::Pow, r, exponent) : r;
      }
      default:
        return -1;
    }
  }

  const std::vector<Token>& t_;
  const ParseOptions& opt_;
  Expr& e_;
  size_t pos_ = 0;
  int depth_ = 0;
};

cplx to_c(const Num& n) { return n.z; }

Num apply_func(Op op, const Num& a, Domain dom) {
  if (a.kind == Num::Undef) return a;
  cplx z = to_c(a);
  bool real = dom == Domain::Real;
  switch (op) {
    case Op::Sqrt: return num_root(a, num_int(2), dom);
    case Op::Abs:
      if (a.kind == Num::Exact) return num_exact(Rat{a.q.n < 0 ? -a.q.n : a.q.n, a.q.d});
      return num_approx(cplx(std::abs(z), 0.0L), dom);
    case Op::Sin:
      if (a.kind == Num::Exact && a.q.n == 0) return num_int(0);
      return num_approx(std::sin(z), dom);
    case Op::Cos:
      if (a.kind == Num::Exact && a.q.n == 0) return num_int(1);
      return num_approx(std::cos(z), dom);
    case Op::Tan: return num_approx(std::tan(z), dom);
    case Op::Sec: return num_approx(1.0L / std::cos(z), dom);
    case Op::Csc: return num_approx(1.0L / std::sin(z), dom);
    case Op::Cot: return num_approx(std::cos(z) / std::sin(z), dom);
    case Op::Asin:
      if (real && std::fabs(z.real()) > 1) return num_undef();
      return num_approx(std::asin(z), dom);
    case Op::Acos:
      if (real && std::fabs(z.real()) > 1) return num_undef();
      return num_approx(std::acos(z), dom);
    case Op::Atan: return num_approx(std::atan(z), dom);
    case Op::Ln:
      if (a.kind == Num::Exact && a.q.n == a.q.d) return num_int(0);
      if (z == cplx(0.0L, 0.0L) || (real && z.real() <= 0)) return num_undef();
      return num_approx(std::log(z), dom);
    case Op::Exp:
      if (a.kind == Num::Exact && a.q.n == 0) return num_int(1);
      return num_approx(std::exp(z), dom);
    default: return num_undef();
  }
}

}  // namespace

bool expr_parse(std::string_view text, const ParseOptions& opt, Expr& out) {
  out.nodes.clear();
  out.vars.clear();
  std::vector<Token> toks;
  toks.reserve(text.size());
  bool ok = opt.syntax == Syntax::Python ? tokenize_python(text, toks)
                                         : tokenize_latex(text, opt.e_is_euler, toks);
  if (!ok || toks.empty()) return false;
  for (const auto& t : toks)
    if (t.t == Tok::Other) return false;
  Parser p(toks, opt, out);
  return p.parse() && !out.nodes.empty();
}

Num expr_eval(const Expr& e, std::span<const Num> vars, Domain dom) {
  std::vector<Num> v(e.nodes.size());
  for (size_t k = 0; k < e.nodes.size(); ++k) {
    const ExprNode& n = e.nodes[k];
    const Num& a = n.a >= 0 ? v[n.a] : v[k];
    const Num& b = n.b >= 0 ? v[n.b] : v[k];
    switch (n.op) {
      case Op::Const: v[k] = n.value; break;
      case Op::Var: v[k] = vars[n.var]; break;
      case Op::Pi: v[k] = num_approx(cplx(std::numbers::pi_v<long double>, 0.0L), dom); break;
      case Op::Euler: v[k] = num_approx(cplx(std::numbers::e_v<long double>, 0.0L), dom); break;
      case Op::Add: v[k] = num_add(a, b, dom); break;
      case Op::Sub: v[k] = num_sub(a, b, dom); break;
      case Op::Mul: v[k] = num_mul(a, b, dom); break;
      case Op::Div: v[k] = num_div(a, b, dom); break;
      case Op::Pow: v[k] = num_pow(a, b, dom); break;
      case Op::Neg: v[k] = a.kind == Num::Undef ? a : num_neg(a); break;
      case Op::Fact: v[k] = num_factorial(a, dom); break;
      case Op::Root: v[k] = num_root(a, b, dom); break;
      case Op::Binom: v[k] = num_binom(a, b, dom); break;
      case Op::LogBase: {
        Num la = apply_func(Op::Ln, a, dom), lb = apply_func(Op::Ln, b, dom);
        // log_b(b^k) should stay exact when both are exact powers of each other: try integers.
        if (a.kind == Num::Exact && b.kind == Num::Exact && a.q.d == 1 && b.q.d == 1 && b.q.n > 1 && a.q.n > 0) {
          i128 x = a.q.n, count = 0;
          while (x % b.q.n == 0) x /= b.q.n, ++count;
          if (x == 1) { v[k] = num_int(static_cast<int64_t>(count)); break; }
        }
        v[k] = num_div(la, lb, dom);
        break;
      }
      default: v[k] = apply_func(n.op, a, dom); break;
    }
  }
  return v.empty() ? num_undef() : v.back();
}

bool expr_sample(const Expr& a, const Expr& b, Domain dom, int max_vars, std::vector<Num>& va,
                 std::vector<Num>& vb) {
  std::vector<std::string> names = a.vars;
  for (const auto& n : b.vars) {
    bool seen = false;
    for (const auto& m : names) seen |= m == n;
    if (!seen) names.push_back(n);
  }
  if (static_cast<int>(names.size()) > max_vars) return false;
  // Sample points: rationals of both signs, away from 0 and +-1 and from each other, so that
  // polynomials and rational functions compare exactly and branch cuts are exercised.
  static constexpr int64_t kPoints[2][kExprSamplePoints][2] = {
      {{7, 5}, {-11, 6}, {13, 9}, {19, 7}, {-23, 13}, {3, 11}},
      {{17, 10}, {5, 3}, {-29, 12}, {2, 7}, {31, 9}, {-9, 5}}};
  int npts = names.empty() ? 1 : kExprSamplePoints;
  va.clear(), vb.clear();
  std::vector<Num> xa(a.vars.size()), xb(b.vars.size());
  for (int p = 0; p < npts; ++p) {
    for (size_t k = 0; k < names.size(); ++k) {
      const auto* pt = kPoints[k % 2][(p + 3 * (k / 2)) % kExprSamplePoints];
      Num val = num_exact(Rat{pt[0], pt[1]});
      for (size_t j = 0; j < a.vars.size(); ++j)
        if (a.vars[j] == names[k]) xa[j] = val;
      for (size_t j = 0; j < b.vars.size(); ++j)
        if (b.vars[j] == names[k]) xb[j] = val;
    }
    va.push_back(expr_eval(a, xa, dom));
    vb.push_back(expr_eval(b, xb, dom));
  }
  return true;
}

}  // namespace rlvr::rewards
