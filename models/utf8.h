// utf8.h: UTF-8 helpers for the tokenizer (validation, lossy repair, normalization forms).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace rlvr {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool utf8_valid(std::string_view s);

// Replaces each maximal invalid subsequence with U+FFFD (the WHATWG / Unicode "substitution of
// maximal subparts" rule, which is what Rust's String::from_utf8_lossy and Python's
// bytes.decode(errors="replace") do). Valid input is returned unchanged.
std::string utf8_repair(std::string_view s);

enum class NormForm { none, nfc, nfd, nfkc, nfkd };

// Unicode normalization of valid UTF-8 (utf8proc). ASCII-only input is returned as is.
std::string utf8_normalize(std::string_view s, NormForm form);

// Decodes one code point at s[i] (valid UTF-8 assumed); advances i.
inline uint32_t utf8_next(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) { ++i; return b; }
  int n = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1;
  uint32_t cp = b & (0x3F >> n);
  for (int k = 0; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + 1 + k]) & 0x3F);
  i += n + 1;
  return cp;
}

// Unicode White_Space (what Rust's char::is_whitespace and HF's lstrip/rstrip use).
bool unicode_is_whitespace(uint32_t cp);

}  // namespace rlvr
