# Fused attention kernels vs a materialised (T x T) implementation on OpenBLAS GEMMs.
add_executable(bench_attention ${CMAKE_CURRENT_LIST_DIR}/attention_bench.cpp)
target_link_libraries(bench_attention PRIVATE fg_kernels benchmark::benchmark fg_warnings
                                              PkgConfig::OPENBLAS)
