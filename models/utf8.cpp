#include "models/utf8.h"

#include <cstdlib>
#include <utf8proc.h>

#include "util/error.h"

namespace rlvr {

namespace {

// Length of the valid sequence starting at s[i], or 0 when invalid; `maximal` receives the length
// of the maximal invalid subpart (>= 1) when invalid.
size_t utf8_seq(std::string_view s, size_t i, size_t& maximal) {
  auto at = [&](size_t k) -> unsigned { return static_cast<unsigned char>(s[k]); };
  unsigned b = at(i);
  maximal = 1;
  if (b < 0x80) return 1;
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;  // bounds of the second byte (Table 3-7 of the Unicode standard)
  if (b >= 0xC2 && b <= 0xDF) n = 2;
  else if (b == 0xE0) { n = 3; lo = 0xA0; }
  else if (b >= 0xE1 && b <= 0xEC) n = 3;
  else if (b == 0xED) { n = 3; hi = 0x9F; }
  else if (b >= 0xEE && b <= 0xEF) n = 3;
  else if (b == 0xF0) { n = 4; lo = 0x90; }
  else if (b >= 0xF1 && b <= 0xF3) n = 4;
  else if (b == 0xF4) { n = 4; hi = 0x8F; }
  else return 0;
  for (size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) return 0;
    unsigned c = at(i + k);
    unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (c < l || c > h) return 0;
    maximal = k + 1;
  }
  return n;
}

}  // namespace

bool utf8_valid(std::string_view s) {
  size_t i = 0, m;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) { ++i; continue; }
    size_t n = utf8_seq(s, i, m);
    if (!n) return false;
    i += n;
  }
  return true;
}

std::string utf8_repair(std::string_view s) {
  if (utf8_valid(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0, m;
  while (i < s.size()) {
    size_t n = utf8_seq(s, i, m);
    if (n) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");  // U+FFFD for the maximal invalid subpart
      i += m;
    }
  }
  return out;
}

std::string utf8_normalize(std::string_view s, NormForm form) {
  if (form == NormForm::none) return std::string(s);
  bool ascii = true;
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) { ascii = false; break; }
  if (ascii) return std::string(s);
  int opts = UTF8PROC_STABLE;
  switch (form) {
    case NormForm::nfc: opts |= UTF8PROC_COMPOSE; break;
    case NormForm::nfd: opts |= UTF8PROC_DECOMPOSE; break;
    case NormForm::nfkc: opts |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT; break;
    case NormForm::nfkd: opts |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT; break;
    case NormForm::none: break;
  }
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                    static_cast<utf8proc_ssize_t>(s.size()), &out,
                                    static_cast<utf8proc_option_t>(opts));
  if (n < 0) throw_input("normalizer", utf8proc_errmsg(n));
  std::string r(reinterpret_cast<char*>(out), static_cast<size_t>(n));
  std::free(out);
  return r;
}

bool unicode_is_whitespace(uint32_t cp) {
  // Unicode White_Space property (PropList.txt).
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

}  // namespace rlvr
