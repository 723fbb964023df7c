#pragma once
// The PyTorch modules a Hugging Face export ships (src/interop/hf/*.py, built into the binary).
#include <string_view>

namespace fg::interop {

std::string_view hf_modeling_py();       // modeling_forgather.py
std::string_view hf_configuration_py();  // configuration_forgather.py

}  // namespace fg::interop
