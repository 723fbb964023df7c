# The learning run of issue 5 (parity engineer): trains the example model on TinyStories with the
# C++ Trainer and writes the token ids for the PyTorch peer; tools/learning_parity.sh runs both.
#   <build>/bench/learning_run --data DIR --output DIR --steps 600
add_executable(learning_run ${CMAKE_CURRENT_LIST_DIR}/learning_run.cpp)
target_link_libraries(learning_run PRIVATE fg_train fg_warnings)

# The CI version (issue 5): 10 steps of our trainer, evaluation on 32 valid stories. The PyTorch
# peer is left out here (PYTHON=/bin/false) so CI time does not depend on torch being installed;
# tools/learning_parity.sh runs both. Skipped (77) without the TinyStories folder.
if(FG_BUILD_TESTS)
  add_test(NAME learning_run_10_steps
           COMMAND env PARITY_CI=1 PYTHON=/bin/false
                   DATA=${PROJECT_SOURCE_DIR}/../shared/data/tinystories-lc OUT_DIR=${CMAKE_BINARY_DIR}/learning_run_ci EVAL_STEPS=10
                   LOGGING_STEPS=5 MAX_VALID=32 ${PROJECT_SOURCE_DIR}/tools/learning_parity.sh
                   ${CMAKE_BINARY_DIR} 10)
  set_tests_properties(learning_run_10_steps PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1200)
endif()
