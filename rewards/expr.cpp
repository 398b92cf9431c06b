#include "rewards/expr.h"

#include <array>
#include <cmath>
#include <cstring>
#include <numbers>

#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

enum class Tok : uint8_t {
  end, number, digit, dot, var, const_, func, plus, minus, star, slash, pow, bang,
  lparen, rparen, lbrace, rbrace, lbrack, rbrack, frac, sqrt, binom, under, bar, other,
};

struct Token {
  Token(Tok kind = Tok::end, ExprOp o = ExprOp::const_, std::string_view s = {}) : t(kind), op(o), text(s) {}
  Tok t;
  ExprOp op;                  // Const (Pi/Euler) and Func tokens
  std::string_view text;  // Number digits, Var name
};

struct NameOp { const char* name; ExprOp op; };

// Functions sympy's namespace resolves by name (paper mode) and LaTeX operator macros (strict).
constexpr std::array kFuncs = {
    NameOp{"sqrt", ExprOp::sqrt}, NameOp{"sin", ExprOp::sin},   NameOp{"cos", ExprOp::cos},
    NameOp{"tan", ExprOp::tan},   NameOp{"sec", ExprOp::sec},   NameOp{"csc", ExprOp::csc},
    NameOp{"cot", ExprOp::cot},   NameOp{"asin", ExprOp::asin}, NameOp{"acos", ExprOp::acos},
    NameOp{"atan", ExprOp::atan}, NameOp{"arcsin", ExprOp::asin}, NameOp{"arccos", ExprOp::acos},
    NameOp{"arctan", ExprOp::atan}, NameOp{"ln", ExprOp::ln},   NameOp{"log", ExprOp::ln},
    NameOp{"exp", ExprOp::exp},   NameOp{"abs", ExprOp::abs},
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
      out.push_back({Tok::number, ExprOp::const_, s.substr(b, i - b)});
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
      if (name == "pi") { out.push_back({Tok::const_, ExprOp::pi, name}); continue; }
      if (auto f = find_func(name)) { out.push_back({Tok::func, f->op, name}); continue; }
      if (name.find('_') != std::string_view::npos || u8_length(name) == 1) {
        out.push_back({Tok::var, ExprOp::var, name});  // sympy keeps names with '_' whole
        continue;
      }
      // sympy's split_symbols: one symbol per letter, digit runs become numbers.
      for (size_t k = 0; k < name.size();) {
        if (is_digit(name[k])) {
          size_t e = k;
          while (e < name.size() && is_digit(name[e])) ++e;
          out.push_back({Tok::star, ExprOp::const_, kSplitStar});
          out.push_back({Tok::number, ExprOp::const_, name.substr(k, e - k)});
          out.push_back({Tok::star, ExprOp::const_, kSplitStar});
          k = e;
        } else {
          size_t e = k;
          u8_next(name, e);
          out.push_back({Tok::var, ExprOp::var, name.substr(k, e - k)});
          k = e;
        }
      }
      continue;
    }
    Tok t = Tok::other;
    switch (c) {
      case '+': t = Tok::plus; break;
      case '-': t = Tok::minus; break;
      case '/': t = Tok::slash; break;
      case '^': t = Tok::pow; break;
      case '!': t = Tok::bang; break;
      case '(': t = Tok::lparen; break;
      case ')': t = Tok::rparen; break;
      case '*':
        if (i + 1 < s.size() && s[i + 1] == '*') { ++i; t = Tok::pow; } else { t = Tok::star; }
        break;
      default: return false;  // anything else is a tokenize/parse error in sympy too
    }
    out.push_back({t, ExprOp::const_, {}});
    ++i;
  }
  // split_symbols can leave "*" next to operators ("x2" at the end): drop stray ones.
  std::vector<Token> clean;
  clean.reserve(out.size());
  for (size_t k = 0; k < out.size(); ++k) {
    if (out[k].t == Tok::star && out[k].text == kSplitStar) {
      bool prev_ok = !clean.empty() && (clean.back().t == Tok::var || clean.back().t == Tok::number ||
                                        clean.back().t == Tok::rparen || clean.back().t == Tok::const_);
      bool next_ok = k + 1 < out.size() && (out[k + 1].t == Tok::var || out[k + 1].t == Tok::number ||
                                            out[k + 1].t == Tok::lparen || out[k + 1].t == Tok::const_ ||
                                            out[k + 1].t == Tok::func);
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
      if (name == "cdot" || name == "times" || name == "ast") { out.push_back({Tok::star}); continue; }
      if (name == "div") { out.push_back({Tok::slash}); continue; }
      if (name == "frac" || name == "dfrac" || name == "tfrac" || name == "cfrac") { out.push_back({Tok::frac}); continue; }
      if (name == "sqrt") { out.push_back({Tok::sqrt}); continue; }
      if (name == "binom" || name == "dbinom" || name == "tbinom") { out.push_back({Tok::binom}); continue; }
      if (name == "pi") { out.push_back({Tok::const_, ExprOp::pi, name}); continue; }
      if (name == "lvert" || name == "rvert" || name == "vert" || name == "|") { out.push_back({Tok::bar}); continue; }
      if (auto f = find_func(name); f && name != "abs" && name != "asin" && name != "acos" && name != "atan") {
        out.push_back({Tok::func, f->op, name});
        continue;
      }
      bool greek = false;
      for (auto g : kGreek) greek |= name == g;
      if (greek) { out.push_back({Tok::var, ExprOp::var, name}); continue; }
      out.push_back({Tok::other});  // an unknown macro: the caller reports "unsure"
      continue;
    }
    if (is_digit(c)) { out.push_back({Tok::digit, ExprOp::const_, s.substr(i, 1)}); ++i; continue; }
    if (is_ascii_alpha(c)) {
      if (c == 'e' && e_is_euler) out.push_back({Tok::const_, ExprOp::euler, s.substr(i, 1)});
      else out.push_back({Tok::var, ExprOp::var, s.substr(i, 1)});
      ++i;
      continue;
    }
    Tok t = Tok::other;
    size_t adv = 1;
    switch (c) {
      case '.': t = Tok::dot; break;
      case '+': t = Tok::plus; break;
      case '-': t = Tok::minus; break;
      case '*': t = Tok::star; break;
      case '/': t = Tok::slash; break;
      case '^': t = Tok::pow; break;
      case '_': t = Tok::under; break;
      case '!': t = Tok::bang; break;
      case '(': t = Tok::lparen; break;
      case ')': t = Tok::rparen; break;
      case '{': t = Tok::lbrace; break;
      case '}': t = Tok::rbrace; break;
      case '[': t = Tok::lbrack; break;
      case ']': t = Tok::rbrack; break;
      case '|': t = Tok::bar; break;
      default: {
        size_t j = i;
        char32_t cp = u8_next(s, j);
        adv = j - i;
        if (cp == 0x03C0) { out.push_back({Tok::const_, ExprOp::pi, s.substr(i, adv)}); i += adv; continue; }
        if (cp == 0x2212) t = Tok::minus;                       // unicode minus sign
        else if (cp == 0x00B7 || cp == 0x00D7) t = Tok::star;   // middle dot, times
        else if (cp == 0x221A) t = Tok::sqrt;
        else if (cp == 0x00B0) { i += adv; continue; }          // degree sign
        else if (py_is_alpha(cp)) { out.push_back({Tok::var, ExprOp::var, s.substr(i, adv)}); i += adv; continue; }
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
    return r >= 0 && peek() == Tok::end;
  }

 private:
  Tok peek(size_t k = 0) const { return pos_ + k < t_.size() ? t_[pos_ + k].t : Tok::end; }
  const Token& cur() const { return t_[pos_]; }
  bool eat(Tok t) {
    if (peek() != t) return false;
    ++pos_;
    return true;
  }

  int add(ExprOp op, int a = -1, int b = -1) {
    ExprNode n;
    n.op = op, n.a = a, n.b = b;
    e_.nodes.push_back(n);
    return static_cast<int>(e_.nodes.size()) - 1;
  }
  int add_const(Num v, bool int_literal) {
    ExprNode n;
    n.op = ExprOp::const_, n.value = v, n.int_literal = int_literal;
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
    n.op = ExprOp::var, n.var = idx;
    e_.nodes.push_back(n);
    return static_cast<int>(e_.nodes.size()) - 1;
  }

  struct DepthGuard {
    int& d;
    explicit DepthGuard(int& depth) : d(depth) { ++d; }
    ~DepthGuard() { --d; }
  };

  bool latex() const { return opt_.syntax == Syntax::latex; }

  bool starts_primary(Tok t) const {
    switch (t) {
      case Tok::number: case Tok::digit: case Tok::var: case Tok::const_: case Tok::func:
      case Tok::lparen: case Tok::frac: case Tok::sqrt: case Tok::binom:
        return true;
      case Tok::lbrace: case Tok::dot:
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
      if (eat(Tok::plus)) {
        int rhs = term();
        if (rhs < 0) return -1;
        lhs = add(ExprOp::add, lhs, rhs);
      } else if (eat(Tok::minus)) {
        int rhs = term();
        if (rhs < 0) return -1;
        lhs = add(ExprOp::sub, lhs, rhs);
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
      if (eat(Tok::star)) {
        int rhs = unary();
        if (rhs < 0) return -1;
        lhs = add(ExprOp::mul, lhs, rhs);
      } else if (eat(Tok::slash)) {
        int rhs = unary();
        if (rhs < 0) return -1;
        lhs = add(ExprOp::div, lhs, rhs);
      } else if (starts_primary(peek())) {
        int rhs = power();
        if (rhs < 0) return -1;
        lhs = add(ExprOp::mul, lhs, rhs);
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
    if (eat(Tok::minus)) {
      int a = unary();
      return a < 0 ? -1 : add(ExprOp::neg, a);
    }
    if (eat(Tok::plus)) return unary();
    return power();
  }

  // power := postfix ['^' exponent]
  int power() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    int base = postfix();
    if (base < 0) return -1;
    while (eat(Tok::pow)) {
      int ex;
      if (latex() && peek() == Tok::digit && peek(1) == Tok::digit) {
        // "2^99": TeX would raise only the first digit; answers mean the whole run.
        std::string digits;
        while (peek() == Tok::digit) digits.push_back(t_[pos_++].text[0]);
        ex = add_const(num_parse_decimal(digits.data(), digits.data() + digits.size(), opt_.domain), true);
      } else {
        ex = latex() ? latex_arg() : unary();
      }
      if (ex < 0) return -1;
      base = add(ExprOp::pow, base, ex);
      base = factorials(base);
      if (!latex()) break;  // Python's ** is right-associative through unary()
    }
    return base;
  }

  int factorials(int a) {
    while (a >= 0 && eat(Tok::bang)) a = add(ExprOp::fact, a);
    return a;
  }

  int postfix() { return factorials(primary()); }

  // A LaTeX macro argument: a braced group, or one token (a digit, a letter, a constant).
  int latex_arg() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    if (eat(Tok::lbrace)) {
      int a = expr();
      return a >= 0 && eat(Tok::rbrace) ? a : -1;
    }
    if (peek() == Tok::digit) {
      const Token& d = cur();
      ++pos_;
      return add_const(num_parse_decimal(d.text.data(), d.text.data() + 1, opt_.domain), true);
    }
    if (peek() == Tok::var) return add_var(t_[pos_++].text);
    if (peek() == Tok::const_) return add(t_[pos_++].op);
    if (peek() == Tok::minus) {  // x^-1
      ++pos_;
      int a = latex_arg();
      return a < 0 ? -1 : add(ExprOp::neg, a);
    }
    if (peek() == Tok::frac || peek() == Tok::sqrt) return primary();
    return -1;
  }

  int number_latex() {
    // digits [ '.' digits ] from single-digit tokens
    std::string buf;
    bool int_lit = true;
    while (peek() == Tok::digit) buf.push_back(t_[pos_++].text[0]);
    if (peek() == Tok::dot && peek(1) == Tok::digit) {
      ++pos_;
      buf.push_back('.');
      int_lit = false;
      while (peek() == Tok::digit) buf.push_back(t_[pos_++].text[0]);
    } else if (peek() == Tok::dot && buf.empty()) {
      return -1;
    }
    if (buf.empty()) return -1;
    // Scientific "1.5e3" / "2e-4": a number, the letter e, then digits (never Euler's e there).
    if (peek() == Tok::const_ && cur().op == ExprOp::euler &&
        (peek(1) == Tok::digit || (peek(1) == Tok::minus && peek(2) == Tok::digit))) {
      ++pos_;
      buf.push_back('e');
      if (eat(Tok::minus)) buf.push_back('-');
      while (peek() == Tok::digit) buf.push_back(t_[pos_++].text[0]);
      int_lit = false;
    }
    int n = add_const(num_parse_decimal(buf.data(), buf.data() + buf.size(), opt_.domain), int_lit);
    // Mixed number: an integer literal directly followed by \frac{int}{int} is their sum.
    if (int_lit && peek() == Tok::frac) {
      size_t save = pos_;
      size_t nodes = e_.nodes.size();
      int f = primary();
      if (f >= 0 && e_.nodes[e_.nodes[f].a].int_literal && e_.nodes[e_.nodes[f].b].int_literal)
        return add(ExprOp::add, n, f);
      pos_ = save;
      e_.nodes.resize(nodes);
    }
    return n;
  }

  int primary() {
    DepthGuard g(depth_);
    if (depth_ > kExprMaxDepth) return -1;
    switch (peek()) {
      case Tok::number: {
        const Token& tk = cur();
        ++pos_;
        bool int_lit = tk.text.find_first_of(".eE") == std::string_view::npos;
        return add_const(num_parse_decimal(tk.text.data(), tk.text.data() + tk.text.size(), opt_.domain), int_lit);
      }
      case Tok::digit:
      case Tok::dot:
        return number_latex();
      case Tok::var:
        return add_var(t_[pos_++].text);
      case Tok::const_:
        return add(t_[pos_++].op);
      case Tok::lparen: {
        ++pos_;
        int a = expr();
        return a >= 0 && eat(Tok::rparen) ? a : -1;
      }
      case Tok::lbrace: {
        ++pos_;
        int a = expr();
        return a >= 0 && eat(Tok::rbrace) ? a : -1;
      }
      case Tok::bar: {
        if (!latex()) return -1;
        ++pos_;
        int a = expr();
        return a >= 0 && eat(Tok::bar) ? add(ExprOp::abs, a) : -1;
      }
      case Tok::frac: {
        ++pos_;
        int a = latex_arg();
        if (a < 0) return -1;
        int b = latex_arg();
        return b < 0 ? -1 : add(ExprOp::div, a, b);
      }
      case Tok::binom: {
        ++pos_;
        int a = latex_arg();
        if (a < 0) return -1;
        int b = latex_arg();
        return b < 0 ? -1 : add(ExprOp::binom, a, b);
      }
      case Tok::sqrt: {
        ++pos_;
        if (latex() && eat(Tok::lbrack)) {
          int deg = expr();
          if (deg < 0 || !eat(Tok::rbrack)) return -1;
          int a = latex_arg();
          return a < 0 ? -1 : add(ExprOp::root, a, deg);
        }
        if (!latex()) {
          if (!eat(Tok::lparen)) return -1;
          int a = expr();
          return a >= 0 && eat(Tok::rparen) ? add(ExprOp::sqrt, a) : -1;
        }
        int a = peek() == Tok::lparen ? primary() : latex_arg();
        return a < 0 ? -1 : add(ExprOp::sqrt, a);
      }
      case Tok::func: {
        ExprOp op = t_[pos_++].op;
        int base = -1;
        if (latex() && op == ExprOp::ln && t_[pos_ - 1].text == "log" && eat(Tok::under)) {
          base = latex_arg();  // \log_{b} x
          if (base < 0) return -1;
        }
        int exponent = -1;
        if (latex() && eat(Tok::pow)) {  // \sin^2 x
          exponent = latex_arg();
          if (exponent < 0) return -1;
        }
        int a;
        if (eat(Tok::lparen)) {
          a = expr();
          if (a < 0 || !eat(Tok::rparen)) return -1;
        } else if (latex()) {
          a = power();  // \sin x, \ln 2
        } else {
          return -1;
        }
        if (a < 0) return -1;
        int r = base >= 0 ? add(ExprOp::log_base, a, base) : add(op, a);
        return exponent >= 0 ? add(ExprOp::pow, r, exponent) : r;
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

Num apply_func(ExprOp op, const Num& a, Domain dom) {
  if (a.kind == Num::undef) return a;
  cplx z = to_c(a);
  bool real = dom == Domain::real;
  switch (op) {
    case ExprOp::sqrt: return num_root(a, num_int(2), dom);
    case ExprOp::abs:
      if (a.kind == Num::exact) return num_exact(Rat{a.q.n < 0 ? -a.q.n : a.q.n, a.q.d});
      return num_approx(cplx(std::abs(z), 0.0L), dom);
    case ExprOp::sin:
      if (a.kind == Num::exact && a.q.n == 0) return num_int(0);
      return num_approx(std::sin(z), dom);
    case ExprOp::cos:
      if (a.kind == Num::exact && a.q.n == 0) return num_int(1);
      return num_approx(std::cos(z), dom);
    case ExprOp::tan: return num_approx(std::tan(z), dom);
    case ExprOp::sec: return num_approx(1.0L / std::cos(z), dom);
    case ExprOp::csc: return num_approx(1.0L / std::sin(z), dom);
    case ExprOp::cot: return num_approx(std::cos(z) / std::sin(z), dom);
    case ExprOp::asin:
      if (real && std::fabs(z.real()) > 1) return num_undef();
      return num_approx(std::asin(z), dom);
    case ExprOp::acos:
      if (real && std::fabs(z.real()) > 1) return num_undef();
      return num_approx(std::acos(z), dom);
    case ExprOp::atan: return num_approx(std::atan(z), dom);
    case ExprOp::ln:
      if (a.kind == Num::exact && a.q.n == a.q.d) return num_int(0);
      if (z == cplx(0.0L, 0.0L) || (real && z.real() <= 0)) return num_undef();
      return num_approx(std::log(z), dom);
    case ExprOp::exp:
      if (a.kind == Num::exact && a.q.n == 0) return num_int(1);
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
  bool ok = opt.syntax == Syntax::python ? tokenize_python(text, toks)
                                         : tokenize_latex(text, opt.e_is_euler, toks);
  if (!ok || toks.empty()) return false;
  for (const auto& t : toks)
    if (t.t == Tok::other) return false;
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
      case ExprOp::const_: v[k] = n.value; break;
      case ExprOp::var: v[k] = vars[n.var]; break;
      case ExprOp::pi: v[k] = num_approx(cplx(std::numbers::pi_v<long double>, 0.0L), dom); break;
      case ExprOp::euler: v[k] = num_approx(cplx(std::numbers::e_v<long double>, 0.0L), dom); break;
      case ExprOp::add: v[k] = num_add(a, b, dom); break;
      case ExprOp::sub: v[k] = num_sub(a, b, dom); break;
      case ExprOp::mul: v[k] = num_mul(a, b, dom); break;
      case ExprOp::div: v[k] = num_div(a, b, dom); break;
      case ExprOp::pow: v[k] = num_pow(a, b, dom); break;
      case ExprOp::neg: v[k] = a.kind == Num::undef ? a : num_neg(a); break;
      case ExprOp::fact: v[k] = num_factorial(a, dom); break;
      case ExprOp::root: v[k] = num_root(a, b, dom); break;
      case ExprOp::binom: v[k] = num_binom(a, b, dom); break;
      case ExprOp::log_base: {
        Num la = apply_func(ExprOp::ln, a, dom), lb = apply_func(ExprOp::ln, b, dom);
        // log_b(b^k) should stay exact when both are exact powers of each other: try integers.
        if (a.kind == Num::exact && b.kind == Num::exact && a.q.d == 1 && b.q.d == 1 && b.q.n > 1 && a.q.n > 0) {
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
