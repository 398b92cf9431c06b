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

// The forms other math sets come in (data-driven: file text, then what the first item must hold).
TEST(Dataset, LoadsTheFormsOtherSetsComeIn) {
  struct Case {
    std::string text, problem, answer, id, answer_from;
  };
  const std::vector<Case> cases = {
      {"{\"question\": \"Q?\", \"answer\": 7}\n", "Q?", "7", "line1", "answer"},                        // GSM8K-like, no id
      {"{\"Problem\": \"P\", \"Answer\": 204, \"ID\": \"2024-I-1\"}\n", "P", "204", "2024-I-1", "Answer"},  // AIME 2024
      {"[{\"prompt\": \"p\", \"answer\": \"142.0\", \"id\": \"0\"}]", "p", "142.0", "0", "answer"},    // the scripts' test.json
      {"{\"problem\": \"p\", \"solution\": \"so \\\\boxed{\\\\frac{1}{2}}.\", \"id\": 3}\n", "p", "\\frac{1}{2}", "3",
       "solution \\boxed{}"},                                                                              // MATH without answer
      {"{\"problem\": \"p\", \"answer\": 1.5, \"unique_id\": \"u\"}\n", "p", "1.5", "u", "answer"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto path = write_tmp("form" + std::to_string(i), cases[i].text);
    rlvr::DatasetReport r = rlvr::dataset_load_report(path);
    ASSERT_EQ(r.items.size(), 1u) << i;
    EXPECT_EQ(r.items[0].problem, cases[i].problem) << i;
    EXPECT_EQ(r.items[0].answer, cases[i].answer) << i;
    EXPECT_EQ(r.items[0].id, cases[i].id) << i;
    EXPECT_EQ(r.answer_from.begin()->first, cases[i].answer_from) << i;
  }
  auto bad = write_tmp("form-bad", "[{\"prompt\": \"p\"}]");
  EXPECT_THROW(rlvr::dataset_load(bad), rlvr::InputError);
  auto notarray = write_tmp("form-notarray", "[1, 2");
  EXPECT_THROW(rlvr::dataset_load(notarray), rlvr::InputError);
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
