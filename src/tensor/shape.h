#pragma once
// Shapes are plain vectors of int64 extents; tensors are always contiguous row-major.
#include <cstdint>
#include <string>
#include <vector>

namespace fg {

using Shape = std::vector<int64_t>;

// The element count; ShapeError when a product of extents overflows int64 (a hostile size).
int64_t shape_numel(const Shape& s);
std::string shape_str(const Shape& s);  // "[2, 3, 4]"
// Normalises a possibly negative dimension index; throws ShapeError "[op] ..." when out of range.
int64_t normalize_dim(int64_t d, int64_t ndim, const char* op);

}  // namespace fg
