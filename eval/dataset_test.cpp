// dataset_test.cpp: MATH-500 schema JSONL loading; each malformed line names its line and field.
#include "eval/dataset.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "eval/prompt_template.h"
#include "tests/test_paths.h"
#include "util/error.h"

namespace {

std::string write_tmp(const std::string& name, const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("rlvr_dataset_test_" + name + ".jsonl");
  std::ofstream(p) << text;
  return p.string();
}

TEST(Dataset, LoadsMath500Schema) {
  auto items = rlvr::dataset_load(rlvr::test::test_data() + "/eval/math500_sample.jsonl");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].id, "test/precalculus/807.json");
  EXPECT_EQ(items[0].answer, "\\left( 3, \\frac{\\pi}{2} \\right)");
  EXPECT_EQ(items[0].level, 2);
  EXPECT_EQ(items[2].answer, "42");  // an integer answer is read as its text
}

TEST(Dataset, MalformedLinesAreNamed) {
  struct Case { std::string text, needle; };
  const std::vector<Case> cases = {
      {"{\"problem\": \"p\", \"unique_id\": \"a\"}\n", ":1: field 'answer': missing"},
      {"{\"problem\": \"p\", \"answer\": \"1\", \"unique_id\": \"a\"}\nnot json\n", ":2: expected a JSON object"},
      {"{\"problem\": \"\", \"answer\": \"1\", \"unique_id\": \"a\"}\n", ":1: field 'problem': empty"},
      {"{\"problem\": [1], \"answer\": \"1\", \"unique_id\": \"a\"}\n", ":1: field 'problem': expected a string"},
      {"{\"problem\": \"p\", \"answer\": \"1\", \"unique_id\": \"a\"}\n{\"problem\": \"q\", \"answer\": \"2\", \"unique_id\": \"a\"}\n",
       ":2: field 'unique_id': 'a' appears twice"},
      {"{\"problem\": \"p\", \"answer\": \"1\", \"unique_id\": \"a\", \"level\": \"hard\"}\n", ":1: field 'level'"},
      {"\n\n", "no problems in the file"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto path = write_tmp(std::to_string(i), cases[i].text);
    try {
      rlvr::dataset_load(path);
      ADD_FAILURE() << "case " << i << ": no error";
    } catch (const rlvr::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(cases[i].needle), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).rfind(path, 0), 0u) << e.what();
    }
  }
  EXPECT_THROW(rlvr::dataset_load("/nonexistent.jsonl"), rlvr::InputError);
}

TEST(PromptTemplate, RendersTheFamiliesTemplates) {
  EXPECT_EQ(rlvr::prompt_render(rlvr::PromptTemplate::qwen_math, "What is 1+1?"),
            "<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n"
            "<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n");
  EXPECT_EQ(rlvr::prompt_render(rlvr::PromptTemplate::plain, "Q"), "Q\n\n");
  EXPECT_NE(rlvr::prompt_render(rlvr::PromptTemplate::r1, "Q").find("User: Q Assistant: <think>"), std::string::npos);
  // The paper scripts' own R1 prompt and stop string (faithful mode for their Llama / OLMo runs).
  const std::string s = rlvr::prompt_render(rlvr::PromptTemplate::spurious_r1, "Q");
  EXPECT_EQ(s.rfind("A conversation between User and Assistant. The user asks a question, and the Assistant solves it.", 0), 0u);
  EXPECT_NE(s.find("<answer> answer here </answer>.\n\n<|user|>\nQ\n<|assistant|>\n<think>"), std::string::npos) << s;
  EXPECT_EQ(s.size() - s.rfind("<think>"), 7u) << "ends in <think>";
  EXPECT_EQ(rlvr::prompt_stop_string(rlvr::PromptTemplate::spurious_r1), "</answer>");
  EXPECT_EQ(rlvr::prompt_stop_string(rlvr::PromptTemplate::r1), "");
  EXPECT_EQ(rlvr::prompt_template_parse("spurious-r1", "x"), rlvr::PromptTemplate::spurious_r1);
  EXPECT_EQ(rlvr::prompt_stop(rlvr::PromptTemplate::qwen_math), "<|im_end|>");
  EXPECT_THROW(rlvr::prompt_template_parse("alpaca", "run.toml: model.template"), rlvr::InputError);
}

}  // namespace
