# GEMM library benchmark (OpenBLAS vs oneDNN) on the model's shapes; see docs/engine.md.
if(TARGET DNNL::dnnl)
  add_executable(bench_gemm ${CMAKE_CURRENT_LIST_DIR}/gemm_bench.cpp)
  target_link_libraries(bench_gemm PRIVATE benchmark::benchmark PkgConfig::OPENBLAS DNNL::dnnl
                                           OpenMP::OpenMP_CXX fg_kernels)
endif()
