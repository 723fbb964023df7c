#pragma once
// Limits on hostile input (nesting depth, node counts) default to a constant and may be raised or
// lowered through an environment variable; docs/security.md lists them.
#include <cstdint>

namespace fg {

// The value of environment variable `name` when set, else `fallback`. A value that is not a
// positive integer throws fg::Error naming the variable and the value.
int64_t env_limit(const char* name, int64_t fallback);

}  // namespace fg
