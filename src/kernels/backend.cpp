#include "kernels/backend.h"

#include "core/error.h"

namespace fg::kernels {
namespace {

[[noreturn]] void no_capture(const char* call) {
  throw Error(std::string("[backend] ") + call +
              ": this backend cannot capture graphs (ask supports_graph_capture() first)");
}

}  // namespace

void Backend::begin_capture() {
  no_capture("begin_capture");
}
void Backend::end_capture() {
  no_capture("end_capture");
}
void Backend::replay() {
  no_capture("replay");
}
void Backend::release_graph() {
  no_capture("release_graph");
}

}  // namespace fg::kernels
