// All-reduce (sum, F32) bus bandwidth over the ranks a launcher started, as NCCL's tests define
// it: bytes * 2 * (N - 1) / N / seconds, the traffic each rank's link carries in a ring.
//   mpirun -np 2 --oversubscribe bench_allreduce
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "dist/communicator.h"

int main() {
  auto comm = fg::dist::make_communicator(/*force_mpi=*/true);
  const int n = comm->world_size();
  if (comm->is_main())
    std::printf("%10s %12s %12s   (%d ranks)\n", "bytes", "time_us", "busbw_GB/s", n);
  for (size_t bytes = 1024; bytes <= (size_t{64} << 20); bytes *= 4) {
    std::vector<float> buf(bytes / sizeof(float), 1.0f);
    const int iters = static_cast<int>(std::clamp<size_t>((size_t{256} << 20) / bytes, 5, 200));
    comm->all_reduce(std::span<float>(buf), fg::dist::ReduceOp::Sum);  // warm-up
    comm->barrier();
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i)
      comm->all_reduce(std::span<float>(buf), fg::dist::ReduceOp::Sum);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / iters;
    double slowest = comm->all_reduce_scalar(s, fg::dist::ReduceOp::Max);
    const double busbw = double(bytes) * 2.0 * (n - 1) / n / slowest / 1e9;
    if (comm->is_main()) std::printf("%10zu %12.1f %12.3f\n", bytes, slowest * 1e6, busbw);
  }
  return 0;
}
