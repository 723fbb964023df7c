#include "optim/state_io.h"

#include <charconv>
#include <string>

#include <fmt/format.h>

#include "core/error.h"
#include "formats/finite_check.h"
#include "formats/safetensors_file.h"
#include "formats/safetensors_writer.h"

namespace fg::optim {

using formats::SafetensorsDtype;

void save_optimizer_state(const std::filesystem::path& path, const OptimizerState& state,
                          std::optional<int64_t> scheduler_step) {
  formats::SafetensorsWriter writer;
  writer.set_metadata("optimizer", state.kind);
  if (scheduler_step) writer.set_metadata("scheduler_step", std::to_string(*scheduler_step));
  for (const NamedBuffer& b : state.buffers) writer.add_f32(b.name, b.shape, b.values);
  for (const auto& [name, value] : state.counters) {
    writer.add_i64(name, {}, std::span<const int64_t>(&value, 1));
  }
  writer.write(path);
}

LoadedOptimizerState load_optimizer_state(const std::filesystem::path& path) {
  formats::SafetensorsFile file = formats::SafetensorsFile::open(path);
  auto fail = [&](const std::string& problem) {
    return IoError(fmt::format("[OptimizerState] '{}': {}", path.string(), problem));
  };
  auto kind = file.metadata().find("optimizer");
  if (kind == file.metadata().end()) throw fail("no \"optimizer\" entry in __metadata__");
  LoadedOptimizerState out;
  out.state.kind = kind->second;
  auto sched = file.metadata().find("scheduler_step");
  if (sched != file.metadata().end()) {
    int64_t v = 0;
    const std::string& s = sched->second;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0) {
      throw fail(fmt::format("bad scheduler_step '{}'", s));
    }
    out.scheduler_step = v;
  }
  for (const auto& [name, t] : file.tensors()) {
    if (t.dtype == SafetensorsDtype::F32) {
      std::vector<float> values = file.read_f32(name);
      formats::require_finite(values, "OptimizerState", path, name);
      out.state.buffers.push_back({name, t.shape, std::move(values)});
    } else if (t.dtype == SafetensorsDtype::I64 && t.shape.empty()) {
      const int64_t count = file.read_i64(name).at(0);
      // Step counters feed bias corrections such as 1 - beta^step: a negative one gives NaN.
      if (count < 0)
        throw fail(fmt::format("counter '{}' must not be negative, found {}", name, count));
      out.state.counters.emplace_back(name, count);
    } else {
      throw fail(fmt::format("tensor '{}' must be F32 or an I64 scalar", name));
    }
  }
  return out;
}

}  // namespace fg::optim
