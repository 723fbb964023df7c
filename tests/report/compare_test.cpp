#include "report/compare.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "run_fixture.h"

namespace fg::report {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

struct TwoRuns {
  TempDir tmp;
  fs::path alibi, abspe;
  TwoRuns() {
    alibi = testing::make_run(
        tmp / "alibi", {.config_name = "ALiBi <GLU>", .sample = "Once upon a <b>time</b> & more"});
    abspe = testing::make_run(tmp / "abspe", {.config_name = "AbsPE",
                                              .loss_scale = 1.1,
                                              .finished = false,
                                              .weight_shape = {1000, 1000}});
  }
};

TEST(Compare, PrintsATableAndWritesAnHtmlReport) {
  TwoRuns r;
  CompareOptions o;
  o.runs = {r.alibi, r.abspe};
  o.html_path = r.tmp / "report.html";
  std::ostringstream out;
  const Comparison c = run_compare(o, out);
  ASSERT_EQ(c.runs.size(), 2u);
  const std::string text = out.str();
  EXPECT_NE(text.find("Run "), std::string::npos) << text;
  EXPECT_NE(text.find("ALiBi <GLU>"), std::string::npos);
  EXPECT_NE(text.find("1.0M"), std::string::npos);   // 1000x1000 + 1000 parameters
  EXPECT_NE(text.find("100*"), std::string::npos);   // the unfinished run
  EXPECT_NE(text.find("4,321"), std::string::npos);  // tokens/s of the finished run
  EXPECT_NE(text.find("2m05s"), std::string::npos);  // its 125 s wall time
  EXPECT_NE(text.find("wrote " + (r.tmp / "report.html").string()), std::string::npos);

  const std::string html = read(r.tmp / "report.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(html, "<svg"), 3u);       // train loss, eval loss, learning rate
  EXPECT_EQ(count(html, "<polyline"), 6u);  // one per run per chart
  EXPECT_NE(html.find("ALiBi &lt;GLU&gt;"), std::string::npos);
  EXPECT_EQ(html.find("ALiBi <GLU>"), std::string::npos);
  EXPECT_NE(html.find("Once upon a &lt;b&gt;time&lt;/b&gt; &amp; more"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no fetches
}

TEST(Compare, DuplicateNamesAreDisambiguated) {
  TempDir tmp;
  const auto a = testing::make_run(tmp / "a", {.config_name = "same"});
  const auto b = testing::make_run(tmp / "b", {.config_name = "same"});
  const Comparison c = load_comparison({.runs = {a, b}, .html_path = {}});
  EXPECT_EQ(c.runs[0].name, "same [" + a.string() + "]");
  EXPECT_EQ(c.runs[1].name, "same [" + b.string() + "]");
}

TEST(Compare, BadRunsThrowOrAreSkipped) {
  TwoRuns r;
  CompareOptions o;
  o.runs = {r.alibi, r.tmp / "missing"};
  o.html_path.clear();
  std::ostringstream out;
  EXPECT_THROW(run_compare(o, out), IoError);
  o.skip_bad_runs = true;
  const Comparison c = run_compare(o, out);
  EXPECT_EQ(c.runs.size(), 1u);
  ASSERT_EQ(c.skipped.size(), 1u);
  EXPECT_NE(out.str().find("skipped: " + (r.tmp / "missing").string()), std::string::npos);
  o.runs = {r.tmp / "missing"};
  EXPECT_THROW(run_compare(o, out), Error);
  o.runs = {};
  EXPECT_THROW(run_compare(o, out), Error);
}

TEST(Compare, ExtrapolationFromFilesAndTheCommandForMissingOnes) {
  TwoRuns r;
  write_eval_lengths(
      r.alibi / kEvalLengthsFile,
      {"valid", {{256, 2.0, 7.389, 100}, {512, 2.1, 8.166, 100}, {1024, 2.2, 9.025, 100}}});
  CompareOptions o;
  o.runs = {r.alibi, r.abspe};
  o.html_path = r.tmp / "report.html";
  o.extrapolate = {256, 512, 1024};
  std::ostringstream out;
  const Comparison c = run_compare(o, out);
  const std::string text = out.str();
  EXPECT_NE(text.find("Perplexity by evaluation length"), std::string::npos);
  EXPECT_NE(text.find("8.17"), std::string::npos) << text;
  EXPECT_NE(text.find("forgather eval --model " + r.abspe.string() + " --lengths 256,512,1024"),
            std::string::npos)
      << text;
  ASSERT_TRUE(c.extrapolation[0].has_value());
  EXPECT_FALSE(c.extrapolation[1].has_value());
  const std::string html = read(r.tmp / "report.html");
  EXPECT_EQ(count(html, "<svg"), 4u);
  EXPECT_NE(html.find("Length extrapolation"), std::string::npos);
}

TEST(Compare, InjectedEvaluatorFillsMissingLengthsAndTheResultsAreSaved) {
  TwoRuns r;
  write_eval_lengths(r.alibi / kEvalLengthsFile, {"valid", {{256, 2.0, 7.389, 100}}});
  std::vector<std::pair<fs::path, std::vector<int64_t>>> calls;
  CompareOptions o;
  o.runs = {r.alibi, r.abspe};
  o.html_path.clear();
  o.extrapolate = {256, 512};
  o.evaluator = [&](const fs::path& dir, const std::vector<int64_t>& lengths) {
    calls.emplace_back(dir, lengths);
    EvalLengths e{"valid", {}};
    for (int64_t len : lengths) e.results.push_back({len, 3.0, std::exp(3.0), len * 4});
    return e;
  };
  std::ostringstream out;
  const Comparison c = run_compare(o, out);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].second, (std::vector<int64_t>{512}));  // only what is missing
  EXPECT_EQ(calls[1].second, (std::vector<int64_t>{256, 512}));
  EXPECT_EQ(read_eval_lengths(r.alibi / kEvalLengthsFile).results.size(), 2u);
  EXPECT_EQ(read_eval_lengths(r.abspe / kEvalLengthsFile).find(512)->tokens, 2048);
  EXPECT_EQ(out.str().find("forgather eval"), std::string::npos);
}

// --html naming something that cannot be a report file: an IoError naming the path.
std::string html_error(const fs::path& html) {
  TwoRuns r;
  CompareOptions o;
  o.runs = {r.alibi, r.abspe};
  o.html_path = html;
  std::ostringstream out;
  try {
    run_compare(o, out);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(HostileCompareHtml, PathThatIsADirectory) {
  TempDir tmp;
  EXPECT_NE(html_error(tmp.path())
                .find("[compare] cannot write '" + tmp.path().string() + "': it is a directory"),
            std::string::npos);
}

TEST(HostileCompareHtml, PathInAMissingDirectory) {
  TempDir tmp;
  EXPECT_NE(html_error(tmp / "none" / "r.html").find("none' does not exist"), std::string::npos);
}

TEST(HostileCompareHtml, PathUnderProc) {
  EXPECT_NE(html_error("/proc/fg_report.html").find("cannot write '/proc/fg_report.html'"),
            std::string::npos);
}

}  // namespace
}  // namespace fg::report
