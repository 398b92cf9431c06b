// Answer extraction of the paper's reward code, re-implemented from its documented behaviour.
// Each regular expression of the reference is a hand-written scan with the same leftmost,
// non-overlapping semantics; quirks are kept on purpose and named QUIRK in comments.
#include "rewards/paper_extract.h"

#include <array>
#include <bitset>
#include <tuple>
#include <vector>

#include "rewards/paper_fix.h"
#include "rewards/pytext.h"

namespace rlvr::rewards {

namespace {

// "ки" (Cyrillic), which the reference deletes before anything else.
constexpr std::string_view kKi = "\xD0\xBA\xD0\xB8";

// The markers extract_answer looks for, in the order it tries them; each answer starts after one.
constexpr std::string_view kMinervaOpen = "final answer is $";  // Minerva's "...final answer is $X$. I hope"
constexpr std::string_view kMinervaClose = "$. I hope";
constexpr std::string_view kBoxed = "boxed";
constexpr std::string_view kTheAnswerIs = "he answer is";  // "The answer is" and "the answer is"
constexpr std::string_view kFinalAnswerIs = "final answer is";
constexpr std::string_view kAnswerIsZh = "答案是";          // "the answer is" in Chinese (9 UTF-8 bytes)

// find_box: the text after "boxed". "{...}" brace-balanced (an unclosed box runs to the end);
// otherwise up to the first "$", stripped ("\boxed 5$" -> "5").
std::string after_boxed(std::string_view ans) {
  if (ans.empty()) return "";
  if (ans[0] == '{') {
    size_t depth = 1, i = 1;
    for (; i < ans.size(); ++i) {
      if (ans[i] == '{') {
        ++depth;
      } else if (ans[i] == '}') {
        if (--depth == 0) break;
      }
    }
    return std::string(ans.substr(1, i - 1));
  }
  return std::string(py_strip(ans.substr(0, ans.find('$'))));
}

std::string_view r1_answer(std::string_view text) {
  constexpr std::string_view kAnswerOpen = "<answer>";
  size_t p = text.rfind(kAnswerOpen);
  if (p != std::string_view::npos) text = text.substr(p + kAnswerOpen.size());
  // QUIRK: rstrip("</answer>") strips a character SET, so "...= 5r" loses its "r" too.
  return py_rstrip_chars(text, "</answer>");
}

// re.findall(r"-?\d*\.?\d+", s)[-1], or "" when there is no match.
std::string last_number(std::string_view s) {
  std::string_view last;
  size_t i = 0;
  while (i < s.size()) {
    // Fast path (1 MB of prose is mostly this): an ASCII byte that cannot start a match.
    if (const auto c = static_cast<unsigned char>(s[i]); c < 0x80 && c != '-' && c != '.' && (c < '0' || c > '9')) {
      ++i;
      continue;
    }
    size_t j = i, nx;
    if (s[j] == '-') ++j;
    size_t d1 = j;
    while (py_digit_at(s, j, nx)) j = nx;
    size_t end = std::string_view::npos;
    if (j < s.size() && s[j] == '.') {
      size_t k = j + 1, k0 = k;
      while (py_digit_at(s, k, nx)) k = nx;
      if (k > k0) end = k;
      else if (j > d1) end = j;  // "12." -> "12" (the regex backtracks over the dot)
    } else if (j > d1) {
      end = j;
    }
    if (end != std::string_view::npos) {
      last = s.substr(i, end - i);
      i = end;
    } else {
      size_t n = i;
      u8_next(s, n);
      i = n;
    }
  }
  return std::string(last);
}

// The parser's common tail: drop "\n" plus following whitespace, a leading ':', a trailing '.'
// and then a trailing '/', then strip_string.
std::string finish(std::string pred) {
  if (pred.find('\n') != std::string::npos) {
    std::string out;
    for (size_t i = 0; i < pred.size();) {
      if (pred[i] == '\n') {
        ++i;
        while (i < pred.size()) {
          size_t j = i;
          if (!py_is_space(u8_next(pred, j))) break;
          i = j;
        }
      } else {
        out.push_back(pred[i++]);
      }
    }
    pred.swap(out);
  }
  if (!pred.empty() && pred[0] == ':') pred.erase(0, 1);
  if (!pred.empty() && pred.back() == '.') pred.pop_back();
  if (!pred.empty() && pred.back() == '/') pred.pop_back();
  if (pred.size() > kMaxAnswerBytes) return pred;  // see kMaxAnswerBytes
  return qwen_strip_string(pred);
}

std::string remove_ki(std::string_view text) {
  std::string s(text);
  replace_all(s, kKi, "");
  return s;
}

}  // namespace

std::string paper_extract(std::string_view text_in, bool r1_style) {
  std::string text = remove_ki(text_in);
  std::string_view s = text;
  if (r1_style) s = r1_answer(s);
  std::string pred;
  // QUIRK: the minerva pattern wins over "boxed" when both are present.
  if (contains(s, kMinervaOpen) && contains(s, kMinervaClose)) {
    std::string_view tmp = s.substr(s.find(kMinervaOpen) + kMinervaOpen.size());
    pred = std::string(py_strip(tmp.substr(0, tmp.find(kMinervaClose))));
  } else if (size_t b = s.rfind(kBoxed); b != std::string_view::npos) {
    pred = after_boxed(s.substr(b + kBoxed.size()));
  } else if (size_t h = s.rfind(kTheAnswerIs); h != std::string_view::npos) {
    pred = std::string(py_strip(s.substr(h + kTheAnswerIs.size())));
  } else if (size_t f = s.rfind(kFinalAnswerIs); f != std::string_view::npos) {
    pred = std::string(py_strip(s.substr(f + kFinalAnswerIs.size())));
  } else if (size_t c = s.find(kAnswerIsZh); c != std::string_view::npos) {
    // QUIRK: split(...)[1] takes the text up to a SECOND occurrence, not the last one.
    std::string_view tail = s.substr(c + kAnswerIsZh.size());
    tail = tail.substr(0, tail.find(kAnswerIsZh));
    tail = py_strip(tail);
    pred = std::string(py_strip(tail.substr(0, tail.find("\n\n"))));
  } else {
    std::string nocomma(s);
    replace_all(nocomma, ",", "");
    pred = last_number(nocomma);
  }
  return finish(std::move(pred));
}

std::string paper_extract_box_only(std::string_view text_in, bool r1_style) {
  std::string text = remove_ki(text_in);
  // QUIRK: in r1 style the box-only extractor returns the raw <answer> text, box or not.
  if (r1_style) return std::string(r1_answer(text));
  size_t b = text.rfind(kBoxed);
  std::string pred = b == std::string::npos ? "" : after_boxed(std::string_view(text).substr(b + kBoxed.size()));
  return finish(std::move(pred));
}

std::string paper_extract_choice(std::string_view text_in) {
  std::string text = remove_ki(text_in);
  std::string_view p = text;
  p = py_strip_chars(p, "\n");
  p = py_rstrip_chars(p, ".");
  p = py_rstrip_chars(p, "/");
  p = py_strip_chars(p, " ");
  p = py_lstrip_chars(p, ":");
  // re.findall(r"\b(A|B|C|D)\b", p.upper())[-1]
  std::string up = py_upper_ascii(p);
  std::string found;
  char32_t prev = 0;
  bool prev_word = false;
  for (size_t i = 0; i < up.size();) {
    size_t j = i;
    char32_t c = u8_next(up, j);
    if (c >= 'A' && c <= 'D' && !prev_word) {
      size_t k = j;
      bool next_word = k < up.size() && py_is_word(u8_next(up, k));
      if (!next_word) found = std::string(1, static_cast<char>(c));
    }
    prev = c;
    prev_word = py_is_word(prev);
    i = j;
  }
  std::string pred = found.empty() ? std::string(py_strip_chars(py_strip(p), ".")) : found;
  pred = std::string(py_rstrip_chars(pred, "."));
  pred = std::string(py_rstrip_chars(pred, "/"));
  return pred;
}

}  // namespace rlvr::rewards
