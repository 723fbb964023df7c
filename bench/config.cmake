# Preprocess + render (+ parse) of the example's baseline config (acceptance: render < 50 ms).
if(TARGET fg_config AND TARGET benchmark::benchmark)
  add_executable(bench_config ${CMAKE_CURRENT_LIST_DIR}/config_bench.cpp)
  target_link_libraries(bench_config PRIVATE fg_config benchmark::benchmark fg_warnings)
  target_compile_definitions(bench_config PRIVATE FG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endif()
