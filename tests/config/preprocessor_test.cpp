#include "config/preprocessor.h"

#include <gtest/gtest.h>

namespace fg::config {
namespace {

TEST(Preprocessor, LineStatements) {
  EXPECT_EQ(preprocess("-- set x = 1"), "{% set x = 1 %}");
  EXPECT_EQ(preprocess("    << endblock a"), "{%- endblock a %}");
  EXPECT_EQ(preprocess(">> if x"), "{% if x -%}");
  EXPECT_EQ(preprocess("  == super()"), "{{ super() }}");
  EXPECT_EQ(preprocess("=> super()"), "{{ super()|trim('\\n') }}");
  EXPECT_EQ(preprocess("<<: *anchor"), "<<: *anchor");  // YAML merge key untouched
  EXPECT_EQ(preprocess("--x"), "--x");
}

TEST(Preprocessor, Comments) {
  EXPECT_EQ(preprocess("## note"), "{#  note #}");
  EXPECT_EQ(preprocess("a\n## note\nb", CommentMode::kDelete), "a\nb");
  EXPECT_EQ(preprocess("a ## b ## c"), "a ## b");
  EXPECT_EQ(preprocess("k: v##x"), "k: v##x");
  EXPECT_EQ(preprocess("url: 'http://x ##y'"), "url: 'http://x");
  EXPECT_EQ(preprocess("-- set x = 1 ## why"), "{% set x = 1 %}");
  EXPECT_EQ(preprocess("a: 1 # yaml comment"), "a: 1 # yaml comment");
}

TEST(Preprocessor, LineCountPreserved) {
  const std::string src = "-- extends 'a'\n## c\n[b]\nx: 1\n\n[c!]\ny: 2\n";
  const std::string out = preprocess(src);
  EXPECT_EQ(std::count(src.begin(), src.end(), '\n'), std::count(out.begin(), out.end(), '\n'));
}

TEST(Preprocessor, TomlBlocks) {
  const std::string src = "[a]\nx: 1\n    [b]\ny: 2\n\n[c!]\nz: 3\n";
  const std::string expected =
      "{% block a %}\nx: 1\n{% block b %}\ny: 2\n{% endblock b +%}{{'\\n'}}{% endblock a +%}\n"
      "{% filter trim %}{% block c %}\nz: 3\n{% endblock c +%}{% endfilter %}";
  EXPECT_EQ(preprocess(src), expected);
}

TEST(Preprocessor, CrLfNormalised) {
  EXPECT_EQ(preprocess("a\r\nb\rc"), "a\nb\nc");
}

TEST(SplitDocuments, SplitsOnMarkers) {
  const auto docs = split_documents("a\nb\n#---- sub.one ----\nc\n# ------ two/x.y -----\nd\n");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0].name, "");
  EXPECT_EQ(docs[0].text, "a\nb");
  EXPECT_EQ(docs[1].name, "sub.one");
  EXPECT_EQ(docs[1].text, "c");
  EXPECT_EQ(docs[1].first_line, 4);
  EXPECT_EQ(docs[2].name, "two/x.y");
  EXPECT_EQ(docs[2].first_line, 6);
  EXPECT_EQ(docs[2].text, "d\n");
}

TEST(SplitDocuments, FirstLineMarkerNotRecognised) {
  const auto docs = split_documents("#---- x ----\nbody");
  ASSERT_EQ(docs.size(), 1u);
}

TEST(SplitDocuments, DashInNameNotAMarker) {
  EXPECT_EQ(split_documents("a\n#---- my-name ----\nb").size(), 1u);
}

}  // namespace
}  // namespace fg::config
