// Answer extraction of the paper's reward code, re-implemented from its documented behaviour.
// Each regular expression of the reference is a hand-written scan with the same leftmost,
// non-overlapping semantics; quirks are kept on purpose and named QUIRK in comments.
#include "rewards/paper_extract.h"

#include <array>
#include <bitset>
#include <tuple>
#include <vector>

#include "rewards/paper_fix.h"
#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

// "ки" (Cyrillic), which the reference deletes before anything else.
constexpr std::string_view kKi = "\xD0\xBA\xD0\xB8";

// find_box: the text after "boxed". "{...}" brace-balanced (an unclosed box runs to the end);
// otherwise up to the first "$", stripped ("\boxed 5$" -> "5").
std::string after_boxed(std::string_view ans) {
  if (ans.empty()) return "";
  if (ans[0] == '{') {
    size_t depth = 1, i = 1;
    for (; i < ans.size(); ++i) {
      if (ans[i] == '{') {
        ++depth;
      } else if (ans[i] == '}') {
        if (--depth == 0) break;
      }
    }
    return std::string(ans.substr(1, i - 1));
  }
  return std::string(py_strip(ans.substr(0, ans.find('$'))));
}

std::string_view r1_answer(std::string_view text) {
  size_t p = text.rfind("<answer>");
  if (p != std::string_view::npos) text = text.substr(p + 8);
  // QUIRK: rstrip("</answer>") strips a character SET, so "...= 5r" loses its "r" too.
  return py_rstrip_chars(text, "</answer>");
}

bool digit_at(std::string_view s, size_t i, size_t& next) {
  if (i >= s.size()) return false;
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    next = i + 1;
    return c >= '0' && c <= '9';
  }
  size_t j = i;
  char32_t cp = u8_next(s, j);
  next = j;
  return py_is_digit(cp);  // re's \d is Unicode Nd
}

// re.findall(r"-?\d*\.?\d+", s)[-1], or "" when there is no match.
std::string last_number(std::string_view s) {
  std::string_view last;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i, nx;
    if (s[j] == '-') ++j;
    size_t d1 = j;
    while (digit_at(s, j, nx)) j = nx;
    size_t end = std::string_view::npos;
    if (j < s.size() && s[j] == '.') {
      size_t k = j + 1, k0 = k;
      while (digit_at(s, k, nx)) k = nx;
      if (k > k0) end = k;
      else if (j > d1) end = j;  // "12." -> "12" (the regex backtracks over the dot)
    } else if (j > d1) {
      end = j;
    }
    if (end != std::string_view::npos) {
      last = s.substr(i, end - i);
      i = end;
    } else {
      size_t n = i;
      u8_next(s, n);
      i = n;
    }
  }
  return std::string(last);
}

// The parser's common tail: drop "\n" plus following whitespace, a leading ':', a trailing '.'
// and then a trailing '/', then strip_string.
std::string finish(std::string pred) {
  if (pred.find('\n') != std::string::npos) {
    std::string out;
    for (size_t i = 0; i < pred.size();) {
      if (pred[i] == '\n') {
        ++i;
        while (i < pred.size()) {
          size_t j = i;
          if (!py_is_space(u8_next(pred, j))) break;
          i = j;
        }
      } else {
        out.push_back(pred[i++]);
      }
    }
    pred.swap(out);
  }
  if (!pred.empty() && pred[0] == ':') pred.erase(0, 1);
  if (!pred.empty() && pred.back() == '.') pred.pop_back();
  if (!pred.empty() && pred.back() == '/') pred.pop_back();
  if (pred.size() > kMaxAnswerBytes) return pred;  // see kMaxAnswerBytes
  return qwen_strip_string(pred);
}

std::string remove_ki(std::string_view text) {
  std::string s(text);
  replace_all(s, kKi, "");
  return s;
}

}  // namespace

std::string paper_extract(std::string_view text_in, bool r1_style) {
  std::string text = remove_ki(text_in);
  std::string_view s = text;
  if (r1_style) s = r1_answer(s);
  std::string pred;
  // QUIRK: the minerva pattern wins over "boxed" when both are present.
  if (contains(s, "final answer is $") && contains(s, "$. I hope")) {
    std::string_view tmp = s.substr(s.find("final answer is $") + 17);
    pred = std::string(py_strip(tmp.substr(0, tmp.find("$. I hope"))));
  } else if (size_t b = s.rfind("boxed"); b != std::string_view::npos) {
    pred = after_boxed(s.substr(b + 5));
  } else if (size_t h = s.rfind("he answer is"); h != std::string_view::npos) {
    pred = std::string(py_strip(s.substr(h + 12)));
  } else if (size_t f = s.rfind("final answer is"); f != std::string_view::npos) {
    pred = std::string(py_strip(s.substr(f + 15)));
  } else if (size_t c = s.find("答案是"); c != std::string_view::npos) {
    // QUIRK: split(...)[1] takes the text up to a SECOND occurrence, not the last one.
    std::string_view tail = s.substr(c + 9);
    tail = tail.substr(0, tail.find("答案是"));
    tail = py_strip(tail);
    pred = std::string(py_strip(tail.substr(0, tail.find("\n\n"))));
  } else {
    std::string nocomma(s);
    replace_all(nocomma, ",", "");
    pred = last_number(nocomma);
  }
  return finish(std::move(pred));
}

std::string paper_extract_box_only(std::string_view text_in, bool r1_style) {
  std::string text = remove_ki(text_in);
  // QUIRK: in r1 style the box-only extractor returns the raw <answer> text, box or not.
  if (r1_style) return std::string(r1_answer(text));
  size_t b = text.rfind("boxed");
  std::string pred = b == std::string::npos ? "" : after_boxed(std::string_view(text).substr(b + 5));
  return finish(std::move(pred));
}

std::string paper_extract_choice(std::string_view text_in) {
  std::string text = remove_ki(text_in);
  std::string_view p = text;
  p = py_strip_chars(p, "\n");
  p = py_rstrip_chars(p, ".");
  p = py_rstrip_chars(p, "/");
  p = py_strip_chars(p, " ");
  p = py_lstrip_chars(p, ":");
  // re.findall(r"\b(A|B|C|D)\b", p.upper())[-1]
  std::string up = py_upper_ascii(p);
  std::string found;
  char32_t prev = 0;
  bool prev_word = false;
  for (size_t i = 0; i < up.size();) {
    size_t j = i;
    char32_t c = u8_next(up, j);
    if (c >= 'A' && c <= 'D' && !prev_word) {
      size_t k = j;
      bool next_word = k < up.size() && py_is_word(u8_next(up, k));
      if (!next_word) found = std::string(1, static_cast<char>(c));
    }
    prev = c;
    prev_word = py_is_word(prev);
    i = j;
  }
  std::string pred = found.empty() ? std::string(py_strip_chars(py_strip(p), ".")) : found;
  pred = std::string(py_rstrip_chars(pred, "."));
  pred = std::string(py_rstrip_chars(pred, "/"));
  return pred;
}

// ------------------------------------------------------------------ strip_string

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
    while (digit_at(s, j, nx)) j = nx;
    if (j > i && j < n && s[j] == '.') {
      size_t k = j + 1;
      while (k < n && s[k] == '0') ++k;
      if (k < n && !digit_at(s, k, nx)) {
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
    if (digit_at(s, b, e) && e == d) s.erase(d);
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

std::string qwen_convert_word_number(std::string_view in) {
  // word2number 1.1, w2n.word_to_num.
  static constexpr std::array<std::pair<const char*, int64_t>, 31> kWords = {{
      {"zero", 0}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6},
      {"seven", 7}, {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12},
      {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17},
      {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40},
      {"fifty", 50}, {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90},
      {"hundred", 100}, {"thousand", 1000}, {"million", 1000000}}};
  auto value = [](std::string_view w) -> int64_t {
    if (w == "billion") return 1000000000;
    for (const auto& [name, v] : kWords)
      if (w == name) return v;
    return -1;  // "point" and non-number words
  };
  std::string s(in);
  replace_all(s, "-", " ");
  s = py_lower(s);
  // str.isdigit() -> int(): ASCII digits only here (Unicode digits are left alone).
  if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) {
    size_t nz = s.find_first_not_of('0');
    return nz == std::string::npos ? "0" : s.substr(nz);
  }
  std::vector<std::string> clean;
  for (auto& w : split_ws(s))
    if (w == "point" || value(w) >= 0) clean.push_back(w);
  if (clean.empty()) return std::string(in);
  auto count = [&](const char* w) { size_t c = 0; for (auto& x : clean) c += x == w; return c; };
  if (count("thousand") > 1 || count("million") > 1 || count("billion") > 1 || count("point") > 1)
    return std::string(in);
  std::vector<std::string> decimals;
  for (size_t k = 0; k < clean.size(); ++k) {
    if (clean[k] == "point") {
      decimals.assign(clean.begin() + k + 1, clean.end());
      clean.resize(k);
      break;
    }
  }
  auto index = [&](const char* w) -> long {
    for (size_t k = 0; k < clean.size(); ++k)
      if (clean[k] == w) return static_cast<long>(k);
    return -1;
  };
  long bi = index("billion"), mi = index("million"), th = index("thousand");
  if ((th > -1 && (th < mi || th < bi)) || (mi > -1 && mi < bi)) return std::string(in);
  bool fail = false;
  // number_formation: 1-4 words (more: the first); an empty slice raises IndexError.
  auto formation = [&](long b, long e) -> int64_t {
    std::vector<int64_t> n;
    for (long k = b; k < e; ++k) {
      int64_t v = value(clean[k]);
      if (v < 0) { fail = true; return 0; }  // "point" cannot reach here; be safe
      n.push_back(v);
    }
    if (n.empty()) { fail = true; return 0; }
    if (n.size() == 4) return n[0] * n[1] + n[2] + n[3];
    if (n.size() == 3) return n[0] * n[1] + n[2];
    if (n.size() == 2) return (n[0] == 100 || n[1] == 100) ? n[0] * n[1] : n[0] + n[1];
    return n[0];
  };
  long len = static_cast<long>(clean.size());
  int64_t total = 0;
  if (len == 1) {
    total = value(clean[0]);
  } else if (len > 1) {
    if (bi > -1) total += formation(0, bi) * 1000000000;
    if (mi > -1) total += formation(bi > -1 ? bi + 1 : 0, mi) * 1000000;
    if (th > -1) total += formation(mi > -1 ? mi + 1 : bi > -1 ? bi + 1 : 0, th) * 1000;
    int64_t hundreds = 0;
    if (th > -1 && th != len - 1) hundreds = formation(th + 1, len);
    else if (mi > -1 && mi != len - 1 && th != len - 1) hundreds = formation(mi + 1, len);
    else if (bi > -1 && bi != len - 1) hundreds = formation(bi + 1, len);
    else if (th == -1 && mi == -1 && bi == -1) hundreds = formation(0, len);
    total += hundreds;
  }
  if (fail) return std::string(in);
  if (!decimals.empty()) {
    std::string digits = "0.";
    for (auto& d : decimals) {
      int64_t v = value(d);
      if (v < 0 || v > 9) { digits.clear(); break; }  // get_decimal_sum returns 0
      digits += std::to_string(v);
    }
    double dec = digits.empty() ? 0.0 : std::strtod(digits.c_str(), nullptr);
    // int + float -> float: str() prints the float form ("2.5", "3.0").
    return py_float_repr(static_cast<double>(total) + dec);
  }
  return std::to_string(total);
}

std::string qwen_strip_string(std::string_view in) {
  std::string s(py_strip(in));
  replace_all(s, "\n", "");
  s = std::string(py_rstrip_chars(s, "."));
  replace_all(s, "\\!", "");
  // matrix: \begin{array}{...} -> \begin{pmatrix}, \end{array} -> \end{pmatrix}
  if (s.find("\\begin{array}{") != std::string::npos) {
    std::string out;
    size_t i = 0;
    while (true) {
      size_t p = s.find("\\begin{array}{", i);
      if (p == std::string::npos) break;
      size_t close = s.find('}', p + 14);
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
