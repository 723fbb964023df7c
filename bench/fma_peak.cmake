# The register-resident arithmetic peak (fp32 FMA, bf16 vdpbf16ps): the speed acceptance's
# denominator. x86-64 only; the loops carry their own target attributes.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_executable(fma_peak ${CMAKE_CURRENT_LIST_DIR}/fma_peak.cpp)
  target_link_libraries(fma_peak PRIVATE OpenMP::OpenMP_CXX)
endif()
