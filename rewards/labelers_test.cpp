#include "rewards/labelers.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace rlvr::rewards {
namespace {

TEST(Labelers, MajorityTiesGoToTheFirstSeen) {
  EXPECT_EQ(label_majority({"3", "4", "4", "3"}).value(), "3");
  EXPECT_EQ(label_majority({"4", "3", "3", "4"}).value(), "4");
  EXPECT_EQ(label_majority({"", "", "7"}).value(), "7");  // empty answers do not vote
  EXPECT_EQ(label_majority({"1", "2", "2"}).value(), "2");
  EXPECT_FALSE(label_majority({"", ""}).has_value());
  EXPECT_FALSE(label_majority({}).has_value());
}

TEST(Labelers, MajorityVoteAndIncorrect) {
  std::vector<std::vector<std::string>> answers = {
      {"5", "5", "6"},            // majority right
      {"\\frac{1}{2}", "0.5", "7", "7"},  // majority 7, wrong
      {"", ""},                   // no answer
      {"4", "2"},                 // tie: first seen, "4", wrong
  };
  std::vector<std::string> golds = {"5", "0.5", "1", "2"};
  auto mv = label_majority_vote(answers);
  ASSERT_EQ(mv.size(), 3u);
  EXPECT_EQ(mv[1].prompt, 1u);
  EXPECT_EQ(mv[1].label, "7");
  auto wrong = label_incorrect(answers, golds, GradeMode::paper);
  ASSERT_EQ(wrong.size(), 2u);
  EXPECT_EQ(wrong[0].prompt, 1u);
  EXPECT_EQ(wrong[0].label, "7");
  EXPECT_EQ(wrong[1].prompt, 3u);
  EXPECT_EQ(wrong[1].label, "4");
  // The grader decides "wrong": an equivalent form is not an incorrect label.
  auto none = label_incorrect({{"\\frac{1}{2}"}}, {"0.5"}, GradeMode::paper);
  EXPECT_TRUE(none.empty());
  EXPECT_THROW(label_incorrect(answers, {"1"}, GradeMode::paper), InputError);
}

TEST(Labelers, OneShotFillsTheBatch) {
  auto b = label_one_shot(17, "12.8", 64);
  ASSERT_EQ(b.size(), 64u);
  for (const auto& p : b) {
    EXPECT_EQ(p.prompt, 17u);
    EXPECT_EQ(p.label, "12.8");
  }
}

}  // namespace
}  // namespace rlvr::rewards
