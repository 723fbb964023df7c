#include "builders/register_all.h"

namespace fg::builders {

void register_all(config::Registry& registry) {
  register_nn_basics(registry);
  register_nn_bits(registry);
  register_nn_model(registry);
  register_data_sources(registry);
  register_data_prep(registry);
  register_train_args(registry);
  register_trainer(registry);
}

}  // namespace fg::builders
