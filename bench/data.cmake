# Tokenizer/data throughput: encoding MB/s on the shared TinyStories sample (bench_data).
add_executable(bench_data ${CMAKE_CURRENT_LIST_DIR}/data/encode_bench.cpp)
target_link_libraries(bench_data PRIVATE fg_data fg_tokenizer benchmark::benchmark fg_warnings)
target_compile_definitions(bench_data PRIVATE FG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
