# Every third-party dependency comes from a Debian package (scripts/install-deps.sh).
find_package(OpenMP REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(CLI11 REQUIRED)
find_package(CURL REQUIRED)
# Open MPI for data-parallel training (src/dist); without it the build runs one rank only.
find_package(MPI COMPONENTS CXX)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)
pkg_check_modules(OPENBLAS REQUIRED IMPORTED_TARGET openblas)
# RE2 for regexes that configs supply (weight-init patterns): linear time, so a hostile pattern
# cannot hang or overflow the stack the way a backtracking engine can.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# oneDNN is found by header and library, not by its CMake package config: Debian's dnnl-config
# find_package()s OpenCL, which libdnnl-dev only Recommends, so configure failed on a machine
# that installs without recommends. The CPU SGEMM entry point needs neither OpenCL nor SYCL.
find_path(FG_DNNL_INCLUDE_DIR dnnl.h)
find_library(FG_DNNL_LIBRARY dnnl)
if(FG_DNNL_INCLUDE_DIR AND FG_DNNL_LIBRARY)
  add_library(DNNL::dnnl UNKNOWN IMPORTED)
  set_target_properties(DNNL::dnnl PROPERTIES IMPORTED_LOCATION "${FG_DNNL_LIBRARY}"
                                              INTERFACE_INCLUDE_DIRECTORIES "${FG_DNNL_INCLUDE_DIR}")
endif()
if(FG_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(FG_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
