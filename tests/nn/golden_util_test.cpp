#include "golden.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/check.h"
#include "formats/safetensors_file.h"

namespace fg::nn::testing {

const Tensor& Fixture::at(const std::string& name) const {
  auto it = tensors.find(name);
  FG_CHECK(it != tensors.end(), "[fixture] no tensor '{}'", name);
  return it->second;
}

StateDict Fixture::with_prefix(const std::string& prefix) const {
  StateDict out;
  for (const auto& [n, t] : tensors)
    if (n.rfind(prefix, 0) == 0) out.emplace_back(n.substr(prefix.size()), t);
  return out;
}

Fixture load_fixture(const std::string& name) {
  const std::string path = std::string(FG_SOURCE_DIR) + "/tests/golden/" + name + ".safetensors";
  auto file = formats::SafetensorsFile::open(path, formats::SafetensorsFile::Load::kRead);
  Fixture f;
  auto meta = file.metadata().find("config");
  if (meta != file.metadata().end()) f.config = meta->second;
  for (const auto& [key, t] : file.tensors()) {
    if (t.dtype == formats::SafetensorsDtype::I64)
      f.tensors[key] = Tensor::from_vector_i64(file.read_i64(key), t.shape);
    else
      f.tensors[key] = Tensor::from_vector(file.read_f32(key), t.shape);
  }
  return f;
}

double scale_floor(const Fixture& f, const std::string& prefix) {
  double m = 0;
  for (const auto& [n, t] : f.tensors)
    if (n.rfind(prefix, 0) == 0)
      for (float v : t.to_vector()) m = std::max(m, static_cast<double>(std::fabs(v)));
  return std::max(1e-2 * m, 1e-6);
}

double relative_error(const Tensor& ours, const Tensor& ref, const std::string& label,
                      double floor) {
  EXPECT_EQ(ours.shape(), ref.shape()) << label;
  if (ours.shape() != ref.shape()) return INFINITY;
  const auto a = ours.to_vector(), b = ref.to_vector();
  double worst = 0, scale = 0;
  size_t at = 0;
  for (size_t i = 0; i < b.size(); ++i) {
    scale = std::max(scale, static_cast<double>(std::fabs(b[i])));
    const double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (!(d <= worst)) {  // also catches NaN
      worst = d;
      at = i;
    }
  }
  const double rel = worst / std::max(scale, floor);
  std::printf("  %-60s worst abs diff %.3g at %zu (ours %.7g, ref %.7g), rel %.3g\n", label.c_str(),
              worst, at, b.empty() ? 0.0 : a[at], b.empty() ? 0.0 : b[at], rel);
  return std::isnan(worst) ? INFINITY : rel;
}

}  // namespace fg::nn::testing

namespace fg::nn::testing {
namespace {

TEST(GoldenReader, ReadsTensorsAndMetadata) {
  Fixture f = load_fixture("linear");
  EXPECT_EQ(f.at("param.weight").shape(), (Shape{24, 24}));
  EXPECT_EQ(f.at("in.x").shape(), (Shape{2, 9, 24}));
  EXPECT_NE(f.config.find("d_model"), std::string::npos);
  EXPECT_THROW(f.at("nope"), Error);
}

}  // namespace
}  // namespace fg::nn::testing
