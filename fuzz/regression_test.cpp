// Replays every saved fuzz input through its target's entry (entries/fuzz_entry.h): each
// regressions/<target>/<file> once crashed a fuzzer and must now end in an fg::Error or succeed;
// the seed corpus must run too. `*.pending` inputs wait on a fix elsewhere and are skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "entries/fuzz_entry.h"

namespace fg::fuzz {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::function<void(FuzzInput)>>& entries() {
  static const std::map<std::string, std::function<void(FuzzInput)>> table = {
      {"jinja", run_jinja},
      {"yaml", run_yaml},
      {"safetensors", run_safetensors},
      {"trainer_state", run_trainer_state},
      {"tokenizer", run_tokenizer},
      {"event_reader", run_event_reader},
  };
  return table;
}

struct SavedInput {
  std::string target;
  fs::path file;
};

// Every file under <FG_FUZZ_DIR>/<kind>/<target>/, sorted, without the pending ones.
std::vector<SavedInput> saved_inputs(const std::string& kind) {
  std::vector<SavedInput> out;
  for (const auto& [target, run] : entries()) {
    const fs::path dir = fs::path(FG_FUZZ_DIR) / kind / target;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() != ".pending" &&
          e.path().filename() != "README.md")
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (auto& f : files) out.push_back({target, f});
  }
  return out;
}

std::string test_name(const testing::TestParamInfo<SavedInput>& info) {
  std::string name = info.param.target + "_" + info.param.file.filename().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

void replay(const SavedInput& input) {
  std::ifstream in(input.file, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << input.file;
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  // The entry swallows fg::Error; anything that escapes is the bug the input once found.
  EXPECT_NO_THROW(entries().at(input.target)(bytes)) << input.file;
}

class HostileFuzzRegression : public testing::TestWithParam<SavedInput> {};
TEST_P(HostileFuzzRegression, EndsInErrorOrSuccess) {
  replay(GetParam());
}
INSTANTIATE_TEST_SUITE_P(Saved, HostileFuzzRegression,
                         testing::ValuesIn(saved_inputs("regressions")), test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(HostileFuzzRegression);

class FuzzSeedCorpus : public testing::TestWithParam<SavedInput> {};
TEST_P(FuzzSeedCorpus, Runs) {
  replay(GetParam());
}
INSTANTIATE_TEST_SUITE_P(Seeds, FuzzSeedCorpus, testing::ValuesIn(saved_inputs("corpus")),
                         test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(FuzzSeedCorpus);

}  // namespace
}  // namespace fg::fuzz
