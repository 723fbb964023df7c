// Label preparation kept on the device (no host round trip in the loss path).
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

Tensor shift_labels(const Tensor& ids_in, int64_t fill) {
  Tensor ids = ids_as_i64(ids_in, "shift_labels", "ids");
  FG_CHECK_SHAPE(ids.dim() == 2, "[shift_labels] ids must be [B,T], got shape {}",
                 shape_str(ids.shape()));
  Tensor out = empty_like(ids);
  be(ids).shift_left_i64(ids.data<int64_t>(), out.data<int64_t>(), ids.size(0), ids.size(1), fill);
  return out;
}

}  // namespace fg::ops
