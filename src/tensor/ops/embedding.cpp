// Embedding lookup; backward is a deterministic scatter-add into the weight gradient.
#include "tensor/ops.h"
#include "tensor/ops/op_util.h"

namespace fg::ops {

using namespace detail;

Tensor embedding(const Tensor& weight, const Tensor& ids_in) {
  check_f32(weight, "embedding", "weight");
  Tensor ids = ids_as_i64(ids_in, "embedding", "ids");
  check_same_device(weight, ids, "embedding");
  FG_CHECK_SHAPE(weight.dim() == 2, "[embedding] weight must be [V, D], got shape {}",
                 shape_str(weight.shape()));
  int64_t V = weight.size(0), D = weight.size(1), n = ids.numel();
  const BadId bad = find_bad_id(ids, 0, V, 0, "embedding");  // 0 is in range: no extra id allowed
  FG_CHECK_SHAPE(bad.position < 0,
                 "[embedding] id {} at position {} is out of range for a vocabulary of {}",
                 bad.value, bad.position, V);
  const int64_t* id = ids.data<int64_t>();
  Shape s = ids.shape();
  s.push_back(D);
  Tensor out = Tensor::empty(s, DType::F32, weight.device());
  if (out.numel() > 0) be(weight).embedding_forward(cptr(weight), id, mptr(out), n, D);
  Tensor sid = ids.detach();
  autograd::record(out, "embedding", {&weight},
                   [sid, V, D, n](const Tensor& g, const std::vector<bool>&) {
                     Tensor gw = Tensor::empty({V, D}, DType::F32, g.device());
                     be(g).embedding_backward(sid.data<int64_t>(), cptr(g), mptr(gw), n, V, D);
                     return std::vector<Tensor>{gw};
                   });
  return out;
}

}  // namespace fg::ops
