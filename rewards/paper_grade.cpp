#include "rewards/paper_grade.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

#include "rewards/expr.h"
#include "rewards/latex_text.h"
#include "rewards/paper_fix.h"
#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

bool is_d(char c) { return c >= '0' && c <= '9'; }

// ^\\text\{(?P<text>.+?)\}$ : the whole string is \text{...} with at least one character and no
// newline inside ('.' does not match it).
std::optional<std::string_view> enclosing_text(std::string_view s) {
  if (s.size() < 8 || !starts_with(s, "\\text{") || s.back() != '}') return std::nullopt;
  std::string_view inner = s.substr(6, s.size() - 7);
  if (inner.find('\n') != std::string_view::npos) return std::nullopt;
  return inner;
}

// ---------------------------------------------------------------- Hendrycks (math_normalize.py)

// _fix_sqrt: \sqrt3 -> \sqrt{3} (one character). False where the reference raises IndexError.
bool hendrycks_fix_sqrt(std::string& s) {
  if (s.find("\\sqrt") == std::string::npos) return true;
  auto parts = split(s, "\\sqrt");
  std::string out(parts[0]);
  for (size_t k = 1; k < parts.size(); ++k) {
    std::string_view p = parts[k];
    if (p.empty()) return false;  // split[0] on an empty piece: IndexError
    if (p[0] != '{') {
      size_t i = 0;
      u8_next(p, i);
      out += "\\sqrt{" + std::string(p.substr(0, i)) + "}" + std::string(p.substr(i));
    } else {
      out += "\\sqrt" + std::string(p);
    }
  }
  s = out;
  return true;
}

// Returns false where the reference raises (normalize_answer then returns its input).
bool hendrycks_strip_string(std::string& s) {
  replace_all(s, "\n", "");
  replace_all(s, "\\!", "");
  replace_all(s, "\\\\", "\\");
  replace_all(s, "tfrac", "frac");
  replace_all(s, "dfrac", "frac");
  replace_all(s, "\\left", "");
  replace_all(s, "\\right", "");
  replace_all(s, "^{\\circ}", "");
  replace_all(s, "^\\circ", "");
  replace_all(s, "\\$", "");
  // _remove_right_units: "\text{ " only ever describes units. QUIRK: two of them -> AssertionError.
  if (s.find("\\text{ ") != std::string::npos) {
    auto parts = split(s, "\\text{ ");
    if (parts.size() != 2) return false;
    s = std::string(parts[0]);
  }
  replace_all(s, "\\%", "");
  replace_all(s, " .", " 0.");
  replace_all(s, "{.", "{0.");
  if (s.empty()) return true;
  if (s[0] == '.') s = "0" + s;
  {
    auto parts = split(s, "=");
    if (parts.size() == 2 && u8_length(parts[0]) <= 2) s = std::string(parts[1]);
  }
  if (!hendrycks_fix_sqrt(s)) return false;
  replace_all(s, " ", "");
  if (!fix_fracs(s, /*guard_empty=*/false)) return false;
  // QUIRK: exactly "0.5" becomes \frac{1}{2}; "0.25" does not become \frac{1}{4}.
  if (s == "0.5") s = "\\frac{1}{2}";
  {
    auto parts = split(s, "/");
    if (parts.size() == 2 && canonical_int(parts[0]) && canonical_int(parts[1]))
      s = "\\frac{" + std::string(parts[0]) + "}{" + std::string(parts[1]) + "}";
  }
  return true;
}

// ---------------------------------------------------------------- PRM800K (_normalize)

constexpr std::array kPrmUnits = {"degree", "cm",   "centimeter", "meter", "mile", "second",
                                  "minute", "hour", "day",        "week",  "month", "year",
                                  "foot",   "feet", "inch",       "yard"};

// re.sub(f"{unit}(es)?(s)? *(\^[0-9]+)?", "", s) -- not word-bounded: "today" loses "day".
void prm_remove_unit(std::string& s, std::string_view unit) {
  if (s.find(unit) == std::string::npos) return;
  std::string out;
  size_t i = 0;
  while (true) {
    size_t p = s.find(unit, i);
    if (p == std::string::npos) break;
    size_t e = p + unit.size();
    if (s.compare(e, 2, "es") == 0) e += 2;
    if (e < s.size() && s[e] == 's') e += 1;
    while (e < s.size() && s[e] == ' ') ++e;
    if (e < s.size() && s[e] == '^' && e + 1 < s.size() && is_d(s[e + 1])) {
      e += 1;
      while (e < s.size() && is_d(s[e])) ++e;
    }
    out.append(s, i, p - i);
    i = e;
  }
  out.append(s, i, std::string::npos);
  s.swap(out);
}

// re.sub("\^ *\\\\circ", "", s)
void prm_remove_circ(std::string& s) {
  std::string out;
  size_t i = 0;
  while (true) {
    size_t p = s.find('^', i);
    if (p == std::string::npos) break;
    size_t e = p + 1;
    while (e < s.size() && s[e] == ' ') ++e;
    if (s.compare(e, 5, "\\circ") == 0) {
      out.append(s, i, p - i);
      i = e + 5;
    } else {
      out.append(s, i, p + 1 - i);
      i = p + 1;
    }
  }
  out.append(s, i, std::string::npos);
  s.swap(out);
}

// _strip_properly_formatted_commas: (\d)(,)(\d\d\d)($|\D) -> \1\3\4 until nothing changes.
std::string strip_formatted_commas(std::string s) {
  while (true) {
    std::string out;
    bool changed = false;
    size_t i = 0, n = s.size();
    while (i < n) {
      // A match starts at a digit followed by ",ddd" and then the end or a non-digit.
      if (is_d(s[i]) && i + 4 < n + 0 && s[i + 1] == ',' && is_d(s[i + 2]) && is_d(s[i + 3]) &&
          is_d(s[i + 4]) && (i + 5 == n || !is_d(s[i + 5]))) {
        out.push_back(s[i]);
        out.append(s, i + 2, 3);
        size_t e = i + 5;
        if (e < n) out.push_back(s[e++]);  // \D is consumed by the match
        i = e;
        changed = true;
      } else {
        out.push_back(s[i++]);
      }
    }
    if (!changed) return s;
    s.swap(out);
  }
}

bool is_int_float(double x) {
  if (!std::isfinite(x)) return false;  // int(round(inf)) raises
  return std::fabs(x - std::nearbyint(x)) <= 1e-7;
}

bool str_is_int(std::string_view x) {
  auto f = py_float(strip_formatted_commas(std::string(x)));
  return f && is_int_float(*f);
}

std::string str_to_int(std::string_view x) {
  std::string t(x);
  replace_all(t, ",", "");
  auto f = py_float(t);
  return f ? py_int_of_double(*f) : std::string(x);  // only called after str_is_int
}

// _inject_implicit_mixed_number: ([0-9]) +([0-9]) -> \1+\2 (non-overlapping: "1 2 3" -> "1+2 3").
void inject_mixed_number(std::string& s) {
  std::string out;
  size_t i = 0, n = s.size();
  while (i < n) {
    if (is_d(s[i]) && i + 1 < n && s[i + 1] == ' ') {
      size_t e = i + 1;
      while (e < n && s[e] == ' ') ++e;
      if (e < n && is_d(s[e])) {
        out.push_back(s[i]);
        out.push_back('+');
        out.push_back(s[e]);
        i = e + 1;
        continue;
      }
    }
    out.push_back(s[i++]);
  }
  s.swap(out);
}

std::string parse_latex(std::string expr) {
  replace_all(expr, "\\tfrac", "\\frac");
  replace_all(expr, "\\dfrac", "\\frac");
  replace_all(expr, "\\frac", " \\frac");  // play nice with mixed numbers
  auto text = latex_to_text(expr);
  if (!text) return expr;  // the reference's try/except keeps the input
  std::string t = *text;
  replace_all(t, "√", "sqrt");
  replace_all(t, "π", "pi");
  replace_all(t, "∞", "inf");
  replace_all(t, "∪", "U");
  replace_all(t, "·", "*");
  replace_all(t, "×", "*");
  return std::string(py_strip(t));
}

// ---------------------------------------------------------------- sympy replacement

// letters after removing "sqrt" and "frac": more than 2 distinct ones -> no evaluation
bool should_allow_eval(std::string_view expr) {
  std::string e(expr);
  replace_all(e, "sqrt", "");
  replace_all(e, "frac", "");
  std::vector<char32_t> letters;
  for (size_t i = 0; i < e.size();) {
    char32_t c = u8_next(e, i);
    if (!py_is_alpha(c)) continue;
    bool seen = false;
    for (char32_t l : letters) seen |= l == c;
    if (!seen) letters.push_back(c);
  }
  if (letters.size() > 2) return false;
  if (contains(expr, "^{") || contains(expr, "^(")) return false;
  // \^[0-9]+\^ and \^[0-9][0-9]+
  for (size_t p = expr.find('^'); p != std::string_view::npos; p = expr.find('^', p + 1)) {
    size_t e2 = p + 1;
    while (e2 < expr.size() && is_d(expr[e2])) ++e2;
    size_t nd = e2 - p - 1;
    if (nd >= 2) return false;
    if (nd >= 1 && e2 < expr.size() && expr[e2] == '^') return false;
  }
  return true;
}

bool equal_under_evaluator(std::string_view truth, std::string_view given) {
  std::string expr = "(" + std::string(truth) + ")-(" + std::string(given) + ")";
  if (!should_allow_eval(expr)) return false;
  std::string py = expr;
  replace_all(py, "^", "**");
  ParseOptions opt;
  opt.syntax = Syntax::python;
  opt.domain = Domain::complex;
  Expr diff;
  if (!expr_parse(py, opt, diff)) return false;
  Expr zero;
  zero.nodes.push_back(ExprNode{});
  zero.nodes.back().value = num_int(0);
  std::vector<Num> va, vb;
  if (!expr_sample(diff, zero, Domain::complex, 2, va, vb)) return false;
  // "simplify(diff) == 0": zero at every sample point. Approximate values count as zero within
  // 1e-12 relative to the magnitudes of the two sides at that point.
  // With a decimal literal in play sympy computes in Floats, whose difference is exactly 0 only
  // when the values cancel exactly (0.5 vs 1/2 yes, 0.7071067811865476 vs sqrt(2)/2 no): then only an
  // exact zero counts here too.
  bool floats = expr.find('.') != std::string::npos;
  const long double kZeroTol = floats ? 0.0L : 1e-12L;
  Expr lhs, rhs;
  std::string tl(truth), tg(given);
  replace_all(tl, "^", "**");
  replace_all(tg, "^", "**");
  bool sides = expr_parse(tl, opt, lhs) && expr_parse(tg, opt, rhs);
  std::vector<Num> sl, sr;
  if (sides) sides = expr_sample(lhs, rhs, Domain::complex, 2, sl, sr) && sl.size() == va.size();
  for (size_t p = 0; p < va.size(); ++p) {
    const Num& d = va[p];
    if (d.kind == Num::undef) return false;
    if (d.kind == Num::exact) {
      if (d.q.n != 0) return false;
      continue;
    }
    long double scale = 1.0L;
    if (sides && sl[p].kind != Num::undef && sr[p].kind != Num::undef)
      scale = std::max({1.0L, std::abs(sl[p].z), std::abs(sr[p].z)});
    if (std::abs(d.z) > kZeroTol * scale) return false;
  }
  return true;
}

bool all_digits(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!is_d(c)) return false;
  return true;
}

// The text minus its last code point, if that code point is not a newline ('.' of a regex).
std::optional<std::string_view> drop_last_char(std::string_view t) {
  if (t.empty()) return std::nullopt;
  size_t k = t.size() - 1;
  while (k > 0 && (static_cast<unsigned char>(t[k]) & 0xC0) == 0x80) --k;
  if (t.substr(k) == "\n") return std::nullopt;
  return t.substr(0, k);
}

// 0*[1-9][0-9]* : digits only, at least one of them non-zero.
bool denominator_digits(std::string_view t) {
  return all_digits(t) && t.find_first_not_of('0') != std::string_view::npos;
}

// re.search(r"^-?[0-9]+.?/0*[1-9][0-9]*.?$", e): the prefix is digits plus at most one character,
// the suffix digits with a non-zero one plus at most one character; '$' also matches before a
// final newline.
bool is_frac(std::string_view e) {
  size_t start = !e.empty() && e[0] == '-' ? 1 : 0;
  size_t first_non_digit = start;
  while (first_non_digit < e.size() && is_d(e[first_non_digit])) ++first_non_digit;
  if (first_non_digit == start) return false;
  // The '/' can only be right after the digits, or one character later.
  for (size_t p = first_non_digit; p < e.size() && p <= first_non_digit + 4; ++p) {
    if (e[p] != '/') continue;
    std::string_view pre = e.substr(start, p - start);
    bool pre_ok = all_digits(pre);
    if (!pre_ok) {
      auto d = drop_last_char(pre);
      pre_ok = d && all_digits(*d);
    }
    if (!pre_ok) continue;
    std::string_view suf = e.substr(p + 1);
    for (std::string_view t : {suf, ends_with(suf, "\n") ? suf.substr(0, suf.size() - 1) : suf}) {
      if (denominator_digits(t)) return true;
      auto d = drop_last_char(t);
      if (d && denominator_digits(*d)) return true;
    }
  }
  return false;
}

std::vector<std::string> split_tuple(std::string_view expr_in) {
  std::string expr = strip_formatted_commas(std::string(expr_in));
  if (expr.empty()) return {};
  static constexpr std::string_view kTupleChars = "()[]";
  bool inner_clean = true;
  if (expr.size() > 2)
    for (size_t k = 1; k + 1 < expr.size(); ++k) inner_clean &= kTupleChars.find(expr[k]) == std::string_view::npos;
  if (expr.size() > 2 && kTupleChars.find(expr[0]) != std::string_view::npos &&
      kTupleChars.find(expr.back()) != std::string_view::npos && inner_clean) {
    std::vector<std::string> elems;
    for (auto part : split(std::string_view(expr).substr(1, expr.size() - 2), ","))
      elems.emplace_back(py_strip(part));
    return elems;
  }
  return {expr};
}

}  // namespace

std::string hendrycks_normalize(std::string_view answer_in) {
  std::string answer(py_strip(answer_in));
  if (auto inner = enclosing_text(answer)) answer = std::string(py_strip(*inner));
  std::string s = answer;
  if (!hendrycks_strip_string(s)) return answer;
  return s;
}

std::string prm_normalize(std::string_view in) {
  std::string expr(in);
  if (auto inner = enclosing_text(expr)) expr = std::string(*inner);
  replace_all(expr, "\\%", "%");
  replace_all(expr, "\\$", "$");
  replace_all(expr, "$", "");
  replace_all(expr, "%", "");
  replace_all(expr, " or ", " , ");
  replace_all(expr, " and ", " , ");
  replace_all(expr, "million", "*10^6");
  replace_all(expr, "billion", "*10^9");
  replace_all(expr, "trillion", "*10^12");
  for (auto unit : kPrmUnits) prm_remove_unit(expr, unit);
  prm_remove_circ(expr);
  if (!expr.empty() && expr[0] == '{' && expr.back() == '}') expr = expr.substr(1, expr.size() - 2);
  // re.sub(",\\\\! *", "", expr)
  {
    std::string out;
    size_t i = 0;
    while (true) {
      size_t p = expr.find(",\\!", i);
      if (p == std::string::npos) break;
      out.append(expr, i, p - i);
      i = p + 3;
      while (i < expr.size() && expr[i] == ' ') ++i;
    }
    out.append(expr, i, std::string::npos);
    expr.swap(out);
  }
  if (auto f = py_float(expr); f && is_int_float(*f)) expr = py_int_of_double(std::nearbyint(*f));
  if (expr.find('\\') != std::string::npos) expr = parse_latex(expr);
  // re.sub("- *", "-", expr)
  {
    std::string out;
    for (size_t i = 0; i < expr.size(); ++i) {
      out.push_back(expr[i]);
      if (expr[i] == '-')
        while (i + 1 < expr.size() && expr[i + 1] == ' ') ++i;
    }
    expr.swap(out);
  }
  inject_mixed_number(expr);
  replace_all(expr, " ", "");
  replace_all(expr, "{", "");
  replace_all(expr, "}", "");
  expr = py_lower(expr);
  if (str_is_int(expr)) expr = str_to_int(expr);
  return expr;
}

bool paper_grade_answer(std::string_view given, std::string_view truth) {
  if (hendrycks_normalize(truth) == hendrycks_normalize(given)) return true;
  std::string t = prm_normalize(truth), g = prm_normalize(given);
  if (t == g) return true;
  if (g.empty()) return false;
  auto te = split_tuple(t), ge = split_tuple(g);
  // QUIRK: brackets must match -- a tuple/interval label needs the same first and last character.
  if (te.size() > 1 && (t[0] != g[0] || t.back() != g.back())) return false;
  if (te.size() != ge.size()) return false;
  for (size_t k = 0; k < te.size(); ++k) {
    bool ok;
    if (is_frac(te[k]) && is_frac(ge[k])) {
      ok = te[k] == ge[k];  // QUIRK: unreduced fractions must match literally
    } else if (str_is_int(te[k]) != str_is_int(ge[k])) {
      ok = false;  // QUIRK: an integer label needs an integer answer
    } else {
      ok = equal_under_evaluator(te[k], ge[k]);
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace rlvr::rewards
