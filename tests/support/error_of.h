#pragma once
// The message of the fg::Error (ConfigError, IoError, ...) that `fn` throws, or "" when it
// throws none: the one helper the tests use to check an error's wording.
#include <string>
#include <utility>

#include "core/error.h"

namespace fg::test_support {

template <class F>
std::string error_of(F&& fn) {
  try {
    std::forward<F>(fn)();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace fg::test_support
