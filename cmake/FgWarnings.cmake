# Warnings applied to every project target through fg_target_defaults(). C++ only: nvcc takes
# host-compiler warnings through -Xcompiler, and the CUDA sources set their own.
add_library(fg_warnings INTERFACE)
target_compile_options(fg_warnings INTERFACE
                       $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wno-unused-parameter>)
