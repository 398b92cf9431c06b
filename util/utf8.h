// utf8.h: encoding one code point as UTF-8, shared by the tokenizer (models/utf8.h) and the
// paper grader's Python string helpers (rewards/pytext.h). Header-only, no dependencies.
//
//   std::string s;
//   utf8_encode(s, 0x20AC);   // appends "\xE2\x82\xAC" (the euro sign)
//
// Callers pass scalar values (U+0000..U+10FFFF); what a surrogate means is each caller's choice
// (pytext.h maps surrogate escapes back to raw bytes before calling this).
#pragma once
#include <cstdint>
#include <string>

namespace rlvr {

inline void utf8_encode(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace rlvr
