// causal_attention: argument checks and shape rules. The fused kernels come from branch
// `attention` (src/kernels/{ref,cpu}/attention.*); until they are merged the op validates its
// arguments and then reports that the kernel is missing.
#include <cmath>

#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

namespace {

void check_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
                     const AttentionOptions& o, const Rng* rng) {
  const char* op = "causal_attention";
  check_f32(q, op, "q");
  check_f32(k, op, "k");
  check_f32(v, op, "v");
  check_same_device(q, k, op);
  check_same_device(q, v, op);
  FG_CHECK_SHAPE(q.dim() == 4 && k.dim() == 4 && v.dim() == 4,
                 "[{}] q, k, v must be [B, H, T, Dh]; got q {}, k {}, v {}", op,
                 shape_str(q.shape()), shape_str(k.shape()), shape_str(v.shape()));
  FG_CHECK_SHAPE(k.shape() == v.shape(), "[{}] k {} and v {} must have the same shape", op,
                 shape_str(k.shape()), shape_str(v.shape()));
  int64_t B = q.size(0), H = q.size(1), Dh = q.size(3), Hkv = k.size(1);
  FG_CHECK_SHAPE(k.size(0) == B && k.size(3) == Dh,
                 "[{}] k {} must match q {} in batch and head_dim", op, shape_str(k.shape()),
                 shape_str(q.shape()));
  FG_CHECK_SHAPE(Hkv > 0 && H % Hkv == 0,
                 "[{}] query heads {} must be a multiple of key/value heads {}", op, H, Hkv);
  if (slopes.defined()) {
    check_f32(slopes, op, "slopes");
    FG_CHECK_SHAPE(slopes.dim() == 1 && slopes.size(0) == H,
                   "[{}] slopes must be [{}] (one per query head), got {}", op, H,
                   shape_str(slopes.shape()));
  }
  FG_CHECK_SHAPE(o.dropout >= 0.f && o.dropout < 1.f, "[{}] dropout must be in [0, 1), got {}", op,
                 o.dropout);
  FG_CHECK_SHAPE(!(o.training && o.dropout > 0.f) || rng != nullptr,
                 "[{}] dropout {} in training needs an Rng, got nullptr", op, o.dropout);
  FG_CHECK_SHAPE(o.query_offset >= 0, "[{}] query_offset must be >= 0, got {}", op, o.query_offset);
  FG_CHECK_SHAPE(std::isfinite(o.scale) && o.scale >= 0.f,
                 "[{}] scale must be finite and >= 0 (0 = 1/sqrt(head_dim)), got {}", op, o.scale);
}

}  // namespace

Tensor causal_attention(const Tensor& q, const Tensor& k, const Tensor& v, const Tensor& slopes,
                        const AttentionOptions& opts, Rng* rng) {
  check_attention(q, k, v, slopes, opts, rng);
  throw Error(
      "[causal_attention] the attention kernels are not merged into this build yet (branch "
      "`attention`)");
}

}  // namespace fg::ops
