#include "rewards/pytext.h"

#include <utf8proc.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "util/utf8.h"

namespace rlvr::rewards {

// ---------------------------------------------------------------- UTF-8

char32_t u8_next(std::string_view s, size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) { ++i; return b0; }
  int n = b0 >= 0xF0 && b0 < 0xF5 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC2 && b0 < 0xE0 ? 1 : -1;
  if (n > 0 && i + n < s.size()) {
    char32_t cp = b0 & (0x3F >> n);
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) { ok = false; break; }
      cp = (cp << 6) | (b & 0x3F);
    }
    // Reject overlong forms and surrogates the way a strict decoder does.
    if (ok && !(n == 2 && cp < 0x800) && !(n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) &&
        !(cp >= 0xD800 && cp <= 0xDFFF)) {
      i += n + 1;
      return cp;
    }
  }
  ++i;
  return 0xDC00 + b0;  // surrogateescape: one invalid byte, one code point
}

std::u32string u8_decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(u8_next(s, i));
  return out;
}

void u8_append(std::string& out, char32_t cp) {
  // A surrogate escape (u8_next's 0xDC80..0xDCFF) goes back to the raw byte it stood for.
  if (cp >= 0xDC80 && cp <= 0xDCFF) { out.push_back(static_cast<char>(cp - 0xDC00)); return; }
  utf8_encode(out, cp);
}

std::string u8_encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) u8_append(out, c);
  return out;
}

size_t u8_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) { u8_next(s, i); ++n; }
  return n;
}

// ---------------------------------------------------------------- classes

bool py_is_space(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static utf8proc_category_t category(char32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return UTF8PROC_CATEGORY_CN;
  return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

bool py_is_digit(char32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  return category(c) == UTF8PROC_CATEGORY_ND;
}

bool py_is_alpha(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  auto k = category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

bool py_is_word(char32_t c) {
  if (c < 0x80) return c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  auto k = category(c);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
         (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

char32_t py_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return c;
  return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}

// ---------------------------------------------------------------- str methods

std::string_view py_strip(std::string_view s) {
  // Leading whitespace: decode forward.
  size_t b = 0;
  while (b < s.size()) {
    size_t j = b;
    if (!py_is_space(u8_next(s, j))) break;
    b = j;
  }
  // Trailing: ASCII fast path, then multi-byte spaces (2- or 3-byte sequences).
  size_t e = s.size();
  while (e > b) {
    auto c = static_cast<unsigned char>(s[e - 1]);
    if (c < 0x80) {
      if (!py_is_space(c)) break;
      --e;
      continue;
    }
    size_t k = e - 1;
    while (k > b && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80 && e - k < 4) --k;
    size_t j = k;
    char32_t cp = u8_next(s, j);
    if (j != e || !py_is_space(cp)) break;
    e = k;
  }
  return s.substr(b, e - b);
}

std::string_view py_lstrip_chars(std::string_view s, std::string_view chars) {
  size_t b = 0;
  while (b < s.size() && chars.find(s[b]) != std::string_view::npos) ++b;
  return s.substr(b);
}

std::string_view py_rstrip_chars(std::string_view s, std::string_view chars) {
  size_t e = s.size();
  while (e > 0 && chars.find(s[e - 1]) != std::string_view::npos) --e;
  return s.substr(0, e);
}

std::string_view py_strip_chars(std::string_view s, std::string_view chars) {
  return py_rstrip_chars(py_lstrip_chars(s, chars), chars);
}

std::string py_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      ++i;
    } else {
      u8_append(out, py_lower(u8_next(s, i)));
    }
  }
  return out;
}

std::string py_upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return out;
}

bool contains(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }
bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  size_t pos = s.find(from);
  if (pos == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  size_t last = 0;
  while (pos != std::string::npos) {
    out.append(s, last, pos - last);
    out.append(to);
    last = pos + from.size();
    pos = s.find(from, last);
  }
  out.append(s, last, std::string::npos);
  s.swap(out);
}

std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t last = 0, pos;
  while ((pos = s.find(sep, last)) != std::string_view::npos) {
    parts.push_back(s.substr(last, pos - last));
    last = pos + sep.size();
  }
  parts.push_back(s.substr(last));
  return parts;
}

std::vector<std::string> split_ws(std::string_view s) {
  std::vector<std::string> parts;
  std::string cur;
  bool in = false;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    char32_t c = u8_next(s, j);
    if (py_is_space(c)) {
      if (in) parts.push_back(std::move(cur)), cur.clear(), in = false;
    } else {
      cur.append(s.substr(i, j - i));
      in = true;
    }
    i = j;
  }
  if (in) parts.push_back(std::move(cur));
  return parts;
}

// ---------------------------------------------------------------- numbers

// digitpart := digit (['_'] digit)*; returns the digits without '_' or nullopt.
static bool take_digitpart(std::string_view s, size_t& i, std::string& out) {
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  out.push_back(s[i++]);
  while (i < s.size()) {
    if (s[i] >= '0' && s[i] <= '9') {
      out.push_back(s[i++]);
    } else if (s[i] == '_' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
      ++i;
    } else {
      break;
    }
  }
  return true;
}

std::optional<double> py_float(std::string_view s) {
  s = py_strip(s);
  if (s.empty()) return std::nullopt;
  std::string clean;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') clean.push_back(s[i++]);
  std::string low = py_lower(s.substr(i));
  if (low == "inf" || low == "infinity") return clean == "-" ? -HUGE_VAL : HUGE_VAL;
  if (low == "nan") return std::nan("");
  bool int_part = take_digitpart(s, i, clean);
  bool frac_part = false;
  if (i < s.size() && s[i] == '.') {
    clean.push_back(s[i++]);
    frac_part = take_digitpart(s, i, clean);
  }
  if (!int_part && !frac_part) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    clean.push_back('e');
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
    if (!take_digitpart(s, i, clean)) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return std::strtod(clean.c_str(), nullptr);  // overflow gives +-inf, as Python's float does
}

std::optional<int64_t> py_int(std::string_view s) {
  s = py_strip(s);
  std::string clean;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) clean.push_back(s[i++]);
  if (!take_digitpart(s, i, clean) || i != s.size()) return std::nullopt;
  int64_t v = 0;
  const char* b = clean.data() + (clean[0] == '+' ? 1 : 0);
  auto [p, ec] = std::from_chars(b, clean.data() + clean.size(), v);
  if (ec != std::errc() || p != clean.data() + clean.size()) return std::nullopt;
  return v;
}

std::string py_float_repr(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string sci(buf, r.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t epos = sci.find('e');
  int exp10 = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (size_t k = 0; k < epos; ++k)
    if (sci[k] != '.') digits.push_back(sci[k]);
  int decpt = exp10 + 1;  // digits d1 d2 ... with the point after decpt digits
  std::string out = neg ? "-" : "";
  if (decpt <= -4 || decpt > 16) {  // Python's repr switches to exponent form here
    out += digits.substr(0, 1);
    if (digits.size() > 1) out.append(".").append(digits, 1);  // (not "." + substr: GCC 12 -Wrestrict false positive)
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    out += eb;
  } else if (decpt <= 0) {
    out += "0." + std::string(static_cast<size_t>(-decpt), '0') + digits;
  } else if (static_cast<size_t>(decpt) >= digits.size()) {
    out += digits + std::string(decpt - digits.size(), '0') + ".0";
  } else {
    out += digits.substr(0, decpt) + "." + digits.substr(decpt);
  }
  return out;
}

std::string py_int_of_double(double x) {
  x = std::trunc(x);
  if (std::fabs(x) < 9.0e18) return std::to_string(static_cast<int64_t>(x));
  int e2 = 0;
  double m = std::frexp(std::fabs(x), &e2);  // |x| = m * 2^e2, m in [0.5, 1)
  auto mant = static_cast<uint64_t>(std::ldexp(m, 53));
  int shift = e2 - 53;  // > 0 here
  // Base-1e9 little-endian limbs.
  std::vector<uint32_t> limbs;
  while (mant) { limbs.push_back(static_cast<uint32_t>(mant % 1000000000u)); mant /= 1000000000u; }
  while (shift > 0) {
    int k = shift > 29 ? 29 : shift;
    uint64_t carry = 0;
    for (auto& l : limbs) {
      uint64_t v = (static_cast<uint64_t>(l) << k) + carry;
      l = static_cast<uint32_t>(v % 1000000000u);
      carry = v / 1000000000u;
    }
    while (carry) { limbs.push_back(static_cast<uint32_t>(carry % 1000000000u)); carry /= 1000000000u; }
    shift -= k;
  }
  std::string out = x < 0 ? "-" : "";
  out += std::to_string(limbs.back());
  for (size_t k = limbs.size() - 1; k-- > 0;) {
    char b[16];
    std::snprintf(b, sizeof b, "%09u", limbs[k]);
    out += b;
  }
  return out;
}

bool py_digit_at(std::string_view s, size_t i, size_t& next) {
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

}  // namespace rlvr::rewards
