#include "rewards/paper_fix.h"

#include "rewards/pytext.h"

namespace rlvr::rewards {

// \frac1b -> \frac{1}{b}, \frac12 -> \frac{1}{2}, \frac1{72} -> \frac{1}{72}.
bool fix_fracs(std::string& s, bool guard_empty) {
  auto parts = split(s, "\\frac");
  if (parts.size() == 1) return true;
  std::string out(parts[0]);
  for (size_t k = 1; k < parts.size(); ++k) {
    std::string_view sub = parts[k];
    out += "\\frac";
    if (sub.empty() && !guard_empty) return false;  // IndexError in the reference
    if (!sub.empty() && sub[0] == '{') {
      out += sub;
      continue;
    }
    // QUIRK: a, b are single CHARACTERS (code points), so \frac{...} is only fixed for 1-char args.
    if (u8_length(sub) < 2) return true;  // "assert len(substr) >= 2" fails: the input is kept
    size_t i = 0;
    u8_next(sub, i);
    std::string_view a = sub.substr(0, i);
    size_t j = i;
    u8_next(sub, j);
    std::string_view b = sub.substr(i, j - i);
    std::string_view post = sub.substr(j);
    if (b != "{") out += "{" + std::string(a) + "}{" + std::string(b) + "}" + std::string(post);
    else out += "{" + std::string(a) + "}" + std::string(b) + std::string(post);
  }
  s = out;
  return true;
}

// "{}/{}".format(int(a), int(b)) must reproduce the string: canonical integers only.
bool canonical_int(std::string_view t) {
  auto v = py_int(t);
  return v && std::to_string(*v) == t;
}

}  // namespace rlvr::rewards
