#include "models/byte_level.h"

#include "models/utf8.h"
#include "util/utf8.h"

namespace rlvr {

namespace {

struct ByteMap {
  std::array<std::string, 256> chars;
  std::array<int, 324> inverse;  // code point -> byte, -1 when unmapped; code points < 0x144
  ByteMap() {
    inverse.fill(-1);
    int extra = 0;
    for (int b = 0; b < 256; ++b) {
      bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      uint32_t cp = printable ? static_cast<uint32_t>(b) : 0x100u + static_cast<uint32_t>(extra++);
      utf8_encode(chars[b], cp);
      inverse[cp] = b;
    }
  }
};

const ByteMap& byte_map() {
  static const ByteMap m;
  return m;
}

}  // namespace

const std::array<std::string, 256>& byte_level_chars() { return byte_map().chars; }

std::optional<std::string> byte_level_decode(std::string_view token) {
  const auto& inv = byte_map().inverse;
  std::string out;
  out.reserve(token.size());
  size_t i = 0;
  while (i < token.size()) {
    uint32_t cp = utf8_next(token, i);
    if (cp >= inv.size() || inv[cp] < 0) return std::nullopt;
    out.push_back(static_cast<char>(inv[cp]));
  }
  return out;
}

std::string byte_level_encode(std::string_view bytes) {
  const auto& chars = byte_map().chars;
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) out += chars[b];
  return out;
}

}  // namespace rlvr
