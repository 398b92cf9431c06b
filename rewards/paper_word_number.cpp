// word2number 1.1's w2n.word_to_num, as the paper's convert_word_number uses it.
#include "rewards/paper_word_number.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "rewards/pytext.h"

namespace rlvr::rewards {

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

}  // namespace rlvr::rewards
