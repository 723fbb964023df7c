# Generation throughput with and without the KV cache (trainer area):
#   <build>/bench/bench_generation [--new-tokens N] [--prompt-tokens P] [--abspe]
add_executable(bench_generation ${CMAKE_CURRENT_LIST_DIR}/generation_bench.cpp)
target_link_libraries(bench_generation PRIVATE fg_train fg_warnings)
