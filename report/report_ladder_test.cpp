// report_ladder_test.cpp: reading power's JSON into ladders, drawing them, and the exit-2 errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "report/report_ladder.h"
#include "util/error.h"
#include "util/file.h"

namespace rlvr::report {
namespace {

struct LadderFile : ::testing::Test {
  std::string path = (std::filesystem::temp_directory_path() / ("rlvr_ladder_" + std::to_string(getpid()) + ".json")).string();
  void TearDown() override { std::filesystem::remove(path); }
  void write(const std::string& text) { file_write_atomic(path, text); }
  std::string error_of() {
    try {
      ladder_view_load(path);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }
};

constexpr const char* kPower = R"({"suite": "quick", "group": 8, "seeds": [36, 37, 38, 39, 40, 41, 42, 43], "mutants": [
  {"name": "clip-off", "ladder": "", "rung": 0, "caught": 1, "seeds_run": 1},
  {"name": "lr-x0.5", "ladder": "lr", "rung": 0.5, "caught": 1, "seeds_run": 1},
  {"name": "clip-range+0.3", "ladder": "clip-range", "rung": 0.3, "caught": 1, "seeds_run": 1},
  {"name": "lr-x0.25", "ladder": "lr", "rung": 0.25, "caught": 1, "seeds_run": 1},
  {"name": "clip-range+0.05", "ladder": "clip-range", "rung": 0.05, "caught": 0, "seeds_run": 1}]})";

TEST_F(LadderFile, ReadsRungsByLadderSortedAndDraws) {
  write(kPower);
  LadderView v = ladder_view_load(path);
  EXPECT_EQ(v.group, 8);
  ASSERT_EQ(v.ladders.size(), 2u);  // clip-off is no rung
  EXPECT_EQ(v.ladders[0].name, "lr");
  ASSERT_EQ(v.ladders[0].rungs.size(), 2u);
  EXPECT_DOUBLE_EQ(v.ladders[0].rungs[0].rung, 0.25);  // sorted by size
  EXPECT_EQ(v.ladders[1].rungs[0].mutant, "clip-range+0.05");
  Figure f = ladder_figure(v);
  EXPECT_EQ(f.id, "fig-6-ladders");
  EXPECT_NE(f.svg.find("<svg"), std::string::npos);
  EXPECT_NE(f.title.find("runs of 8 seeds"), std::string::npos);
  std::string t = ladder_table_html(v);
  EXPECT_NE(t.find("<td>clip-range+0.05</td><td>0 / 1</td>"), std::string::npos) << t;
}

TEST_F(LadderFile, MalformedIsInputErrorNamingTheField) {
  write("{not json");
  EXPECT_EQ(error_of(), path + ": not a JSON object (expected `rlvrbench power --format json`)");
  write(R"({"suite": "q", "seeds": [1], "mutants": [{"name": "a", "ladder": "lr", "rung": 0.5, "caught": 2, "seeds_run": 1}]})");
  EXPECT_EQ(error_of(), path + ": mutants[0]: caught: more than seeds_run");
  write(R"({"suite": "q", "seeds": [1], "mutants": [{"name": "a", "ladder": "lr", "rung": 0.5, "seeds_run": 1}]})");
  EXPECT_EQ(error_of(), path + ": mutants[0]: caught: missing");
  write(R"({"suite": "q", "seeds": [1], "mutants": [{"name": "a", "ladder": "", "rung": 0, "caught": 0, "seeds_run": 1}]})");
  EXPECT_EQ(error_of(), path + ": mutants: no ladder rung (a [[mutant]] with ladder = ...): nothing to draw");
  write(R"({"seeds": [1], "mutants": []})");
  EXPECT_EQ(error_of(), path + ": suite: missing");
}

}  // namespace
}  // namespace rlvr::report
