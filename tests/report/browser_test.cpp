// Renders a comparison report in headless Chromium: the screenshot must be a real, non-blank
// image and the DOM must hold the charts and their polylines. Skips only when chromium is absent
// (scripts/install-deps.sh installs it in CI).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "report/compare.h"
#include "report/tensorboard.h"
#include "run_fixture.h"

namespace fg::report {
namespace {

namespace fs = std::filesystem;

using testing::TempDir;

std::string capture(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  status = ::pclose(pipe);
  return out;
}

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

std::string chromium_command(const fs::path& exe, const fs::path& profile) {
  return exe.string() +
         " --headless --no-sandbox --disable-gpu --disable-background-networking"
         " --disable-component-update --disable-sync --no-first-run --user-data-dir=" +
         profile.string();
}

TEST(Browser, ReportRendersInHeadlessChromium) {
  const char* path = std::getenv("PATH");
  auto exe = find_on_path("chromium", path ? path : "");
  if (!exe) exe = find_on_path("chromium-browser", path ? path : "");
  if (!exe) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";

  TempDir tmp;
  CompareOptions o;
  o.runs = {testing::make_run(tmp / "alibi", {.config_name = "ALiBi", .sample = "Once upon"}),
            testing::make_run(tmp / "abspe", {.config_name = "AbsPE", .loss_scale = 1.1})};
  o.html_path = tmp / "report.html";
  o.extrapolate = {256, 512, 1024, 2048};
  write_eval_lengths(
      o.runs[0] / kEvalLengthsFile,
      {"v", {{256, 2, 7.4, 1}, {512, 2.05, 7.8, 1}, {1024, 2.1, 8.2, 1}, {2048, 2.2, 9, 1}}});
  write_eval_lengths(
      o.runs[1] / kEvalLengthsFile,
      {"v", {{256, 2, 7.5, 1}, {512, 2.1, 8.1, 1}, {1024, 4, 60, 1}, {2048, 7, 1100, 1}}});
  std::ostringstream out;
  run_compare(o, out);

  const fs::path png = tmp / "report.png";
  const std::string url = " file://" + o.html_path.string() + " 2>/dev/null";
  int status = -1;
  capture(chromium_command(*exe, tmp / "profile1") + " --screenshot=" + png.string() +
              " --window-size=1200,1600" + url,
          status);
  ASSERT_EQ(status, 0) << "chromium --screenshot failed";
  ASSERT_TRUE(fs::exists(png));
  std::ifstream in(png, std::ios::binary);
  const std::string bytes(std::istreambuf_iterator<char>(in), {});
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n");
  // A blank 1200x1600 page compresses to a few KB; charts and text make it far larger.
  EXPECT_GT(bytes.size(), 30'000u) << "the screenshot looks blank";
  // FG_KEEP_REPORT=<dir> keeps the page and the screenshot for a look.
  if (const char* keep = std::getenv("FG_KEEP_REPORT")) {
    fs::create_directories(keep);
    fs::copy_file(png, fs::path(keep) / "report.png", fs::copy_options::overwrite_existing);
    fs::copy_file(o.html_path, fs::path(keep) / "report.html",
                  fs::copy_options::overwrite_existing);
  }

  const std::string dom =
      capture(chromium_command(*exe, tmp / "profile2") + " --dump-dom" + url, status);
  ASSERT_EQ(status, 0) << "chromium --dump-dom failed";
  EXPECT_EQ(count(dom, "<svg"), 4u) << dom.substr(0, 2000);
  EXPECT_EQ(count(dom, "<polyline"), 8u);
  EXPECT_NE(dom.find("Length extrapolation"), std::string::npos);
  EXPECT_NE(dom.find("ALiBi"), std::string::npos);
}

}  // namespace
}  // namespace fg::report
