// Hostile model.safetensors.index.json files (formats/safetensors_index.h): refused with the file
// named, never a crash or an unchecked cast.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "core/error.h"
#include "formats/safetensors_index.h"
#include "temp_dir.h"

namespace fg::formats {
namespace {

struct IndexCase {
  const char* name;
  std::string json;
  std::string expected;  // a substring of the message
};

class HostileSafetensorsIndex : public ::testing::TestWithParam<IndexCase> {};

TEST_P(HostileSafetensorsIndex, IsRefusedNamingTheFile) {
  testing::TempDir dir;
  const auto path = dir / "model.safetensors.index.json";
  std::ofstream(path) << GetParam().json;
  try {
    read_safetensors_index(path);
    FAIL() << "accepted " << GetParam().name;
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find(GetParam().expected), std::string::npos) << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, HostileSafetensorsIndex,
    ::testing::Values(IndexCase{"deeply_nested", std::string(100000, '['), "nesting too deep"},
                      IndexCase{"truncated", R"({"weight_map": {)", "invalid JSON"},
                      IndexCase{"total_size_huge_float",
                                R"({"metadata": {"total_size": 1e300}, "weight_map": {}})",
                                "metadata.total_size: expected an integer, found number 1e+300"},
                      IndexCase{"total_size_negative",
                                R"({"metadata": {"total_size": -8}, "weight_map": {}})",
                                "metadata.total_size: expected an integer in [0, "}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fg::formats
