# The CUDA fused attention at the example model's shapes (cuda build only; needs a GPU to run).
if(TARGET fg_cuda)
  add_executable(bench_attention_cuda ${CMAKE_CURRENT_LIST_DIR}/attention_cuda_bench.cpp)
  target_link_libraries(bench_attention_cuda PRIVATE fg_cuda benchmark::benchmark fg_warnings)
endif()
