# Template engine: parse + render the Forgather-style corpus chain (spec: < 50 ms per config).
add_executable(bench_jinja ${CMAKE_CURRENT_LIST_DIR}/jinja_bench.cpp)
target_link_libraries(bench_jinja PRIVATE benchmark::benchmark fg_config nlohmann_json::nlohmann_json)
target_compile_definitions(bench_jinja PRIVATE FG_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
