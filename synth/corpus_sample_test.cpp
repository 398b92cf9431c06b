#include "synth/corpus_sample.h"

#include <gtest/gtest.h>

#include "tests/test_paths.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <regex>
#include <set>

#include "synth/corpus_cues.h"
#include "synth/test_oracle.h"

namespace rlvr::synth {
namespace {

std::string zoo_path(const std::string& name) {
  return test::source_dir() + "/models/zoo/" + name + ".toml";
}

// Documents per spec: enough for ~1.5 points of binomial noise on a rate.
constexpr int kDocs = 4000;
// Allowed deviation of a measured corpus rate: 4 binomial standard errors (a false alarm about
// once in 15,000 checks), plus the calibration's own error for the slip rates.
double tol(double p, double n) { return 4.0 * std::sqrt(std::max(p * (1 - p), 0.01) / std::max(n, 1.0)); }
constexpr double kCalibrationSlack = 0.015;

struct Written {
  int64_t left, right, result;
  char op;
};

// The steps as the response writes them, read back from the text.
std::vector<Written> read_steps(const std::string& response) {
  static const std::regex lang(R"(\$(\d+) (\+|-|\\times|\\div) (\d+) = (-?\d+)\$\.)");
  static const std::regex code(R"(step\d+ = (\d+) (\+|-|\*|//) (\d+)  # (-?\d+))");
  std::vector<Written> out;
  const bool is_code = response.find("```python") != std::string::npos;
  const std::regex& re = is_code ? code : lang;
  for (auto it = std::sregex_iterator(response.begin(), response.end(), re); it != std::sregex_iterator(); ++it) {
    const std::string op = (*it)[2];
    const char c = op == "+" ? '+' : op == "-" ? '-' : (op == "*" || op == "\\times") ? '*' : '/';
    out.push_back({std::stoll((*it)[1]), std::stoll((*it)[3]), std::stoll((*it)[4]), c});
  }
  return out;
}

int64_t apply(char op, int64_t a, int64_t b) { return op == '+' ? a + b : op == '-' ? a - b : op == '*' ? a * b : a / b; }

void check_spec(const std::string& name) {
  SCOPED_TRACE(name);
  const ZooSpec spec = zoo_spec_load(zoo_path(name));
  const CorpusSampler corpus(spec);
  const PriorSpec& pr = spec.prior;
  // The calibration moves in steps of one fact. The default world has ~2,000 facts (steps of
  // under a point); the zoo world (2-3 steps, operands 1..6, values <= 50, no division) has ~550,
  // heavier ones, so the nearest prefix can sit a few points away at the extreme rates (measured:
  // 3.4 for synth-olmo2-7b's code error 0.92, a strategy its corpus never uses); either is inside
  // the 0.10 tolerance `zoo inspect` judges the trained models by.
  const bool default_world = spec.world.ops == WorldKnobs{}.ops && spec.world.steps_max == WorldKnobs{}.steps_max;
  const double calib_tol = default_world ? 0.01 : 0.05;
  EXPECT_NEAR(corpus.slips(Strategy::code).calibration_error(), pr.code_error, calib_tol);
  EXPECT_NEAR(corpus.slips(Strategy::language).calibration_error(), pr.language_error, calib_tol);

  double n_code = 0, code_wrong = 0, n_lang = 0, lang_wrong = 0, boxed = 0, greedy_code = 0;
  for (uint64_t i = 0; i < kDocs; ++i) {
    const CorpusDoc d = corpus.doc(i);
    ASSERT_EQ(d.problem.split, Split::train);
    // Independent recomputation of the gold answer and of the response's correctness.
    const int64_t gold = oracle::question_value(problem_text(d.problem));
    ASSERT_EQ(gold, d.problem.answer);
    const auto stated = oracle::response_answer(d.response);
    ASSERT_TRUE(stated.has_value()) << d.response;
    ASSERT_EQ(*stated == gold, d.correct) << d.response;
    ASSERT_EQ(d.response.find("boxed") != std::string::npos, d.boxed);
    ASSERT_EQ(d.response.find("python") != std::string::npos, d.strategy == Strategy::code);
    // A wrong value is carried consistently: each step starts from the previous step's result,
    // and every wrong answer comes from at least one written step that is itself wrong.
    const auto steps = read_steps(d.response);
    ASSERT_EQ(steps.size(), d.problem.steps.size()) << d.response;
    int64_t v = d.problem.start;
    int slipped = 0;
    for (const Written& w : steps) {
      ASSERT_EQ(w.left, v) << d.response;
      slipped += w.result != apply(w.op, w.left, w.right);
      v = w.result;
    }
    ASSERT_EQ(v, *stated);
    if (!d.correct) {
      ASSERT_GT(slipped, 0);
    }

    (d.strategy == Strategy::code ? n_code : n_lang) += 1;
    if (!d.correct) (d.strategy == Strategy::code ? code_wrong : lang_wrong) += 1;
    boxed += d.boxed;
    greedy_code += corpus.code_probability(d.problem) > 0.5;
  }
  const double n = kDocs, share = n_code / n, box = boxed / n;
  const double code_err = n_code ? code_wrong / n_code : 0, lang_err = n_lang ? lang_wrong / n_lang : 0;
  std::printf("%-24s code share %.3f (planted %.3f; greedy %.3f)  code error %.3f (%.3f)  language error %.3f (%.3f)  "
              "boxed %.3f (%.3f)\n",
              name.c_str(), share, pr.code_share, greedy_code / n, code_err, pr.code_error, lang_err, pr.language_error,
              box, pr.box_rate);
  EXPECT_NEAR(share, pr.code_share, tol(pr.code_share, n));
  EXPECT_NEAR(box, pr.box_rate, tol(pr.box_rate, n));
  if (n_code > 0) {
    EXPECT_NEAR(code_err, pr.code_error, tol(pr.code_error, n_code) + kCalibrationSlack);
  }
  EXPECT_NEAR(lang_err, pr.language_error, tol(pr.language_error, n_lang) + kCalibrationSlack);
  // A model that learns the cues meets both strategies at greedy decoding, in about the planted
  // share (up to one cue class, 1/32 of the problems, plus sampling noise). Not so under a
  // spread prior: there the greedy share is the share of classes above 0.5, by design.
  if (pr.code_spread) return;
  const int classes = kPhrasings * static_cast<int>(spec.world.ops.size());
  EXPECT_NEAR(greedy_code / n, pr.code_share, 1.0 / classes + tol(pr.code_share, n));
}

TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_QwenMath7B) { check_spec("synth-qwen-math-7b"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_QwenMath15B) { check_spec("synth-qwen-math-1.5b"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_Qwen7B) { check_spec("synth-qwen-7b"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_Olmo2Sft) { check_spec("synth-olmo2-7b-sft"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_Llama8BInstruct) { check_spec("synth-llama-8b-instruct"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_Olmo2) { check_spec("synth-olmo2-7b"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_Micro) { check_spec("synth-micro"); }
TEST(CorpusSample, MixErrorRatesAndBoxingMatchTheSpec_MicroSpread) { check_spec("synth-micro-spread"); }

TEST(CorpusSample, SameSpecSameBytes) {
  const ZooSpec spec = zoo_spec_load(zoo_path("synth-micro"));
  const CorpusSampler a(spec), b(spec);
  Rng ra(42), rb(42);
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(corpus_render(a.sample(ra), ChatTemplate::chatml), corpus_render(b.sample(rb), ChatTemplate::chatml));
    ASSERT_EQ(a.doc(i).response, b.doc(i).response);
  }
  ZooSpec other = spec;
  other.seed += 1;
  const CorpusSampler c(other);
  int same = 0;
  for (int i = 0; i < 200; ++i) same += a.doc(i).response == c.doc(i).response;
  EXPECT_LT(same, 100);
}

TEST(CorpusSample, StrategiesSlipOnDifferentFacts) {
  const CorpusSampler corpus(zoo_spec_load(zoo_path("synth-qwen-math-7b")));
  int only_code = 0, only_lang = 0;
  for (uint64_t i = 0; i < 2000; ++i) {
    const Problem p = world_problem_make(3, i, Split::eval, corpus.spec().world);
    const bool c = corpus.respond(p, Strategy::code, true).correct, l = corpus.respond(p, Strategy::language, true).correct;
    only_code += c && !l;
    only_lang += l && !c;
  }
  EXPECT_GT(only_code, 200);
  EXPECT_GT(only_lang, 50);
}

// Every class of a cue rule (24 classes, salt 99) is a probability and their mean is the rate.
void expect_probabilities_average_to(const std::function<double(int)>& p_of_class, double rate, double tol) {
  double sum = 0;
  for (int c = 0; c < 24; ++c) {
    const double p = p_of_class(c);
    ASSERT_GE(p, 0.0);
    ASSERT_LE(p, 1.0);
    sum += p;
  }
  EXPECT_NEAR(sum / 24, rate, tol);
}

TEST(CorpusSample, CueProbabilitiesAverageToTheRate) {
  for (double rate : {0.0, 0.05, 0.5, 0.65, 0.98, 1.0})
    for (double focus : {0.0, 0.5, 1.0})
      expect_probabilities_average_to([&](int c) { return cue_probability(rate, focus, 99, c, 24); }, rate, 1e-12);
}

// The spread rule keeps the mean at the rate, orders classes by their rank, and its knob moves
// mass toward 0.5 (small spread) or to the ends (large spread).
TEST(CorpusSample, SpreadProbabilitiesAverageToTheRateAndSpread) {
  auto mid_share = [](double rate, double spread) {
    int mid = 0;
    for (int c = 0; c < 24; ++c) {
      const double p = cue_probability_spread(rate, spread, 99, c, 24);
      mid += p >= 0.3 && p <= 0.7;
    }
    return mid / 24.0;
  };
  for (double rate : {0.0, 0.05, 0.5, 0.65, 0.98, 1.0})
    for (double spread : {0.0, 0.5, 1.5, 4.0}) {
      SCOPED_TRACE(std::to_string(rate) + " " + std::to_string(spread));
      expect_probabilities_average_to([&](int c) { return cue_probability_spread(rate, spread, 99, c, 24); }, rate, 1e-9);
    }
  EXPECT_EQ(mid_share(0.65, 0.0), 1.0);   // every class at 0.65
  EXPECT_GT(mid_share(0.65, 1.0), mid_share(0.65, 4.0));
  EXPECT_LT(mid_share(0.65, 4.0), 0.25);
}

// language_variety > 1: language lines vary by document (each form is drawn), code stays one
// text; variety 1 is byte-identical to the spec without the key.
TEST(CorpusSample, LanguageVarietyVariesProseOnly) {
  ZooSpec spec = zoo_spec_load(zoo_path("synth-micro"));
  const CorpusSampler plain(spec);
  spec.prior.language_variety = 1;
  const CorpusSampler one(spec);
  spec.prior.language_variety = 4;
  const CorpusSampler four(spec);
  std::set<std::string> lang_texts, code_texts;
  const Problem p = world_problem_make(3, 7, Split::eval, spec.world);
  for (uint64_t key = 0; key < 64; ++key) {
    lang_texts.insert(four.respond(p, Strategy::language, true, key).response);
    code_texts.insert(four.respond(p, Strategy::code, true, key).response);
    EXPECT_EQ(one.respond(p, Strategy::language, true, key).response, plain.respond(p, Strategy::language, true).response);
  }
  EXPECT_GT(lang_texts.size(), 4u);
  EXPECT_EQ(code_texts.size(), 1u);
  for (const auto& s : lang_texts) {
    EXPECT_EQ(s.find("python"), std::string::npos);
    EXPECT_NE(s.find("\\boxed{"), std::string::npos);
  }
}

TEST(CorpusSample, TemplatesWrapPromptAndResponse) {
  const CorpusSampler corpus(zoo_spec_load(zoo_path("synth-micro")));
  const CorpusDoc d = corpus.doc(0);
  const std::string chat = corpus_render(d, ChatTemplate::chatml);
  EXPECT_EQ(chat.rfind("<|im_start|>system\nPlease reason step by step", 0), 0u);
  EXPECT_EQ(chat, prompt_render(d.problem, ChatTemplate::chatml) + d.response + "<|im_end|>");
  EXPECT_NE(chat.find("<|im_start|>user\n" + problem_text(d.problem) + "<|im_end|>\n<|im_start|>assistant\n"),
            std::string::npos);
  EXPECT_EQ(corpus_render(d, ChatTemplate::plain), problem_text(d.problem) + "\n\n" + d.response + "<|endoftext|>");
}

}  // namespace
}  // namespace rlvr::synth
