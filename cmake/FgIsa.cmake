# Runtime ISA dispatch (src/kernels/cpu/isa.h). The hot CPU kernels compile once per ISA, each
# copy in its own namespace (FG_ISA_NS), and the CPU backend picks one at start-up. So the default
# build needs no -march flag, runs on any x86-64-v2 CPU, and uses AVX-512 where the CPU has it.
option(FG_NATIVE "Build everything with -march=native: one kernel copy, not portable" OFF)

if(FG_NATIVE)
  add_compile_options(-march=native)
  set(FG_CPU_ISAS native)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(FG_CPU_ISAS baseline avx2 avx512)
  set(FG_ISA_FLAGS_baseline -march=x86-64-v2 -mtune=generic)
  set(FG_ISA_FLAGS_avx2 -march=x86-64-v3 -mtune=generic)
  # 256-bit auto-vectorisation as GCC tunes recent AVX-512 cores; the attention micro-kernels use
  # 512-bit intrinsics regardless.
  set(FG_ISA_FLAGS_avx512 -march=x86-64-v4 -mavx512bf16 -mtune=generic -mprefer-vector-width=256)
else()
  set(FG_CPU_ISAS native)  # other architectures: one copy at the default flags
endif()

# fg_add_isa_copies(TARGET SOURCES... DEPS deps...): compiles SOURCES once per ISA in
# FG_CPU_ISAS into TARGET, with FG_ISA_NS=<isa> and that ISA's flags, and tells TARGET which
# copies it holds (FG_ISA_BUILT_<ISA>=1).
function(fg_add_isa_copies target)
  cmake_parse_arguments(arg "" "" "DEPS" ${ARGN})
  foreach(isa IN LISTS FG_CPU_ISAS)
    add_library(${target}_${isa} OBJECT ${arg_UNPARSED_ARGUMENTS})
    # Even Debug builds optimise the copies: at -O0 shared inline functions (std::min, core/rng.h)
    # stay out of line, and the linker could keep one ISA's body for all (ODR; see
    # tests/kernels/isa_symbols_check.sh).
    target_compile_options(${target}_${isa} PRIVATE ${FG_ISA_FLAGS_${isa}} $<$<CONFIG:Debug>:-O1>)
    target_compile_definitions(${target}_${isa} PRIVATE FG_ISA_NS=${isa})
    target_include_directories(${target}_${isa} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${target}_${isa} PRIVATE ${arg_DEPS} fg_warnings)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${target}_${isa}>)
    string(TOUPPER ${isa} upper)
    target_compile_definitions(${target} PRIVATE FG_ISA_BUILT_${upper}=1)
  endforeach()
endfunction()
