# fg_add_area(NAME DEPS...): a static library fg_NAME from every .cpp under src/NAME.
# Include paths are rooted at src/, so code writes #include "core/error.h".
function(fg_add_area name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  if(NOT sources)
    # An area with no sources yet: an interface target so dependents still link.
    add_library(fg_${name} INTERFACE)
    target_include_directories(fg_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(fg_${name} INTERFACE ${ARGN})
    return()
  endif()
  add_library(fg_${name} STATIC ${sources})
  target_include_directories(fg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(fg_${name} PUBLIC ${ARGN} PRIVATE fg_warnings)
endfunction()

# fg_add_area_tests(NAME DEPS...): one gtest binary test_NAME from tests/NAME/**/*_test.cpp.
# Tests run with the working directory at the repository root so fixture paths are stable.
function(fg_add_area_tests name)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/${name}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(test_${name} ${sources})
  target_link_libraries(test_${name} PRIVATE ${ARGN} GTest::gtest GTest::gtest_main fg_warnings)
  target_compile_definitions(test_${name} PRIVATE FG_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                                  FG_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(test_${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()
