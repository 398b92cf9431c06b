// pytext.h: the few Python string semantics the paper's grader relies on, on UTF-8 std::strings.
//
// The reference grader (Qwen2.5-Math parser + PRM800K grade_answer) is Python: str.strip() strips
// Unicode whitespace, re's \w \d \s are Unicode classes, float() accepts "1e3", " 7 ", "inf", and
// str(float) prints the shortest round-trip form. Reproducing those here keeps paper mode faithful
// on the odd inputs a sampler produces. Code points come from a lenient UTF-8 decoder: an invalid
// byte decodes to itself as one code point (like Python's surrogateescape), so nothing throws.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rlvr::rewards {

// ---- UTF-8 ----
// Decodes the code point at s[i] and advances i; invalid bytes decode to 0xDC00+byte.
char32_t u8_next(std::string_view s, size_t& i);
std::u32string u8_decode(std::string_view s);
void u8_append(std::string& out, char32_t cp);
std::string u8_encode(std::u32string_view s);
size_t u8_length(std::string_view s);  // code points, as Python's len()

// ---- Unicode classes as Python's re/str use them ----
bool py_is_space(char32_t c);  // str.isspace / re \s
bool py_is_digit(char32_t c);  // re \d (Unicode Nd)
// Whether re's \d matches the character at byte i of s; next: the byte after it.
bool py_digit_at(std::string_view s, size_t i, size_t& next);
bool py_is_alpha(char32_t c);  // str.isalpha (categories L*)
bool py_is_word(char32_t c);   // re \w: alnum (L*, N*) or '_'
char32_t py_lower(char32_t c);

// ---- str methods ----
std::string_view py_strip(std::string_view s);                      // str.strip()
std::string_view py_strip_chars(std::string_view s, std::string_view chars);  // str.strip(chars), ASCII set
std::string_view py_rstrip_chars(std::string_view s, std::string_view chars);
std::string_view py_lstrip_chars(std::string_view s, std::string_view chars);
std::string py_lower(std::string_view s);
std::string py_upper_ascii(std::string_view s);
bool contains(std::string_view s, std::string_view what);
bool starts_with(std::string_view s, std::string_view p);
bool ends_with(std::string_view s, std::string_view p);
// str.replace(from, to) (all occurrences, left to right, non-overlapping).
void replace_all(std::string& s, std::string_view from, std::string_view to);
// str.split(sep) with sep non-empty.
std::vector<std::string_view> split(std::string_view s, std::string_view sep);
// str.split() with no argument: runs of Unicode whitespace separate, no empty parts.
std::vector<std::string> split_ws(std::string_view s);

// ---- numbers ----
// Python float(s): optional surrounding whitespace, sign, digits with '_' between digits, one '.',
// exponent, or inf/infinity/nan in any case. nullopt where Python raises ValueError.
std::optional<double> py_float(std::string_view s);
// Python int(s) for base-10 strings that fit in int64 (whitespace, sign, '_' allowed).
std::optional<int64_t> py_int(std::string_view s);
// str(x) for a Python float: shortest round trip, "1e+16" style past 1e16 and below 1e-4, "2.0".
std::string py_float_repr(double x);
// str(int(x)) for a finite double: its exact integer value in decimal (truncated toward zero).
std::string py_int_of_double(double x);

}  // namespace rlvr::rewards
