// The MPI communicator's tests: run under `mpirun -np 2` (see tests/dist/CMakeLists.txt), one
// process per rank. Exits non-zero on the first failed check, naming the rank.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "dist/communicator.h"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what, int rank) {
  if (ok) return;
  std::fprintf(stderr, "rank %d: FAILED %s\n", rank, what.c_str());
  ++failures;
}

}  // namespace

int main() {
  using fg::dist::ReduceOp;
  auto comm = fg::dist::make_communicator(/*force_mpi=*/true);
  const int r = comm->rank();
  const int w = comm->world_size();
  expect(comm->backend_name() == "mpi", "backend is mpi", r);
  expect(w >= 2, "world of at least 2", r);

  fg::Tensor t = fg::Tensor::from_vector({float(r), float(r + 1)}, {2});
  comm->all_reduce(t, ReduceOp::Sum);
  const float sum_r = float(w * (w - 1) / 2);
  expect(t.to_vector() == std::vector<float>{sum_r, sum_r + float(w)}, "all_reduce sum", r);

  fg::Tensor a = fg::Tensor::from_vector({float(2 * r)}, {1});
  comm->all_reduce(a, ReduceOp::Average);
  expect(a.item() == float(w - 1), "all_reduce average", r);

  std::vector<int64_t> m = {int64_t(r)};
  comm->all_reduce(std::span<int64_t>(m), ReduceOp::Max);
  expect(m[0] == w - 1, "all_reduce max", r);

  fg::Tensor b = fg::Tensor::from_vector({float(r == 1 ? 7 : -1)}, {1});
  comm->broadcast(b, 1);
  expect(b.item() == 7.0f, "broadcast from rank 1", r);

  fg::Tensor g = comm->all_gather(fg::Tensor::from_vector({float(r * 10)}, {1}));
  bool gathered = g.shape() == fg::Shape{w, 1};
  for (int i = 0; gathered && i < w; ++i) gathered = g.to_vector()[size_t(i)] == float(i * 10);
  expect(gathered, "all_gather in rank order", r);

  auto names = comm->all_gather_strings(std::string(size_t(r + 1), 'x'));
  bool strings = names.size() == size_t(w);
  for (int i = 0; strings && i < w; ++i)
    strings = names[size_t(i)] == std::string(size_t(i + 1), 'x');
  expect(strings, "all_gather_strings of different lengths", r);

  // A buffer larger than one MPI message, still summed exactly.
  std::vector<float> big(1 << 20, 1.0f);
  comm->all_reduce(std::span<float>(big), ReduceOp::Sum);
  expect(big.front() == float(w) && big.back() == float(w), "large all_reduce", r);

  // Non-blocking: started, then waited for; Average divides on completion.
  std::vector<float> async_buf(1000, float(2 * r));
  auto pending = comm->all_reduce_async(std::span<float>(async_buf), ReduceOp::Average);
  pending->wait();
  expect(async_buf.front() == float(w - 1) && async_buf.back() == float(w - 1),
         "all_reduce_async average", r);

  comm->barrier();
  if (failures == 0 && r == 0) std::printf("mpi communicator: all checks passed on %d ranks\n", w);
  return failures == 0 ? 0 : 1;
}
