#include "rewards/strict_grade.h"

#include <algorithm>
#include <array>
#include <vector>

#include "rewards/expr.h"
#include "rewards/paper_extract.h"
#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

// Approximate values this close (relative) are equal; this far apart are different; in between
// the grader is unsure. Long double carries ~19 digits, so 1e-12 leaves room for rounding.
constexpr long double kRelEqual = 1e-12L;
constexpr long double kRelDistinct = 1e-9L;
// With variables, equality must hold at this many sample points where both sides are defined.
constexpr int kMinEqualPoints = 3;
// Tuples of tuples and so on: deeper structure is not parsed (an element stays a scalar).
constexpr int kMaxStructDepth = 4;
// Sets and lists larger than this are not matched element by element (unsure).
constexpr size_t kMaxCollection = 64;

StrictVerdict combine(StrictVerdict a, StrictVerdict b) {
  if (a == StrictVerdict::wrong || b == StrictVerdict::wrong) return StrictVerdict::wrong;
  if (a == StrictVerdict::unsure || b == StrictVerdict::unsure) return StrictVerdict::unsure;
  return StrictVerdict::correct;
}

void erase_all(std::string& s, std::string_view what) { replace_all(s, what, ""); }

std::string trim(std::string_view s) { return std::string(py_strip(s)); }

// Index of the brace closing the one at `open` (s[open] == '{'), or npos.
size_t match_brace(std::string_view s, size_t open) {
  int depth = 0;
  for (size_t i = open; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) { ++i; continue; }
    if (s[i] == '{') ++depth;
    else if (s[i] == '}' && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// The argument of a text-like macro when the whole string is \text{X} (or \textbf, \mathrm, ...).
bool unwrap_text_macro(std::string& s) {
  static constexpr std::array kMacros = {"\\text{", "\\textbf{", "\\mathrm{", "\\textrm{", "\\mbox{",
                                         "\\mathbf{", "\\textit{", "\\boxed{"};
  for (auto m : kMacros) {
    std::string_view mv = m;
    if (starts_with(s, mv) && match_brace(s, mv.size() - 1) == s.size() - 1) {
      s = trim(std::string_view(s).substr(mv.size(), s.size() - mv.size() - 1));
      return true;
    }
  }
  return false;
}

bool unit_like(std::string_view t) {
  bool letter = false;
  for (char c : t) {
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') letter = true;
    else if (!(c == ' ' || c == '^' || c == '.' || c == '/' || c == '-' || (c >= '0' && c <= '9'))) return false;
  }
  return letter;
}

// Trailing units, degree signs and percent signs. Returns true when something was removed.
bool strip_suffix_units(std::string& s, bool& pct) {
  static constexpr std::array kDegree = {"^{\\circ}", "^\\circ", "\\circ", "°", "^{\\degree}", "\\degree"};
  static constexpr std::array kWords = {
      "square units", "sq units", "units", "unit", "cm^2", "cm^3", "m^2", "m^3", "cm", "mm", "km",
      "meters", "meter", "inches", "inch", "feet", "foot", "ft", "degrees", "degree", "dollars",
      "dollar", "cents", "cent", "hours", "hour", "minutes", "minute", "seconds", "second", "days",
      "mph", "miles", "mile", "yards", "kg", "grams", "pounds", "liters", "people", "ways"};
  std::string t = trim(s);
  if (ends_with(t, "\\%")) { s = trim(t.substr(0, t.size() - 2)); pct = true; return true; }
  if (ends_with(t, "%")) { s = trim(t.substr(0, t.size() - 1)); pct = true; return true; }
  for (auto d : kDegree) {
    if (ends_with(t, d) && t.size() > std::string_view(d).size()) {
      s = trim(t.substr(0, t.size() - std::string_view(d).size()));
      return true;
    }
  }
  // "\text{ cm}^2": drop the power of a unit together with the unit.
  for (std::string_view pw : {"^2", "^3", "^{2}", "^{3}"}) {
    if (!ends_with(t, pw) || t.size() <= pw.size() || t[t.size() - pw.size() - 1] != '}') continue;
    std::string u = t.substr(0, t.size() - pw.size());
    bool dummy = false;
    std::string before = u;
    if (strip_suffix_units(u, dummy) && u != before && !dummy) {
      s = u;
      return true;
    }
  }
  if (!t.empty() && t.back() == '}') {
    // The group that closes at the end: is it \text{unit}?
    int depth = 0;
    size_t open = std::string::npos;
    for (size_t i = t.size(); i-- > 0;) {
      if (t[i] == '}') ++depth;
      else if (t[i] == '{' && --depth == 0) { open = i; break; }
    }
    if (open != std::string::npos) {
      static constexpr std::array kTextMacros = {"\\text", "\\mbox", "\\mathrm", "\\textrm", "\\textnormal"};
      for (auto m : kTextMacros) {
        std::string_view mv = m;
        if (open >= mv.size() && std::string_view(t).substr(open - mv.size(), mv.size()) == mv) {
          size_t start = open - mv.size();
          std::string_view content = std::string_view(t).substr(open + 1, t.size() - open - 2);
          if (start > 0 && unit_like(content) && !trim(t.substr(0, start)).empty()) {
            s = trim(t.substr(0, start));
            return true;
          }
        }
      }
    }
  }
  for (auto w : kWords) {
    std::string_view wv = w;
    if (!ends_with(t, wv) || t.size() == wv.size()) continue;
    char before = t[t.size() - wv.size() - 1];
    if (before == ' ' || (before >= '0' && before <= '9') || before == '}' || before == ')') {
      s = trim(t.substr(0, t.size() - wv.size()));
      return true;
    }
  }
  return false;
}

// Drops spacing macros (\, \; \: \! "\ " \quad \qquad ~ \displaystyle), leaving "\\" alone.
void erase_spacing(std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '~') continue;
    if (c != '\\' || i + 1 >= s.size()) { out.push_back(c); continue; }
    char d = s[i + 1];
    if (d == '\\') { out += "\\\\"; ++i; continue; }
    if (d == ',' || d == ';' || d == ':' || d == '!' || d == ' ') { ++i; continue; }
    bool dropped = false;
    for (std::string_view m : {"qquad", "quad", "displaystyle", "textstyle"}) {
      if (s.compare(i + 1, m.size(), m) == 0 &&
          (i + 1 + m.size() >= s.size() || !((s[i + 1 + m.size()] | 0x20) >= 'a' && (s[i + 1 + m.size()] | 0x20) <= 'z'))) {
        i += m.size();
        dropped = true;
        break;
      }
    }
    if (!dropped) out.push_back(c);
  }
  s.swap(out);
}

struct Surface {
  std::string text;
  bool pct = false;
};

Surface normalize_surface(std::string_view in) {
  Surface r;
  std::string s(in);
  erase_all(s, "\\$");
  erase_all(s, "$");
  erase_spacing(s);
  for (auto lr : {"\\left.", "\\right.", "\\left", "\\right", "\\bigl", "\\bigr", "\\Bigl", "\\Bigr", "\\big", "\\Big"})
    erase_all(s, lr);
  replace_all(s, "\\dfrac", "\\frac");
  replace_all(s, "\\tfrac", "\\frac");
  replace_all(s, "{,}", ",");
  replace_all(s, "\\le ", "\\le");
  replace_all(s, "\n", " ");
  s = trim(s);
  for (int guard = 0; guard < 8; ++guard) {
    bool changed = false;
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) { s.pop_back(); changed = true; }
    changed |= unwrap_text_macro(s);
    changed |= strip_suffix_units(s, r.pct);
    if (!changed) break;
  }
  r.text = s;
  return r;
}

struct Item {
  enum Kind : uint8_t { scalar, tuple, collection, matrix, union_, equation, infinity, letter };
  Kind kind = scalar;
  std::string text;
  bool pct = false;
  char open = 0, close = 0;
  size_t rows = 0, cols = 0;
  int sign = 1;
  std::vector<Item> elems;
};

// Splits at top-level occurrences of `sep` (outside (), [], {} and \{ \}).
std::vector<std::string> split_top(std::string_view s, std::string_view sep) {
  std::vector<std::string> parts;
  int depth = 0;
  size_t last = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      if (i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) {
        depth += s[i + 1] == '{' ? 1 : -1;
        ++i;
        continue;
      }
      if (depth == 0 && s.substr(i, sep.size()) == sep) {
        parts.emplace_back(s.substr(last, i - last));
        last = i + sep.size();
        i = last - 1;
      }
      continue;
    }
    if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') --depth;
    else if (depth == 0 && s.substr(i, sep.size()) == sep) {
      parts.emplace_back(s.substr(last, i - last));
      last = i + sep.size();
      i = last - 1;
    }
  }
  parts.emplace_back(s.substr(last));
  return parts;
}

// The bracket at 0 closes exactly at the end ("(1,2]" yes, "(1)+(2)" no).
bool outer_brackets(std::string_view s) {
  if (s.size() < 2 || (s[0] != '(' && s[0] != '[') || (s.back() != ')' && s.back() != ']')) return false;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') {
      if (--depth == 0 && i + 1 != s.size()) return false;
    }
  }
  return depth == 0;
}

bool is_thousands(std::string_view s) {
  // -?\d{1,3}(,\d{3})+(\.\d+)?
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t d = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == d || i - d > 3) return false;
  int groups = 0;
  while (i < s.size() && s[i] == ',') {
    size_t g = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i - g != 3) return false;
    ++groups;
  }
  if (i < s.size() && s[i] == '.') {
    size_t f = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == f) return false;
  }
  return groups > 0 && i == s.size();
}

bool is_var_name(std::string_view s) {
  std::string t(s);
  erase_all(t, " ");
  size_t u = t.find('_');
  if (u != std::string::npos) t = t.substr(0, u);
  if (t.size() == 1) return (t[0] | 0x20) >= 'a' && (t[0] | 0x20) <= 'z';
  if (t.size() > 1 && t[0] == '\\') {
    for (size_t k = 1; k < t.size(); ++k)
      if ((t[k] | 0x20) < 'a' || (t[k] | 0x20) > 'z') return false;
    return t != "\\pi" && t != "\\infty";
  }
  return false;
}

Item parse_item(std::string_view in, int depth) {
  Surface sf = normalize_surface(in);
  Item it;
  it.pct = sf.pct;
  std::string s = sf.text;
  it.text = s;
  if (depth > kMaxStructDepth || s.empty()) return it;
  {
    std::string t = s;
    erase_all(t, " ");
    if (t == "\\infty" || t == "+\\infty" || t == "∞" || t == "+∞" || t == "-\\infty" || t == "-∞") {
      it.kind = Item::infinity;
      it.sign = t[0] == '-' ? -1 : 1;
      return it;
    }
    // Multiple-choice letters: "C", "(C)", "C)".
    std::string_view v = t;
    if (!v.empty() && v[0] == '(') v.remove_prefix(1);
    if (!v.empty() && v.back() == ')') v.remove_suffix(1);
    if (v.size() == 1 && v[0] >= 'A' && v[0] <= 'E') {
      it.kind = Item::letter;
      it.text = std::string(v);
      return it;
    }
  }
  for (auto env : {"pmatrix", "bmatrix", "matrix", "vmatrix"}) {
    std::string b = std::string("\\begin{") + env + "}", e = std::string("\\end{") + env + "}";
    if (starts_with(s, b) && ends_with(s, e)) {
      std::string body = s.substr(b.size(), s.size() - b.size() - e.size());
      it.kind = Item::matrix;
      for (auto& row : split_top(body, "\\\\")) {
        if (trim(row).empty()) continue;
        auto cells = split_top(row, "&");
        if (it.rows == 0) it.cols = cells.size();
        if (cells.size() != it.cols) { it.kind = Item::scalar; return it; }
        for (auto& c : cells) it.elems.push_back(parse_item(c, depth + 1));
        ++it.rows;
      }
      return it;
    }
  }
  if (auto parts = split_top(s, "\\cup"); parts.size() > 1) {
    it.kind = Item::union_;
    for (auto& p : parts) it.elems.push_back(parse_item(p, depth + 1));
    return it;
  }
  if (starts_with(s, "\\{") && ends_with(s, "\\}")) {
    it.kind = Item::collection;
    for (auto& p : split_top(std::string_view(s).substr(2, s.size() - 4), ","))
      if (!trim(p).empty()) it.elems.push_back(parse_item(p, depth + 1));
    return it;
  }
  if (outer_brackets(s)) {
    auto parts = split_top(std::string_view(s).substr(1, s.size() - 2), ",");
    if (parts.size() > 1) {
      it.kind = Item::tuple;
      it.open = s[0], it.close = s.back();
      for (auto& p : parts) it.elems.push_back(parse_item(p, depth + 1));
      return it;
    }
  }
  {
    std::string t = s;
    erase_all(t, " ");
    if (is_thousands(t)) {
      erase_all(t, ",");
      it.text = t;
      return it;
    }
  }
  if (auto parts = split_top(s, ","); parts.size() > 1) {
    it.kind = Item::collection;
    for (auto& p : parts) it.elems.push_back(parse_item(p, depth + 1));
    return it;
  }
  if (auto parts = split_top(s, "="); parts.size() == 2) {
    it.kind = Item::equation;
    it.elems.push_back(parse_item(parts[0], depth + 1));
    it.elems.push_back(parse_item(parts[1], depth + 1));
    return it;
  }
  return it;
}

// A run of 3+ letters that is not a macro name: prose, not math.
bool texty(std::string_view s) {
  int run = 0;
  bool in_macro = false;
  for (char c : s) {
    bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c == '\\') { in_macro = true; run = 0; continue; }
    if (!letter) { in_macro = false; run = 0; continue; }
    if (in_macro) continue;
    if (++run >= 3) return true;
  }
  return false;
}

// Spaces only: braces carry meaning in LaTeX (\frac{1}{2}3 is not \frac{12}{3}).
std::string squash(std::string_view s) {
  std::string t(s);
  erase_all(t, " ");
  return t;
}

// Prose: without \text-like wrappers, braces and spaces, case-folded.
std::string squash_text(std::string_view s) {
  std::string t(s);
  for (auto m : {"\\textbf", "\\textit", "\\text", "\\mathrm", "\\mbox", " ", "{", "}"}) erase_all(t, m);
  return py_lower(t);
}

bool parse_latex(std::string_view s, Expr& e) {
  ParseOptions opt;
  opt.syntax = Syntax::latex;
  opt.e_is_euler = true;
  opt.domain = Domain::real;
  return expr_parse(s, opt, e);
}

struct PointCounts {
  int equal = 0, distinct = 0, unknown = 0;
};

StrictVerdict verdict_of(const PointCounts& c, int npts) {
  if (c.distinct > 0) return StrictVerdict::wrong;
  int need = npts == 1 ? 1 : kMinEqualPoints;
  return c.equal >= need ? StrictVerdict::correct : StrictVerdict::unsure;
}

// Decimals with at least this many fractional digits look like rounded values.
constexpr i128 kRoundedDecimalDen = 100000;

bool rounded_decimal(const Num& exact, const Num& approx) {
  return exact.kind == Num::exact && approx.kind == Num::approx && exact.q.d % kRoundedDecimalDen == 0;
}

StrictVerdict cmp_latex(std::string_view g, std::string_view a) {
  if (squash(g) == squash(a)) return StrictVerdict::correct;
  bool tg = texty(g), ta = texty(a);
  if (tg || ta) {
    if (tg && ta) return squash_text(g) == squash_text(a) ? StrictVerdict::correct : StrictVerdict::wrong;
    return StrictVerdict::unsure;
  }
  Expr eg, ea;
  if (!parse_latex(g, eg) || !parse_latex(a, ea)) return StrictVerdict::unsure;
  std::vector<Num> vg, va;
  if (!expr_sample(eg, ea, Domain::real, 2, vg, va)) return StrictVerdict::unsure;
  PointCounts c;
  for (size_t p = 0; p < vg.size(); ++p) {
    Cmp r = num_compare(vg[p], va[p], kRelEqual, kRelDistinct);
    // A long decimal that merely rounds an irrational value (0.7071067811865476 vs \sqrt2/2) is
    // not shown equal: closeness is all an approximation can tell.
    if (r == Cmp::equal && (rounded_decimal(vg[p], va[p]) || rounded_decimal(va[p], vg[p]))) r = Cmp::unknown;
    switch (r) {
      case Cmp::equal: ++c.equal; break;
      case Cmp::not_equal: ++c.distinct; break;
      case Cmp::unknown: ++c.unknown; break;
    }
  }
  return verdict_of(c, static_cast<int>(vg.size()));
}

StrictVerdict cmp_scalar(const Item& g, const Item& a) {
  if (a.text.empty()) return StrictVerdict::wrong;
  if (!g.pct && !a.pct) return cmp_latex(g.text, a.text);
  // Percent is read both as a unit that may be dropped and as a factor 1/100: 10\% matches 10
  // and 0.1.
  auto scaled = [](const Item& x) { return x.pct ? "\\frac{" + x.text + "}{100}" : x.text; };
  StrictVerdict unit = cmp_latex(g.text, a.text);
  if (unit == StrictVerdict::correct) return unit;
  StrictVerdict fac = cmp_latex(scaled(g), scaled(a));
  if (fac == StrictVerdict::correct) return fac;
  return unit == StrictVerdict::wrong && fac == StrictVerdict::wrong ? StrictVerdict::wrong : StrictVerdict::unsure;
}

StrictVerdict cmp_item(const Item& g, const Item& a);

// Equations may have one variable more than scalars: MATH's planes and lines in space are
// equations in x, y and z (Ax + By + Cz + D = 0).
constexpr int kEquationMaxVars = 3;

// The same two sides as text, either way round: equal whatever they mean, even where sampling
// cannot decide (too many variables, a macro the parser does not know).
bool same_equation_text(const Item& g, const Item& a) {
  std::string gl = squash(g.elems[0].text), gr = squash(g.elems[1].text);
  std::string al = squash(a.elems[0].text), ar = squash(a.elems[1].text);
  return (gl == al && gr == ar) || (gl == ar && gr == al);
}

// Both sides are equations: the same up to a non-zero factor (lhs - rhs proportional).
StrictVerdict cmp_equations(const Item& g, const Item& a) {
  if (same_equation_text(g, a)) return StrictVerdict::correct;
  auto diff = [](const Item& eq) { return "(" + eq.elems[0].text + ")-(" + eq.elems[1].text + ")"; };
  Expr eg, ea;
  if (!parse_latex(diff(g), eg) || !parse_latex(diff(a), ea)) return StrictVerdict::unsure;
  std::vector<Num> vg, va;
  if (!expr_sample(eg, ea, Domain::real, kEquationMaxVars, vg, va)) return StrictVerdict::unsure;
  // Find a point where the answer side is defined and clearly non-zero: the ratio there.
  Num ratio = num_undef();
  for (size_t p = 0; p < vg.size() && ratio.kind == Num::undef; ++p) {
    if (vg[p].kind == Num::undef || va[p].kind == Num::undef) continue;
    if (num_compare(va[p], num_int(0), kRelEqual, kRelDistinct) != Cmp::not_equal) continue;
    ratio = num_div(vg[p], va[p], Domain::real);
  }
  if (ratio.kind == Num::undef) return StrictVerdict::unsure;
  if (num_compare(ratio, num_int(0), kRelEqual, kRelDistinct) == Cmp::equal) return StrictVerdict::wrong;
  PointCounts c;
  for (size_t p = 0; p < vg.size(); ++p) {
    switch (num_compare(vg[p], num_mul(ratio, va[p], Domain::real), kRelEqual, kRelDistinct)) {
      case Cmp::equal: ++c.equal; break;
      case Cmp::not_equal: ++c.distinct; break;
      case Cmp::unknown: ++c.unknown; break;
    }
  }
  return verdict_of(c, static_cast<int>(vg.size()));
}

// Unordered comparison: a perfect matching of Correct pairs, or of Correct/Unsure pairs.
StrictVerdict cmp_unordered(const std::vector<Item>& g, const std::vector<Item>& a) {
  if (g.size() != a.size()) return StrictVerdict::wrong;
  size_t n = g.size();
  if (n > kMaxCollection) return StrictVerdict::unsure;
  std::vector<std::vector<StrictVerdict>> m(n, std::vector<StrictVerdict>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) m[i][j] = cmp_item(g[i], a[j]);
  // Kuhn's augmenting paths; recursion depth is at most n <= kMaxCollection.
  std::vector<int> owner(n);
  std::vector<char> seen(n);
  bool allow_unsure = false;
  auto ok = [&](size_t i, size_t j) {
    return m[i][j] == StrictVerdict::correct || (allow_unsure && m[i][j] == StrictVerdict::unsure);
  };
  auto augment = [&](auto&& self, size_t i) -> bool {
    for (size_t j = 0; j < n; ++j) {
      if (!ok(i, j) || seen[j]) continue;
      seen[j] = 1;
      if (owner[j] < 0 || self(self, static_cast<size_t>(owner[j]))) {
        owner[j] = static_cast<int>(i);
        return true;
      }
    }
    return false;
  };
  auto perfect = [&](bool unsure) {
    allow_unsure = unsure;
    std::fill(owner.begin(), owner.end(), -1);
    for (size_t i = 0; i < n; ++i) {
      std::fill(seen.begin(), seen.end(), 0);
      if (!augment(augment, i)) return false;
    }
    return true;
  };
  if (perfect(false)) return StrictVerdict::correct;
  return perfect(true) ? StrictVerdict::unsure : StrictVerdict::wrong;
}

StrictVerdict cmp_item(const Item& g, const Item& a) {
  if (a.kind == Item::scalar && a.text.empty()) return StrictVerdict::wrong;
  switch (g.kind) {
    case Item::letter:
      return a.kind == Item::letter && a.text == g.text ? StrictVerdict::correct : StrictVerdict::wrong;
    case Item::infinity:
      return a.kind == Item::infinity && a.sign == g.sign ? StrictVerdict::correct : StrictVerdict::wrong;
    case Item::equation:
      if (a.kind == Item::equation) return cmp_equations(g, a);
      // "x = 3" against "3": the right side, when the left side is a variable.
      if (is_var_name(g.elems[0].text)) return cmp_item(g.elems[1], a);
      return StrictVerdict::wrong;
    default:
      break;
  }
  if (a.kind == Item::equation && g.kind != Item::equation) {
    if (is_var_name(a.elems[0].text)) return cmp_item(g, a.elems[1]);
    return StrictVerdict::wrong;
  }
  if (a.kind != g.kind) {
    // A one-element set against its element, e.g. \{3\} vs 3, stays wrong: different objects.
    return StrictVerdict::wrong;
  }
  switch (g.kind) {
    case Item::scalar:
      return cmp_scalar(g, a);
    case Item::tuple: {
      if (g.open != a.open || g.close != a.close || g.elems.size() != a.elems.size()) return StrictVerdict::wrong;
      StrictVerdict v = StrictVerdict::correct;
      for (size_t k = 0; k < g.elems.size(); ++k) v = combine(v, cmp_item(g.elems[k], a.elems[k]));
      return v;
    }
    case Item::matrix: {
      if (g.rows != a.rows || g.cols != a.cols) return StrictVerdict::wrong;
      StrictVerdict v = StrictVerdict::correct;
      for (size_t k = 0; k < g.elems.size(); ++k) v = combine(v, cmp_item(g.elems[k], a.elems[k]));
      return v;
    }
    case Item::collection:
    case Item::union_:
      return cmp_unordered(g.elems, a.elems);
    default:
      return StrictVerdict::unsure;
  }
}

}  // namespace


std::optional<std::string> strict_extract(std::string_view s) {
  // One forward pass: each "\boxed{" / "\fbox{" remembers the depth it opened at; the box that
  // STARTS last among those that close wins. Linear, so a huge or deeply nested response is cheap.
  struct Open { size_t content; long depth; };
  std::vector<Open> open;
  long depth = 0;
  size_t best_start = std::string_view::npos, best_b = 0, best_e = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      size_t len = 0;
      if (s.compare(i, 6, "\\boxed") == 0) len = 6;
      else if (s.compare(i, 5, "\\fbox") == 0) len = 5;
      if (len) {  // "\boxed{" or "\boxed {"
        while (i + len < s.size() && s[i + len] == ' ') ++len;
        if (i + len < s.size() && s[i + len] == '{') ++len;
        else len = 0;
      }
      if (len) {
        open.push_back({i + len, depth});
        ++depth;
        i += len - 1;
        continue;
      }
      if (i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) { ++i; continue; }
      continue;
    }
    if (c == '{') {
      ++depth;
    } else if (c == '}') {
      --depth;
      if (!open.empty() && open.back().depth == depth) {
        size_t b = open.back().content;
        size_t start = b;
        if (best_start == std::string_view::npos || start > best_start) best_start = start, best_b = b, best_e = i;
        open.pop_back();
      }
      while (!open.empty() && open.back().depth > depth) open.pop_back();
    }
  }
  if (best_start == std::string_view::npos) return std::nullopt;
  return trim(s.substr(best_b, best_e - best_b));
}

StrictVerdict strict_equivalent(std::string_view answer, std::string_view gold) {
  if (answer.size() > kMaxAnswerBytes || gold.size() > kMaxAnswerBytes) return StrictVerdict::wrong;
  Item g = parse_item(gold, 0);
  Item a = parse_item(answer, 0);
  return cmp_item(g, a);
}

}  // namespace rlvr::rewards
