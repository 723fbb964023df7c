#pragma once
// Argument checks that throw fg::Error subclasses with a formatted message.
//   FG_CHECK(cond, "[op] expected ..., got {}", x);
#include <fmt/format.h>

#include "core/error.h"

#define FG_CHECK(cond, ...)                                     \
  do {                                                          \
    if (!(cond)) throw ::fg::Error(::fmt::format(__VA_ARGS__)); \
  } while (0)

#define FG_CHECK_SHAPE(cond, ...)                                    \
  do {                                                               \
    if (!(cond)) throw ::fg::ShapeError(::fmt::format(__VA_ARGS__)); \
  } while (0)
