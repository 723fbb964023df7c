# bench_allreduce: bus bandwidth of the MPI communicator's all-reduce, 1 KiB to 64 MiB. Run it
# under the launcher: mpirun -np 2 --oversubscribe build/dev/bench/bench_allreduce
if(MPI_CXX_FOUND)
  add_executable(bench_allreduce ${CMAKE_CURRENT_LIST_DIR}/allreduce_bench.cpp)
  target_link_libraries(bench_allreduce PRIVATE fg_dist fg_warnings)
endif()
