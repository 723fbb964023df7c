#pragma once
// Reads the hyper-parameters of a Hugging Face export from a built model's module tree: which
// components it uses (the generated modeling_forgather.py implements a fixed set) and their
// options. A component outside that set is refused with an error that names its path and type.
#include <nlohmann/json.hpp>

#include "nn/causal_lm.h"

namespace fg::interop {

// The model half of config.json (vocab_size, hidden_size, attention_type, norm, ...), keys as
// configuration_forgather.py names them.
nlohmann::json hf_model_spec(const nn::CausalLM& model);

}  // namespace fg::interop
