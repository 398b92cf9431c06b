#include "util/cli.h"

#include <gtest/gtest.h>

#include "util/error.h"

namespace {

struct Argv {
  std::vector<std::string> s;
  std::vector<char*> p;
  explicit Argv(std::vector<std::string> a) : s(std::move(a)) {
    for (auto& x : s) p.push_back(x.data());
  }
  int argc() { return static_cast<int>(p.size()); }
  char** argv() { return p.data(); }
};

TEST(Cli, ParsesOptionsFlagsPositionalsAndRepeats) {
  std::string run, db = "default.db";
  int64_t n = 1;
  double t = 1.0;
  bool resume = false;
  std::vector<std::string> sets;
  rlvr::Cli cli("x", "y");
  cli.positional("RUN", "run", &run).option("--db", "PATH", "db", &db).option("--n", "N", "n", &n)
      .option("--temperature", "T", "t", &t).flag("--resume", "r", &resume).multi("--set", "K=V", "s", &sets);
  Argv a({"x", "run.toml", "--n", "4", "--temperature=0.5", "--set", "a=1", "--set", "b=2", "--resume"});
  ASSERT_TRUE(cli.parse(a.argc(), a.argv()));
  EXPECT_EQ(run, "run.toml");
  EXPECT_EQ(db, "default.db");
  EXPECT_EQ(n, 4);
  EXPECT_DOUBLE_EQ(t, 0.5);
  EXPECT_TRUE(resume);
  EXPECT_EQ(sets, (std::vector<std::string>{"a=1", "b=2"}));
}

TEST(Cli, UsageErrorsAreInputErrors) {
  auto expect_bad = [](std::vector<std::string> args, const char* needle) {
    std::string run;
    int64_t n = 0;
    rlvr::Cli cli("x", "y");
    cli.positional("RUN", "run", &run).option("--n", "N", "n", &n);
    Argv a(std::move(args));
    try {
      cli.parse(a.argc(), a.argv());
      ADD_FAILURE() << "no error for " << needle;
    } catch (const rlvr::InputError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_bad({"x"}, "missing argument RUN");
  expect_bad({"x", "r", "--bogus"}, "unknown option '--bogus'");
  expect_bad({"x", "r", "--n"}, "needs a value");
  expect_bad({"x", "r", "--n", "4x"}, "expected an integer");
  expect_bad({"x", "r", "s"}, "unexpected argument 's'");
  expect_bad({"x", "r", "--n", "1", "--n", "2"}, "given twice");
}

TEST(Cli, HelpReturnsFalse) {
  std::string run;
  rlvr::Cli cli("x", "y");
  cli.positional("RUN", "run", &run);
  Argv a({"x", "--help"});
  testing::internal::CaptureStdout();
  EXPECT_FALSE(cli.parse(a.argc(), a.argv()));
  EXPECT_NE(testing::internal::GetCapturedStdout().find("usage: x RUN"), std::string::npos);
}

}  // namespace
