#include "core/openmp_env.h"

#include <unistd.h>

#include <cstdlib>
#include <string>

namespace fg {
namespace {

bool is_set(const char* name) {
  const char* v = std::getenv(name);
  return v && *v;
}

}  // namespace

void default_openmp_wait_policy(char** argv) {
  if (is_set("OMP_WAIT_POLICY") || is_set("GOMP_SPINCOUNT")) return;
  if (setenv("OMP_WAIT_POLICY", "passive", 0) != 0) return;
  execv("/proc/self/exe", argv);
  // Only reached when the program could not be started again: the run goes on without it.
}

const char* openmp_wait_policy_source() {
  static const std::string text = [] {
    if (is_set("OMP_WAIT_POLICY"))
      return std::string(std::getenv("OMP_WAIT_POLICY")) + " (OMP_WAIT_POLICY)";
    if (is_set("GOMP_SPINCOUNT"))
      return "spin count " + std::string(std::getenv("GOMP_SPINCOUNT")) + " (GOMP_SPINCOUNT)";
    return std::string("runtime default");
  }();
  return text.c_str();
}

}  // namespace fg
