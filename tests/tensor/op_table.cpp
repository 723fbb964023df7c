#include "op_table.h"

namespace fg::test {

std::vector<OpCase> op_table() {
  std::vector<OpCase> t;
  add_elementwise_rows(t);
  add_shape_rows(t);
  add_nn_rows(t);
  add_attention_rows(t);
  return t;
}

}  // namespace fg::test
