// The data-driven grader table: tests/data/grader/cases.jsonl, one case per line:
//   {"response": str} or {"answer": str}   a full response (extraction + grading) or an answer
//   "gold": str                             the label
//   "paper": bool                           the paper's verdict (from its reference code); absent in
//                                           rows written after the reference was run (strict only)
//   "paper_extracted": str                  what the paper's extract_answer returns (responses)
//   "strict": "correct"|"wrong"|"unsure"    this project's strict verdict
//   "note": str                             what the case is about
// One test runs every row in both modes and reports every mismatching row.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "rewards/grader.h"

namespace rlvr::rewards {
namespace {

std::string data_dir() {
  const char* d = std::getenv("RLVR_TEST_DATA");
  return d ? d : "tests/data";
}

// The table must keep covering every class of disagreement it was built from (rewards/README.md).
constexpr size_t kMinCases = 300;

TEST(GraderTable, EveryRowMatchesInBothModes) {
  std::string path = data_dir() + "/grader/cases.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string line;
  size_t n = 0, lineno = 0, with_paper = 0, unsure = 0, paper_correct = 0, strict_correct = 0, disagree = 0;
  std::ostringstream bad;
  size_t n_bad = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    ++n;
    std::string gold = j.at("gold").get<std::string>();
    // Only the reference may say what the paper's verdict is: rows without one check strict alone.
    bool has_paper = j.contains("paper");
    bool want_paper = has_paper && j["paper"].get<bool>();
    std::string want_strict = j.at("strict").get<std::string>();
    std::string note = j.value("note", "");
    bool is_response = j.contains("response");
    std::string input = is_response ? j["response"].get<std::string>() : j.at("answer").get<std::string>();

    StrictVerdict paper, strict;
    std::string paper_extracted;
    if (is_response) {
      Grade g = grade_response(input, gold, GradeMode::paper);
      paper = g.verdict;
      paper_extracted = g.extracted.value_or("");
      strict = grade_response(input, gold, GradeMode::strict).verdict;
    } else {
      paper = grade_answer(input, gold, GradeMode::paper);
      strict = grade_answer(input, gold, GradeMode::strict);
    }
    bool got_paper = paper == StrictVerdict::correct;
    std::string got_strict = strict_verdict_name(strict);
    unsure += strict == StrictVerdict::unsure;
    paper_correct += got_paper;
    strict_correct += strict == StrictVerdict::correct;
    disagree += got_paper != (strict == StrictVerdict::correct);
    with_paper += has_paper;
    std::string why;
    if (has_paper && got_paper != want_paper) why += std::string(" paper=") + (got_paper ? "true" : "false");
    if (got_strict != want_strict) why += " strict=" + got_strict;
    if (is_response && j.contains("paper_extracted") && j["paper_extracted"].get<std::string>() != paper_extracted)
      why += " paper_extracted='" + paper_extracted + "' want '" + j["paper_extracted"].get<std::string>() + "'";
    if (!why.empty()) {
      ++n_bad;
      bad << "  line " << lineno << " [" << note << "]:" << why << "\n";
    }
  }
  EXPECT_GE(with_paper, kMinCases) << "the table shrank below " << kMinCases << " cases with the paper's verdict";
  EXPECT_EQ(n_bad, 0u) << n_bad << " of " << n << " rows mismatch:\n" << bad.str();
  std::printf("[table] %zu cases (%zu with the paper's verdict): paper correct %zu, strict correct %zu, "
              "strict unsure %zu, modes disagree on %zu\n",
              n, with_paper, paper_correct, strict_correct, unsure, disagree);
}

}  // namespace
}  // namespace rlvr::rewards

namespace rlvr::rewards {
namespace {

// tests/data/grader/paper_reference.jsonl: 3,000 random (answer, label) pairs from the table's
// answers and labels, wrapped in random response templates (boxed, "The answer is", minerva,
// "\boxed 5$", last number, <answer> tags), with the extracted answer and verdict that the
// paper's own Python code gives. Paper mode must reproduce every one.
TEST(GraderTable, PaperModeMatchesTheReferenceOnRandomPairs) {
  std::string path = data_dir() + "/grader/paper_reference.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::string line;
  size_t n = 0, lineno = 0, n_bad = 0;
  std::ostringstream bad;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    ++n;
    Grade g = grade_response(j.at("response").get<std::string>(), j.at("gold").get<std::string>(), GradeMode::paper);
    std::string want_ex = j["extracted"].is_null() ? "" : j["extracted"].get<std::string>();
    bool want = j.at("correct").get<bool>();
    if (g.extracted.value_or("") != want_ex || g.correct() != want) {
      if (++n_bad <= 50)
        bad << "  line " << lineno << ": extracted '" << g.extracted.value_or("") << "' (want '" << want_ex
            << "'), correct " << g.correct() << " (want " << want << ")\n";
    }
  }
  EXPECT_GE(n, 3000u);
  EXPECT_EQ(n_bad, 0u) << n_bad << " of " << n << " rows mismatch (first 50):\n" << bad.str();
}

}  // namespace
}  // namespace rlvr::rewards
