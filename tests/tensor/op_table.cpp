#include "op_table.h"

namespace fg::test {

std::vector<OpCase> op_table() {
  std::vector<OpCase> t;
  add_elementwise_rows(t);
  add_shape_rows(t);
  add_nn_rows(t);
  add_attention_rows(t);
  add_dtype_rows(t);
  return t;
}

std::vector<OpCase> op_table_runs() {
  std::vector<OpCase> runs;
  for (const OpCase& c : op_table()) {
    runs.push_back(c);
    for (const DTypeTolerance& d : c.dtypes) {
      OpCase r = c;
      r.name = c.name + "_" + dtype_name(d.dtype);
      r.dtype = d.dtype;
      r.tol = d.tol;
      r.dtypes.clear();
      runs.push_back(std::move(r));
    }
  }
  return runs;
}

}  // namespace fg::test
