#pragma once
// Registers every component constructor the template library and the examples name (model
// bits, tokenizer and data, trainer and training script), one function per family.
#include "config/registry.h"

namespace fg::builders {

void register_all(config::Registry& registry);

// The families (each in its own file).
void register_nn_basics(config::Registry& registry);     // nn_basic_builders.cpp
void register_nn_bits(config::Registry& registry);       // nn_model_builders.cpp
void register_nn_model(config::Registry& registry);      // nn_stack_builders.cpp
void register_data_sources(config::Registry& registry);  // data_builders.cpp
void register_data_prep(config::Registry& registry);     // data_prep_builders.cpp
void register_train_args(config::Registry& registry);    // train_arg_builders.cpp
void register_trainer(config::Registry& registry);       // trainer_builders.cpp

}  // namespace fg::builders
