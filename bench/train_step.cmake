# End-to-end training-step benchmark of the example model (nn engineer):
#   <build>/bench/train_step --batch 8 --seq 512 --steps N
add_executable(train_step ${CMAKE_CURRENT_LIST_DIR}/train_step.cpp
                          ${CMAKE_CURRENT_LIST_DIR}/op_profile.cpp)
target_link_libraries(train_step PRIVATE fg_nn fg_optim fg_warnings)
# With the CUDA build, -d 0 runs the step on the GPU (docs/cuda.md).
if(TARGET fg_cuda)
  target_link_libraries(train_step PRIVATE fg_cuda)
endif()
