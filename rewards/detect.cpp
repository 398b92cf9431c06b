#include "rewards/detect.h"

#include <string>

#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

// Case-insensitive search for an ASCII lower-case needle. Python's lower() can only turn
// ASCII letters into the letters of "python" (no other code point lower-cases to p,y,t,h,o,n),
// so ASCII folding is exact here.
size_t find_ci(std::string_view hay, std::string_view needle, size_t from = 0) {
  if (needle.empty()) return from;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    size_t k = 0;
    for (; k < needle.size(); ++k) {
      char c = hay[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      if (c != needle[k]) break;
    }
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

// Pattern lengths and repeat count of the paper's detect_repetition defaults.
constexpr size_t kRepMinLen = 10, kRepMaxLen = 256, kRepMinRepeats = 10;

}  // namespace

bool code_detect_paper(std::string_view r) { return find_ci(r, "python") != std::string_view::npos; }

bool code_detect_python_fence_open(std::string_view r) {
  return find_ci(r, "```python") != std::string_view::npos;
}

bool code_detect_fenced(std::string_view r) {
  size_t p = find_ci(r, "```python");
  return p != std::string_view::npos && r.find("```", p + 9) != std::string_view::npos;
}

bool repetition_detect(std::string_view response) {
  std::u32string t = u8_decode(response);
  size_t n = t.size();
  // pattern_length in range(10, min(257, n // 2 + 1)); 10 repeats also need 10 * L <= n.
  for (size_t len = kRepMinLen; len <= kRepMaxLen && len * kRepMinRepeats <= n; ++len) {
    size_t need = len * (kRepMinRepeats - 1), run = 0;
    for (size_t j = 0; j + len < n; ++j) {
      if (t[j] == t[j + len]) {
        if (++run >= need) return true;
      } else {
        run = 0;
      }
    }
  }
  return false;
}

}  // namespace rlvr::rewards
