// paper_word_number.h: number words to digits, as the paper's parser does with word2number.
#pragma once
#include <string>
#include <string_view>

namespace rlvr::rewards {

// word2number's w2n.word_to_num as convert_word_number uses it: str(result) or s unchanged.
std::string qwen_convert_word_number(std::string_view s);

}  // namespace rlvr::rewards
