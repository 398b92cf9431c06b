// paper_fix.h: string fixes that both of the paper's normalizers carry (Qwen2.5-Math's parser and
// the Hendrycks MATH normalizer have copies of the same _fix_fracs), written once here.
#pragma once
#include <string>
#include <string_view>

namespace rlvr::rewards {

// _fix_fracs: \frac1b -> \frac{1}{b}, \frac12 -> \frac{1}{2}, \frac1{72} -> \frac{1}{72}.
// guard_empty: the Qwen copy skips an empty piece after "\frac"; the Hendrycks copy indexes it and
// raises IndexError, reported here as false (the caller then keeps its input). Returns true otherwise.
bool fix_fracs(std::string& s, bool guard_empty);

// "{}/{}".format(int(a), int(b)) must reproduce the string: true for canonical integers only.
bool canonical_int(std::string_view t);

}  // namespace rlvr::rewards
