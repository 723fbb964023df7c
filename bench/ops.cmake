# Forward+backward timings of the engine's hot non-GEMM ops at the model's shapes.
add_executable(bench_ops ${CMAKE_CURRENT_LIST_DIR}/ops_bench.cpp)
target_link_libraries(bench_ops PRIVATE benchmark::benchmark fg_tensor)

# One training step of an example-shaped model built from engine ops (engine overhead, memory).
add_executable(bench_train_step ${CMAKE_CURRENT_LIST_DIR}/train_step_bench.cpp)
target_link_libraries(bench_train_step PRIVATE benchmark::benchmark fg_tensor)
