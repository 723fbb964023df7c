# Warnings applied to every project target through fg_target_defaults().
add_library(fg_warnings INTERFACE)
target_compile_options(fg_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
