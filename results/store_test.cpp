#include "results/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "results/metric.h"
#include "results/provenance.h"
#include "util/paths.h"
#include "results/test_util.h"
#include "util/error.h"

namespace rlvr {
namespace {

RunInfo info_for(const std::string& model, const std::string& reward, int64_t seed) {
  RunInfo i = test::cell_run_info("quick", model + "/" + reward, seed);
  i.config_toml = "[train]\nsteps = 5\n";
  i.libtorch_version = "1.13.1";
  return i;
}

TEST(Store, CreatesParentFoldersAndRecordsARunWithProvenance) {
  test::TempDb tmp;
  std::string path = (tmp.dir() / "a" / "b" / "r.db").string();
  Store st(path);
  RunInfo info = info_for("m", "gt", 7);
  info.git_commit.clear();  // left empty: provenance_fill() records this build's
  int64_t run = st.run_begin(info);
  auto r = st.run_get(run);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, rlvr::RunStatus::running);
  EXPECT_EQ(r->info.cell, "m/gt");
  EXPECT_EQ(r->info.seed, 7);
  EXPECT_EQ(r->info.config_toml, "[train]\nsteps = 5\n");
  EXPECT_EQ(r->info.git_commit, provenance_git_commit());
  EXPECT_EQ(r->info.host, provenance_host());
  EXPECT_EQ(r->info.threads, provenance_threads());
  EXPECT_EQ(r->pid, getpid());
  EXPECT_FALSE(r->started_at.empty());
  EXPECT_EQ(r->ended_at, std::nullopt);

  st.run_params(run, {{"train.lr", "1e-6"}, {"train.clip", "0.2"}});
  EXPECT_EQ(st.run_params_get(run), (std::map<std::string, std::string>{{"train.clip", "0.2"}, {"train.lr", "1e-6"}}));

  st.run_finish(run);
  r = st.run_get(run);
  EXPECT_EQ(r->status, rlvr::RunStatus::finished);
  EXPECT_TRUE(r->ended_at);
  EXPECT_EQ(r->fail_reason, std::nullopt);
}

TEST(Store, GitCommitLooksLikeAHash) {
  std::string c = provenance_git_commit();
  if (c != "unknown") {
    ASSERT_GE(c.size(), 40u) << c;
    for (size_t i = 0; i < 40; ++i) EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(c[i]))) << c;
    EXPECT_TRUE(c.size() == 40 || c.substr(40) == "-dirty") << c;
  }
  EXPECT_NE(provenance_host(), "");
  EXPECT_GE(provenance_threads(), 1);
}

TEST(Store, StepMetricsAndCurvesRoundTrip) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t run = st.run_begin(info_for("m", "gt", 1));
  for (int64_t step = 0; step < 4; ++step)
    st.step_metrics_write(run, step, {{"reward_mean", 0.1 * step}, {"loss", 1.0 - 0.1 * step}});
  st.step_metrics_write(run, 4, {{"loss", std::numeric_limits<double>::quiet_NaN()}});
  auto c = st.metric_curve(run, "reward_mean");
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[3].step, 3);
  EXPECT_DOUBLE_EQ(*c[3].value, 0.3);
  auto loss = st.metric_curve(run, "loss");
  ASSERT_EQ(loss.size(), 5u);
  EXPECT_EQ(loss[4].value, std::nullopt);  // NaN is stored as NULL
  // A second write of the same (run, key, step) is a bug, and rolls back the whole step.
  EXPECT_THROW(st.step_metrics_write(run, 3, {{"a_new_key", 1.0}, {"reward_mean", 9.0}}), DbError);
  EXPECT_TRUE(st.metric_curve(run, "a_new_key").empty());
}

TEST(Store, EvalWriteRoundTripsItemsInPairableOrder) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t run = st.run_begin(info_for("m", "gt", 1));
  std::vector<EvalItem> items = {
      {"p2", 0, true, true, false, "7", true},
      {"p1", 1, false, false, std::nullopt, std::nullopt, std::nullopt},
      {"p1", 0, true, false, false, "\\frac{1}{2}", false},
  };
  st.eval_write(run, 10, "synth", {{"accuracy", 2.0 / 3}, {"code_frequency", 1.0 / 3}}, items);
  auto got = st.eval_items(run, 10, "synth");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].problem_id, "p1");
  EXPECT_EQ(got[0].sample, 0);
  EXPECT_EQ(got[0].extracted, "\\frac{1}{2}");
  EXPECT_EQ(got[0].has_code_strict, false);
  EXPECT_EQ(got[1].sample, 1);
  EXPECT_EQ(got[1].extracted, std::nullopt);
  EXPECT_EQ(got[1].boxed, std::nullopt);
  EXPECT_EQ(got[2].problem_id, "p2");
  EXPECT_TRUE(got[2].correct && got[2].has_code);
  EXPECT_EQ(got[2].boxed, true);
  EXPECT_TRUE(st.eval_items(run, 10, "other").empty());
  EXPECT_EQ(st.eval_steps(run, "synth"), std::vector<int64_t>{10});
  auto m = st.eval_metrics(run, 10, "synth");
  EXPECT_DOUBLE_EQ(m.at("accuracy"), 2.0 / 3);
  auto curve = st.eval_curve(run, "synth", "code_frequency");
  ASSERT_EQ(curve.size(), 1u);
  EXPECT_DOUBLE_EQ(*curve[0].value, 1.0 / 3);
}

TEST(Store, EvalWriteThatFailsHalfwayLeavesNothing) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t run = st.run_begin(info_for("m", "gt", 1));
  std::vector<EvalItem> items(50);
  for (size_t i = 0; i < items.size(); ++i) items[i].problem_id = test::numbered("p", static_cast<int64_t>(i));
  items[40].problem_id = "p3";  // duplicate: the 41st insert fails after metrics and 40 items
  EXPECT_THROW(st.eval_write(run, 0, "synth", {{"accuracy", 0.5}}, items), DbError);
  EXPECT_TRUE(st.eval_metrics(run, 0, "synth").empty());
  EXPECT_TRUE(st.eval_items(run, 0, "synth").empty());
  // The store is still usable afterwards.
  items[40].problem_id = "p40";
  st.eval_write(run, 0, "synth", {{"accuracy", 0.5}}, items);
  EXPECT_EQ(st.eval_items(run, 0, "synth").size(), 50u);
}

TEST(Store, ProbeWriteRoundTripsAndTheLatestProbeOfAModelIsFound) {
  test::TempDb tmp;
  Store st(tmp.path());
  EXPECT_EQ(st.probe_latest("m", "synth"), std::nullopt);
  auto probe = [&](double exact_share, bool finish) {
    int64_t run = st.run_begin(info_for("m", "probe", 0));
    std::vector<ProbeItem> items = {{"p2", 5, 4, " 3 + 4", " 3 + 4", true, 1.0, true},
                                    {"p1", 6, 4, " 9 apples", " 2 pears", false, 0.0, false}};
    st.probe_write(run, 0, "synth",
                   {{metric_cstr(Metric::probe_exact_match), exact_share}, {metric_cstr(Metric::probe_rouge_l), 0.5}, {metric_cstr(Metric::probe_accuracy), 0.5},
                    {metric_cstr(Metric::probe_problems), 2}},
                   items);
    if (finish) st.run_finish(run);
    return run;
  };
  const int64_t first = probe(0.5, true);
  auto got = st.probe_items(first, 0, "synth");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].problem_id, "p1");  // ordered by problem
  EXPECT_EQ(got[0].completion, " 2 pears");
  EXPECT_EQ(got[1].given_tokens, 5);
  EXPECT_TRUE(got[1].exact && got[1].correct);
  EXPECT_DOUBLE_EQ(got[1].rouge_l, 1.0);
  auto latest = st.probe_latest("m", "synth");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->run, first);
  EXPECT_DOUBLE_EQ(latest->exact_match, 0.5);
  EXPECT_EQ(latest->problems, 2);
  probe(0.25, /*finish=*/false);  // still running: not a result yet
  EXPECT_EQ(st.probe_latest("m", "synth")->run, first);
  const int64_t third = probe(0.0, true);
  EXPECT_EQ(st.probe_latest("m", "synth")->run, third);
  EXPECT_EQ(st.probe_latest("m", "other"), std::nullopt);
  EXPECT_EQ(st.probe_latest("n", "synth"), std::nullopt);
  // A finished run takes no more probe rows.
  EXPECT_THROW(st.probe_write(third, 0, "synth2", {}, {{"p1", 1, 1, "a", "b", false, 0, false}}), DbError);
}

TEST(Store, ProbeWriteThatFailsHalfwayLeavesNothing) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t run = st.run_begin(info_for("m", "probe", 0));
  std::vector<ProbeItem> items = {{"p1", 1, 1, "a", "a", true, 1, true}, {"p2", 1, 1, "a", "b", false, 1.5, false}};  // rouge_l > 1
  EXPECT_THROW(st.probe_write(run, 0, "synth", {{metric_cstr(Metric::probe_exact_match), 0.5}}, items), DbError);
  EXPECT_TRUE(st.eval_metrics(run, 0, "synth").empty());
  EXPECT_TRUE(st.probe_items(run, 0, "synth").empty());
}

TEST(Store, EndedRunsCannotBeFinishedOrWrittenTo) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t failed = st.run_begin(info_for("m", "gt", 1));
  st.step_metrics_write(failed, 0, {{"loss", 1.0}});
  st.run_fail(failed, 3, "loss is NaN");
  auto r = st.run_get(failed);
  EXPECT_EQ(r->status, rlvr::RunStatus::failed);
  EXPECT_EQ(r->fail_step, 3);
  EXPECT_EQ(r->fail_reason, "loss is NaN");
  EXPECT_THROW(st.run_finish(failed), std::logic_error);
  EXPECT_EQ(st.run_get(failed)->status, rlvr::RunStatus::failed);
  EXPECT_THROW(st.step_metrics_write(failed, 4, {{"loss", 1.0}}), DbError);
  EXPECT_THROW(st.eval_write(failed, 4, "synth", {{"accuracy", 1.0}}, {}), DbError);

  int64_t killed = st.run_begin(info_for("m", "gt", 2));
  st.run_mark_killed(killed, 5, "SIGTERM");
  EXPECT_THROW(st.run_finish(killed), std::logic_error);
  EXPECT_EQ(st.run_get(killed)->status, rlvr::RunStatus::killed);

  int64_t done = st.run_begin(info_for("m", "gt", 3));
  st.run_finish(done);
  EXPECT_THROW(st.run_finish(done), std::logic_error);
  EXPECT_THROW(st.run_finish(12345), std::logic_error);
  EXPECT_THROW(st.step_metrics_write(12345, 0, {{"loss", 1.0}}), DbError);
}

TEST(Store, RunsFindFilters) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t a = st.run_begin(info_for("m1", "gt", 1));
  int64_t b = st.run_begin(info_for("m1", "random", 1));
  int64_t c = st.run_begin(info_for("m2", "gt", 2));
  st.run_finish(b);
  auto ids = [](const std::vector<RunRow>& rows) {
    std::vector<int64_t> v;
    for (const auto& r : rows) v.push_back(r.id);
    return v;
  };
  EXPECT_EQ(ids(st.runs_find({})), (std::vector<int64_t>{a, b, c}));
  RunFilter f;
  f.model = "m1";
  EXPECT_EQ(ids(st.runs_find(f)), (std::vector<int64_t>{a, b}));
  f.status = rlvr::RunStatus::finished;
  EXPECT_EQ(ids(st.runs_find(f)), (std::vector<int64_t>{b}));
  RunFilter g;
  g.reward = "gt";
  g.seed = 2;
  EXPECT_EQ(ids(st.runs_find(g)), (std::vector<int64_t>{c}));
  RunFilter h;
  h.cell = "m1/gt";
  h.suite = "quick";
  EXPECT_EQ(ids(st.runs_find(h)), (std::vector<int64_t>{a}));
}

TEST(Store, ResumeDropsRowsAfterTheCheckpointAndRunsAgain) {
  test::TempDb tmp;
  Store st(tmp.path());
  int64_t run = st.run_begin(info_for("m", "gt", 1));
  for (int64_t s = 0; s <= 5; ++s) st.step_metrics_write(run, s, {{"loss", 1.0 * s}});
  st.eval_write(run, 0, "synth", {{"accuracy", 0.1}}, {{"p1", 0, false, false, false, std::nullopt, false}});
  st.eval_write(run, 5, "synth", {{"accuracy", 0.2}}, {{"p1", 0, true, false, false, "1", true}});
  st.run_mark_killed(run, 5, "SIGINT");
  st.run_resume(run, 3);  // checkpoint at step 3
  auto r = st.run_get(run);
  EXPECT_EQ(r->status, rlvr::RunStatus::running);
  EXPECT_EQ(r->fail_reason, std::nullopt);
  EXPECT_EQ(st.metric_curve(run, "loss").size(), 4u);  // steps 0..3
  EXPECT_EQ(st.eval_steps(run, "synth"), std::vector<int64_t>{0});
  EXPECT_TRUE(st.eval_items(run, 5, "synth").empty());
  st.step_metrics_write(run, 4, {{"loss", 4.0}});  // logged again without a conflict
  st.run_finish(run);
  EXPECT_THROW(st.run_resume(run, 3), InputError);
}

TEST(Store, ReapsRunsWhoseProcessDiedWithoutFinishing) {
  test::TempDb tmp;
  std::string path = tmp.path();
  Store st(path);
  int64_t mine = st.run_begin(info_for("m", "gt", 1));  // this process: alive, not reaped
  pid_t pid = test::child_start([&] {
    Store child(path);
    int64_t run = child.run_begin(info_for("m", "gt", 2));
    child.step_metrics_write(run, 0, {{"loss", 1.0}});
    child.step_metrics_write(run, 1, {{"loss", 1.0}});
    // exits without run_finish: a crash as the database sees it
  });
  ASSERT_EQ(test::child_wait(pid), 0);
  EXPECT_EQ(st.runs_reap_stale(), 1);
  RunFilter f;
  f.status = rlvr::RunStatus::killed;
  auto killed = st.runs_find(f);
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0].info.seed, 2);
  EXPECT_EQ(killed[0].fail_step, 1);
  EXPECT_NE(killed[0].fail_reason->find(std::to_string(pid)), std::string::npos);
  EXPECT_EQ(st.run_get(mine)->status, rlvr::RunStatus::running);
  EXPECT_EQ(st.runs_reap_stale(), 0);
}

TEST(Store, DefaultPathPrefersFlagThenEnvironmentThenSourceTree) {
  const char* old = std::getenv("RLVRBENCH_DB");
  std::string saved = old ? old : "";
  setenv("RLVRBENCH_DB", "/tmp/env.db", 1);
  EXPECT_EQ(store_default_path("/x/flag.db"), "/x/flag.db");
  EXPECT_EQ(store_default_path(""), "/tmp/env.db");
  unsetenv("RLVRBENCH_DB");
  EXPECT_EQ(store_default_path(""), source_dir() + "/results/rlvrbench.db");
  if (old) setenv("RLVRBENCH_DB", saved.c_str(), 1);
}

TEST(Store, EmptyPathIsInputError) { EXPECT_THROW(Store st(""), InputError); }

}  // namespace
}  // namespace rlvr
