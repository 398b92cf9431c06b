// The paper's strip_string (Qwen2.5-Math parser, skip_unit=False), re-implemented from its
// documented behaviour: each regular expression is a hand-written scan with the same leftmost,
// non-overlapping semantics; quirks are kept on purpose and named QUIRK in comments.
#include "rewards/paper_strip.h"

#include <array>
#include <bitset>
#include <tuple>
#include <vector>

#include "rewards/paper_fix.h"
#include "rewards/pytext.h"
#include "rewards/paper_word_number.h"

namespace rlvr::rewards {

namespace {

// unit_texts of the parser ("units mainly from MathQA"), in its order; then each with "s"
// appended. '.' in them is a regex wildcard (any character but a newline), kept as such.
constexpr std::array kUnitTexts = {
    "east", "degree", "mph", "kmph", "ft", "m sqaure", " m east", "sq m", "deg", "mile", "q .",
    "monkey", "prime", "ratio", "profit of rs", "rd", "o", "gm", "p . m", "lb", "tile", "per", "dm",
    "lt", "gain", "ab", "way", "west", "a .", "b .", "c .", "d .", "e .", "f .", "g .", "h .", "t",
    "a", "h", "no change", "men", "soldier", "pie", "bc", "excess", "st", "inches", "noon",
    "percent", "by", "gal", "kmh", "c", "acre", "rise", "a . m", "th", "π r 2", "sq", "mark", "l",
    "toy", "coin", "sq . m", "gallon", "° f", "profit", "minw", "yr", "women", "feet", "am", "pm",
    "hr", "cu cm", "square", "v â € ™", "are", "rupee", "rounds", "cubic", "cc", "mtr", "s", "ohm",
    "number", "kmph", "day", "hour", "minute", "min", "second", "man", "woman", "sec", "cube", "mt",
    "sq inch", "mp", "∏ cm ³", "hectare", "more", "sec", "unit", "cu . m", "cm 2", "rs .", "rs",
    "kg", "g", "month", "km", "m", "cm", "mm", "apple", "liter", "loss", "yard", "pure", "year",
    "increase", "decrease", "d", "less", "Surface", "litre", "pi sq m", "s .", "metre", "meter",
    "inch"};

const std::vector<std::u32string>& units() {
  static const std::vector<std::u32string> all = [] {
    std::vector<std::u32string> v;
    for (auto u : kUnitTexts) v.push_back(u8_decode(u));
    size_t n = v.size();
    for (size_t k = 0; k < n; ++k) v.push_back(v[k] + U"s");
    return v;
  }();
  return all;
}

bool unit_at(const std::u32string& s, size_t p, const std::u32string& unit) {
  if (p + unit.size() > s.size()) return false;
  for (size_t k = 0; k < unit.size(); ++k) {
    char32_t u = unit[k], c = s[p + k];
    if (u == '.' ? c == '\n' : u != c) return false;
  }
  return true;
}

// re.sub(r"(^|\W)" + unit + r"($|\W)", r"\1\2", s): the unit goes, its delimiters stay.
// QUIRK: a delimiter consumed by one match cannot start the next, so "a a" -> " a".
bool remove_unit(const std::u32string& s, const std::u32string& unit, std::u32string& out) {
  out.clear();
  size_t last = 0, i = 0, n = s.size();
  bool any = false;
  while (i < n) {
    size_t start = std::u32string::npos, end = 0;
    // Alternative 1: ^ (only at 0), unit at 0. Alternative 2: \W at i, unit at i+1.
    for (int alt = 0; alt < 2 && start == std::u32string::npos; ++alt) {
      size_t u;
      if (alt == 0) {
        if (i != 0) continue;
        u = 0;
      } else {
        if (py_is_word(s[i])) continue;
        u = i + 1;
      }
      if (!unit_at(s, u, unit)) continue;
      size_t e = u + unit.size();
      if (e == n) { start = i, end = e; }
      else if (!py_is_word(s[e])) { start = i, end = e + 1; }
      if (start != std::u32string::npos) {
        out.append(s, last, i - last);
        if (alt == 1) out.push_back(s[i]);
        if (end == e + 1) out.push_back(s[e]);
      }
    }
    if (start != std::u32string::npos) {
      any = true;
      last = i = end;
    } else {
      ++i;
    }
  }
  if (!any) return false;
  out.append(s, last, std::u32string::npos);
  return true;
}

void remove_units(std::string& s) {
  std::u32string cur = u8_decode(s), tmp;
  // Characters present, so that most of the ~300 patterns are skipped without a scan.
  auto presence = [](const std::u32string& v) {
    std::bitset<128> b;
    bool high = false;
    for (char32_t c : v) {
      if (c < 128) b.set(c);
      else high = true;
    }
    return std::pair{b, high};
  };
  auto [present, high] = presence(cur);
  bool changed = false;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& unit : units()) {
      char32_t f = unit[0];
      if (f < 128 ? !present.test(f) : !high) continue;
      if (!remove_unit(cur, unit, tmp)) continue;
      // QUIRK: a removal that would leave "" is not applied.
      if (tmp.empty()) continue;
      cur.swap(tmp);
      changed = true;
      std::tie(present, high) = presence(cur);
    }
  }
  if (changed) s = u8_encode(cur);
}

// re.sub(r"<open>(.*?)<close>", keep ? r"\1" : "", s): the lazy group stops at the first close
// brace; '.' does not match a newline.
void sub_lazy_group(std::string& s, std::string_view open, bool keep) {
  if (s.find(open) == std::string::npos) return;
  std::string out;
  size_t i = 0;
  while (true) {
    size_t p = s.find(open, i);
    if (p == std::string::npos) break;
    size_t q = p + open.size();
    size_t close = s.find('}', q);
    size_t nl = s.find('\n', q);
    if (close == std::string::npos || (nl != std::string::npos && nl < close)) {
      out.append(s, i, p + 1 - i);  // no match here: move on by one character
      i = p + 1;
      continue;
    }
    out.append(s, i, p - i);
    if (keep) out.append(s, q, close - q);
    i = close + 1;
  }
  out.append(s, i, std::string::npos);
  s.swap(out);
}

// re.sub(r"\\text{.*?}$", "", s): from the FIRST "\text{" whose rest of string ends in "}".
std::string remove_trailing_text(const std::string& s) {
  if (s.empty() || s.back() != '}') return s;
  size_t p = s.find("\\text{");
  if (p == std::string::npos) return s;
  // '.' does not cross newlines (there are none left here, strip_string removed them).
  if (s.find('\n', p) != std::string::npos) return s;
  return s.substr(0, p);
}

// (\d+)\.0*([^\d]) -> \1\2, then (\d+)\.0*$ -> \1.
void drop_zero_decimals(std::string& s) {
  std::string out;
  size_t i = 0, n = s.size(), nx;
  bool any = false;
  while (i < n) {
    size_t j = i;
    while (py_digit_at(s, j, nx)) j = nx;
    if (j > i && j < n && s[j] == '.') {
      size_t k = j + 1;
      while (k < n && s[k] == '0') ++k;
      if (k < n && !py_digit_at(s, k, nx)) {
        out.append(s, i, j - i);
        size_t e = k;
        u8_next(s, e);
        out.append(s, k, e - k);
        i = e;
        any = true;
        continue;
      }
    }
    if (j > i) {
      out.append(s, i, j - i);
      i = j;
    } else {
      size_t e = i;
      u8_next(s, e);
      out.append(s, i, e - i);
      i = e;
    }
  }
  if (any) s.swap(out);
  // Second pattern: only a final digit run + "." + zeros can match.
  size_t k = s.size();
  while (k > 0 && s[k - 1] == '0') --k;
  if (k > 0 && s[k - 1] == '.' && k >= 2) {
    size_t d = k - 1;
    // a digit right before the dot (any Unicode Nd; ASCII check covers the usual case)
    size_t b = d;
    while (b > 0 && (static_cast<unsigned char>(s[b - 1]) & 0xC0) == 0x80) --b;
    if (b > 0) --b;
    size_t e;
    if (py_digit_at(s, b, e) && e == d) s.erase(d);
  }
}

// Qwen's _fix_a_slash_b: a/b -> \frac{a}{b} for integers (or pieces containing "sqrt").
void fix_a_slash_b_qwen(std::string& s) {
  auto parts = split(s, "/");
  if (parts.size() != 2) return;
  bool a_ok = contains(parts[0], "sqrt") || canonical_int(parts[0]);
  bool b_ok = contains(parts[1], "sqrt") || canonical_int(parts[1]);
  if (a_ok && b_ok) s = "\\frac{" + std::string(parts[0]) + "}{" + std::string(parts[1]) + "}";
}

// re.sub(r"\\sqrt(\w+)", r"\\sqrt{\1}", s)
void fix_sqrt_qwen(std::string& s) {
  if (s.find("\\sqrt") == std::string::npos) return;
  std::string out;
  size_t i = 0;
  while (true) {
    size_t p = s.find("\\sqrt", i);
    if (p == std::string::npos) break;
    size_t q = p + 5, e = q;
    while (e < s.size()) {
      size_t n = e;
      if (!py_is_word(u8_next(s, n))) break;
      e = n;
    }
    out.append(s, i, q - i);
    if (e > q) out += "{" + s.substr(q, e - q) + "}";
    i = e;
  }
  out.append(s, i, std::string::npos);
  s.swap(out);
}

}  // namespace

std::string qwen_strip_string(std::string_view in) {
  std::string s(py_strip(in));
  replace_all(s, "\n", "");
  s = std::string(py_rstrip_chars(s, "."));
  replace_all(s, "\\!", "");
  // matrix: \begin{array}{...} -> \begin{pmatrix}, \end{array} -> \end{pmatrix}
  constexpr std::string_view kArrayBegin = "\\begin{array}{";  // its column spec runs to the next '}'
  if (s.find(kArrayBegin) != std::string::npos) {
    std::string out;
    size_t i = 0;
    while (true) {
      size_t p = s.find(kArrayBegin, i);
      if (p == std::string::npos) break;
      size_t close = s.find('}', p + kArrayBegin.size());
      if (close == std::string::npos) { out.append(s, i, p + 1 - i); i = p + 1; continue; }
      out.append(s, i, p - i);
      out += "\\begin{pmatrix}";
      i = close + 1;
    }
    out.append(s, i, std::string::npos);
    s.swap(out);
  }
  replace_all(s, "\\end{array}", "\\end{pmatrix}");
  replace_all(s, "bmatrix", "pmatrix");
  replace_all(s, "tfrac", "frac");
  replace_all(s, "dfrac", "frac");
  replace_all(s, "\\neq", "\\ne");
  replace_all(s, "\\leq", "\\le");
  replace_all(s, "\\geq", "\\ge");
  replace_all(s, "\\left", "");
  replace_all(s, "\\right", "");
  replace_all(s, "\\{", "{");
  replace_all(s, "\\}", "}");
  // Remove a trailing \text{...} unit, unless nothing would be left.
  {
    std::string t(py_strip(remove_trailing_text(s)));
    if (!t.empty() && t != s) s = t;
  }
  remove_units(s);
  replace_all(s, "^{\\circ}", "");
  replace_all(s, "^\\circ", "");
  replace_all(s, "\\$", "");
  replace_all(s, "$", "");
  replace_all(s, "\\(", "");
  replace_all(s, "\\)", "");
  s = qwen_convert_word_number(s);
  sub_lazy_group(s, "\\text{", true);
  for (auto key : {"x=", "y=", "z=", "x\\in", "y\\in", "z\\in", "x\\to", "y\\to", "z\\to"}) replace_all(s, key, "");
  replace_all(s, "\\emptyset", "{}");
  replace_all(s, "(-\\infty,\\infty)", "\\mathbb{R}");
  replace_all(s, "\\%", "");
  replace_all(s, "%", "");
  replace_all(s, " .", " 0.");
  replace_all(s, "{.", "{0.");
  // QUIRK: the reference's "strip enclosing {}/()/[] from alphanumeric strings" needs
  // str.isalnum() of a string that starts with a bracket, which is never true: a no-op.
  replace_all(s, "infinity", "\\infty");
  if (s.find("\\infty") == std::string::npos) replace_all(s, "inf", "\\infty");
  replace_all(s, "+\\inity", "\\infty");
  // QUIRK: every "and" goes, also inside words ("band" -> "b").
  replace_all(s, "and", "");
  replace_all(s, "\\mathbf", "");
  sub_lazy_group(s, "\\mbox{", false);
  // QUIRK: the reference's quote removal discards its result: quotes stay.
  if (s.find('j') != std::string::npos && s.find('i') == std::string::npos) replace_all(s, "j", "i");
  drop_zero_decimals(s);
  if (s.empty()) return s;
  if (s[0] == '.') s = "0" + s;
  // "k = 3" -> "3" when the left side has at most 2 characters.
  {
    auto parts = split(s, "=");
    if (parts.size() == 2 && u8_length(parts[0]) <= 2) s = std::string(parts[1]);
  }
  fix_sqrt_qwen(s);
  replace_all(s, " ", "");
  fix_fracs(s, /*guard_empty=*/true);
  fix_a_slash_b_qwen(s);
  return s;
}

}  // namespace rlvr::rewards
