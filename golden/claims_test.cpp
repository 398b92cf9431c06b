// claims_test: the verdict rules of golden/claims.toml on a fixture golden (one claim per branch),
// the printers, and malformed claims files (exit-2 messages naming the file and field).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "golden/claims.h"
#include "tests/test_paths.h"
#include "util/error.h"

namespace rlvr {
namespace {

std::string data(const std::string& name) { return test::test_data() + "/golden/" + name; }

struct Expected {
  const char* id;
  ClaimVerdict verdict;
  double lo, hi;  // the 95% interval, to 0.1 point (NaN: not checked)
};

// Hand-computed from the fixture's comments (tests/data/golden/claims_measured.toml).
const Expected kCases[] = {
    {"gain-reproduced", ClaimVerdict::reproduced, 0.0917, 0.1083},
    {"gain-inconclusive", ClaimVerdict::inconclusive, -0.0184, 0.0584},
    {"gain-not-reproduced", ClaimVerdict::not_reproduced, -0.0624, -0.0376},
    {"nogain-reproduced", ClaimVerdict::reproduced, NAN, NAN},
    {"nogain-inconclusive", ClaimVerdict::inconclusive, NAN, NAN},
    {"nogain-not-reproduced", ClaimVerdict::not_reproduced, NAN, NAN},
    {"loss-reproduced", ClaimVerdict::reproduced, NAN, NAN},
    {"loss-not-reproduced", ClaimVerdict::not_reproduced, NAN, NAN},
    {"above-reproduced", ClaimVerdict::reproduced, 0.9812, 1.0},
    {"above-direction", ClaimVerdict::direction_only, 0.9812, 1.0},
    {"contrast-untestable", ClaimVerdict::not_testable, 0.2539, 0.3461},
    {"contrast-reproduced", ClaimVerdict::reproduced, 0.2539, 0.3461},
    {"untestable", ClaimVerdict::not_testable, NAN, NAN},
    {"exact-falls-back", ClaimVerdict::reproduced, 0.06 - 1.97196 * 0.02, 0.06 + 1.97196 * 0.02},
    {"gain-direction", ClaimVerdict::direction_only, 0.08 - 2.306 * 0.05, 0.08 + 2.306 * 0.05},
    {"code-reward-no-code", ClaimVerdict::not_testable, NAN, NAN},
    {"one-seed-widened", ClaimVerdict::direction_only, 0.05 - 4.3027 * 0.01 * 2.23607, 0.05 + 4.3027 * 0.01 * 2.23607},
};

TEST(Claims, EveryRuleBranch) {
  ClaimsFile f = claims_load(data("claims_cases.toml"));
  std::vector<ClaimRow> rows = claims_judge(f);
  ASSERT_EQ(rows.size(), std::size(kCases));
  for (size_t i = 0; i < rows.size(); ++i) {
    const Expected& e = kCases[i];
    EXPECT_EQ(rows[i].spec.id, e.id);
    EXPECT_EQ(rows[i].verdict, e.verdict) << e.id << ": " << rows[i].reason;
    if (!std::isnan(e.lo)) EXPECT_NEAR(rows[i].lo, e.lo, 1e-3) << e.id;
    if (!std::isnan(e.hi)) EXPECT_NEAR(rows[i].hi, e.hi, 1e-3) << e.id;
  }
  EXPECT_NEAR(rows[0].paper_gain, 0.214, 1e-12) << "the paper's number comes from the paper golden";
  EXPECT_NEAR(rows[8].value, 1.0, 1e-12) << "an above claim judges the final value";
  EXPECT_NE(rows[10].reason.find("needs 'gain-not-reproduced' reproduced, which is not reproduced on the stand-in"), std::string::npos)
      << rows[10].reason;
  EXPECT_EQ(rows[0].seeds, 25);
  EXPECT_EQ(rows[13].seeds, 1) << "3 identical replicates are one piece of evidence";
  EXPECT_EQ(rows[13].replicates, 3);
  EXPECT_NE(rows[15].reason.find("writes code in 0.0%"), std::string::npos) << rows[15].reason;
  EXPECT_NEAR(rows[16].inflation, std::sqrt(5.0), 1e-12);
  EXPECT_EQ(claims_count_text(rows),
            "6 reproduced, 2 direction only, 3 not reproduced on the stand-in, 2 inconclusive, 3 not testable here "
            "(1 row reads the runs of another row and is counted once)");
}

TEST(Claims, Printers) {
  std::vector<ClaimRow> rows = claims_judge(claims_load(data("claims_cases.toml")));
  std::string md = claims_markdown(rows);
  EXPECT_NE(md.find("| up rises | +21.4 (Big, step 150) | m/up accuracy | +10.0 | [+9.2, +10.8] | 25 | **reproduced** |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| 65.0 -> 95.6% (Big, step 150) | m/up code_frequency | 100.0% | [98.1%, 100.0%] |"), std::string::npos) << md;
  EXPECT_NE(md.find("**not testable here** | no GPU |"), std::string::npos) << md;
  EXPECT_NE(md.find("Sources: claims_measured.toml (25 seeds, 2026-01-02)"), std::string::npos) << md;
  std::string js = claims_json(rows);
  EXPECT_NE(js.find("\"verdict\": \"direction only\""), std::string::npos);
  std::string t = claims_table(rows);
  EXPECT_NE(t.find("-- not testable"), std::string::npos) << t;
}

// Bad claims files: (text, expected message after "FILE: ").
struct BadCase {
  const char* text;
  const char* message;
};
const char* kOne =
    "[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"gain\"\npaper = \"p\"\ngolden = \"GOLDEN\"\ncell = \"m/up\"\n"
    "metric = \"accuracy\"\n";
const BadCase kBad[] = {
    {"[[claim]]\nid = \"a\"\n", "paper_golden: missing"},
    {"paper_golden = \"PAPER\"\n", "claim: missing: a claims file needs at least one [[claim]]"},
    {"paper_golden = \"PAPER\"\nONE colour = 1\n", "claim[0].colour: unknown field"},
    {"paper_golden = \"PAPER\"\nONE", ""},  // the valid one: no error
    {"paper_golden = \"PAPER\"\nONE ONE", "claim[1].id: 'a' appears twice"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"A b\"\n", "claim[0].id: 'A b': use [a-z0-9-]"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"maybe\"\n", "claim[0].expect: unknown 'maybe'"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"gain\"\n", "claim[0].paper: missing"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"gain\"\npaper_cell = \"Big/random0.5\"\n",
     "claim[0].paper_step: missing"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"not_testable\"\npaper = \"p\"\n", "claim[0].why: missing"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"gain\"\npaper = \"p\"\ngolden = \"GOLDEN\"\ncell = \"up\"\n",
     "claim[0].cell: expected MODEL/REWARD, got 'up'"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"above\"\npaper = \"p\"\ngolden = \"GOLDEN\"\n"
     "cell = \"m/up\"\nmetric = \"code_frequency\"\nthreshold = 1.5\n",
     "claim[0].threshold"},
    {"paper_golden = \"PAPER\"\nONE depends_on = \"z\"\n", "claim[0].depends_on: no earlier claim with id 'z'"},
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"gain\"\npaper = \"p\"\ngolden = \"GOLDEN\"\n"
     "cell = \"m/nope\"\nmetric = \"accuracy\"\n",
     "claim[0].cell: "},  // judged: the golden has no such claim
    {"paper_golden = \"PAPER\"\n[[claim]]\nid = \"a\"\ngroup = \"g\"\nclaim = \"c\"\nexpect = \"gain\"\npaper_cell = \"Big/format\"\n"
     "paper_step = 150\ngolden = \"GOLDEN\"\ncell = \"m/up\"\nmetric = \"accuracy\"\n",
     "claim[0].paper_cell: "},
    {"paper_golden = \"PAPER\"\n[[claim\n", ""},  // syntax error: FILE:LINE:COL
    {"NOMARGINpaper_golden = \"PAPER\"\nONE",
     "claim[0].margin: missing: a gain claim needs the smallest effect that counts (here or at the top of the file)"},
    {"paper_golden = \"PAPER\"\nONE requires = \"gpu\"\n", "claim[0].requires: expected \"code\", got 'gpu'"},
    {"paper_golden = \"PAPER\"\nONE same_evidence_as = \"a\"\n", "claim[0].same_evidence_as: no earlier claim with id 'a'"},
};

std::string replace_all(std::string s, const std::string& a, const std::string& b) {
  for (size_t k = 0; (k = s.find(a, k)) != std::string::npos; k += b.size()) s.replace(k, a.size(), b);
  return s;
}

TEST(Claims, BadFilesNameTheFileAndField) {
  auto path = std::filesystem::temp_directory_path() / ("rlvr_claims_bad_" + std::to_string(getpid()) + ".toml");
  for (const BadCase& b : kBad) {
    std::string text = b.text;
    // Every case has a margin but the one about it.
    if (text.rfind("NOMARGIN", 0) == 0) text = text.substr(8);
    else text = replace_all(text, "paper_golden = \"PAPER\"\n", "paper_golden = \"PAPER\"\nmargin = 0.05\n");
    text = replace_all(text, "ONE", kOne);
    text = replace_all(text, "PAPER", data("claims_paper.toml"));
    text = replace_all(text, "GOLDEN", data("claims_measured.toml"));
    std::ofstream(path) << text;
    const bool syntax = text.find("[[claim\n") != std::string::npos;
    try {
      claims_judge(claims_load(path.string()));
      EXPECT_TRUE(std::string(b.message).empty() && !syntax) << "accepted:\n" << text;
    } catch (const InputError& e) {
      std::string w = e.what();
      EXPECT_EQ(w.rfind(path.string() + (syntax ? ":" : ": ") + b.message, 0), 0u) << w;
      EXPECT_FALSE(std::string(b.message).empty() && !syntax) << "refused the valid file: " << w;
    }
  }
  std::filesystem::remove(path);
}

// The claims the repository ships judge without error against the goldens it ships.
TEST(Claims, ShippedFileJudges) {
  ClaimsFile f = claims_load(test::source_dir() + "/golden/claims.toml");
  std::vector<ClaimRow> rows = claims_judge(f);
  EXPECT_EQ(rows.size(), f.claims.size());
  for (const ClaimRow& r : rows)
    if (r.spec.expect != ClaimExpect::not_testable) EXPECT_FALSE(std::isnan(r.value)) << r.spec.id;
}

}  // namespace
}  // namespace rlvr
