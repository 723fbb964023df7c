#pragma once
// Size checks shared by the components' Options::validate(): a parameter whose element or byte
// count overflows int64 is refused with its sizes before anything is allocated, and a stack of
// layers is checked against the machine's memory from its first layer.
#include <cstdint>

namespace fg::nn {

// A layer stack deeper than this is refused outright (no model here comes near it).
inline constexpr int64_t kMaxLayers = 65536;

// "[Linear] weight 4611686018427387904 x 512 overflows int64" when rows x cols f32 values cannot
// be counted in bytes. `cols` = 1 for a vector.
void check_parameter_size(const char* component, const char* name, int64_t rows, int64_t cols = 1);

// Before building layers 2..n: the whole stack's parameters (n copies of the first layer's
// `layer_parameters`) must fit in the memory tensors may use.
void check_stack_memory(int64_t layers, int64_t layer_parameters);

}  // namespace fg::nn
