// Tables, number formats and HTML escaping.
#include <gtest/gtest.h>

#include <cmath>

#include "report/html_escape.h"
#include "report/number_format.h"
#include "report/text_table.h"

namespace fg::report {
namespace {

TEST(TextTable, AlignsColumnsAndDrawsARule) {
  TextTable t;
  t.headers = {"Run", "Steps"};
  t.right_align = {false, true};
  t.rows = {{"alibi", "1000"}, {"abspe-long", "5"}};
  EXPECT_EQ(render_text_table(t),
            "Run         Steps\n"
            "----------  -----\n"
            "alibi        1000\n"
            "abspe-long      5\n");
}

TEST(TextTable, CountsUtf8ByCodePointAndNeutralisesControlCharacters) {
  TextTable t;
  t.headers = {"Name", "N"};
  t.right_align = {false, true};
  t.rows = {{"h\xC3\xA9llo", "1"}, {"a\nb\tc", "22"}, {"short"}};
  const std::string out = render_text_table(t);
  EXPECT_EQ(out,
            "Name    N\n"
            "-----  --\n"
            "h\xC3\xA9llo   1\n"
            "a b c  22\n"
            "short    \n");
  EXPECT_EQ(display_width("h\xC3\xA9llo"), 5);
}

TEST(NumberFormat, CountsLossesRatesAndDurations) {
  EXPECT_EQ(format_count(std::nullopt), "-");
  EXPECT_EQ(format_count(950), "950");
  EXPECT_EQ(format_count(12345), "12.3K");
  EXPECT_EQ(format_count(9'100'000), "9.1M");
  EXPECT_EQ(format_count(1'200'000'000), "1.20B");
  EXPECT_EQ(format_loss(2.345678), "2.3457");
  EXPECT_EQ(format_loss(NAN), "nan");
  EXPECT_EQ(format_loss(std::nullopt), "-");
  EXPECT_EQ(format_rate(1234567.4), "1,234,567");
  EXPECT_EQ(format_rate(999), "999");
  EXPECT_EQ(format_rate(INFINITY), "-");
  EXPECT_EQ(format_duration(12.34), "12.3s");
  EXPECT_EQ(format_duration(205), "3m25s");
  EXPECT_EQ(format_duration(3600 + 120 + 5), "1h02m");
  EXPECT_EQ(format_duration(std::nullopt), "-");
  EXPECT_EQ(format_number(12.345678, 4), "12.35");
  EXPECT_EQ(format_number(INFINITY), "inf");
  EXPECT_EQ(format_perplexity(7.389), "7.39");
  EXPECT_EQ(format_perplexity(1100), "1100.00");
  EXPECT_EQ(format_perplexity(INFINITY), "inf");
  EXPECT_EQ(format_perplexity(3e9), "3e+09");
}

TEST(HtmlEscape, EscapesMarkupAndQuotes) {
  EXPECT_EQ(html_escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  EXPECT_EQ(html_escape("line1\nline2\ttab"), "line1\nline2\ttab");
}

TEST(HtmlEscape, KeepsValidUtf8AndReplacesInvalidBytesAndControls) {
  EXPECT_EQ(html_escape("caf\xC3\xA9 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_EQ(html_escape("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(html_escape("a\xC3"), "a\xEF\xBF\xBD");                // truncated sequence
  EXPECT_EQ(html_escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(html_escape(std::string("a\0b\x01"
                                    "c",
                                    5)),
            "abc");
}

}  // namespace
}  // namespace fg::report
