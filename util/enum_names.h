// enum_names.h: one name table per enum, which both parses and prints it (as llama.cpp keeps one
// table per enum). An enum opts in with a constexpr table and an overload found by ADL:
//   enum class LossAgg { token_mean, ... };
//   constexpr EnumName<LossAgg> kLossAggNames[] = {{LossAgg::token_mean, "token-mean"}, ...};
//   constexpr std::span<const EnumName<LossAgg>> enum_names(LossAgg) { return kLossAggNames; }
// then enum_name(a), enum_parse<LossAgg>(text) and enum_list<LossAgg>() all read that table.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rlvr {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

// The printed name of `v`; "?" for a value outside the table (a bug, never user input).
template <class E>
constexpr std::string_view enum_name(E v) {
  for (const auto& e : enum_names(E{}))
    if (e.value == v) return e.name;
  return "?";
}

// The value named `text`, or nullopt.
template <class E>
constexpr std::optional<E> enum_parse(std::string_view text) {
  for (const auto& e : enum_names(E{}))
    if (e.name == text) return e.value;
  return std::nullopt;
}

// "a, b, c": the known names, for error messages and help texts (an empty name, a default that
// is written by leaving the key out, is not listed).
template <class E>
std::string enum_list(std::string_view sep = ", ") {
  std::string out;
  for (const auto& e : enum_names(E{})) {
    if (e.name.empty()) continue;
    if (!out.empty()) out += sep;
    out += e.name;
  }
  return out;
}

}  // namespace rlvr
