# The fused AdamW update and gradient clipping at the example model's size (~9M parameters).
add_executable(bench_optim ${CMAKE_CURRENT_LIST_DIR}/optim_bench.cpp)
target_link_libraries(bench_optim PRIVATE benchmark::benchmark fg_optim)
