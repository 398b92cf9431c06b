// byte_level.h: GPT-2's reversible byte <-> printable-code-point map used by byte-level BPE.
// Bytes that are printable Latin-1 map to themselves; the other 68 map to U+0100.. in order.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace rlvr {

// UTF-8 of the code point that byte b is shown as in tokenizer.json ("Ġ" for 0x20).
const std::array<std::string, 256>& byte_level_chars();

// Inverse: a byte-level token string -> raw bytes; nullopt if some code point is not in the map.
std::optional<std::string> byte_level_decode(std::string_view token);

// Raw bytes -> byte-level token string.
std::string byte_level_encode(std::string_view bytes);

}  // namespace rlvr
