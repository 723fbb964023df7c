# FG_WITH_CUDA: build the CUDA backend (src/kernels/cuda). On by default when CMake finds nvcc
# (CUDACXX, PATH or /usr/local/cuda), off otherwise; a status line says which and why. The
# presets pin it (dev/asan/fuzz/release: OFF, so the CPU-only CI stages and check-deps see no
# CUDA; cuda: ON).
# Pinned OFF (the CPU presets): not even looked for, so no nvcc path enters the cache, where
# scripts/check-deps.sh would find a file from outside Debian's packages.
if(DEFINED FG_WITH_CUDA AND NOT FG_WITH_CUDA)
  message(STATUS "forgather: CUDA backend OFF (FG_WITH_CUDA=OFF)")
  return()
endif()
include(CheckLanguage)
check_language(CUDA)
if(CMAKE_CUDA_COMPILER)
  set(fg_cuda_default ON)
else()
  set(fg_cuda_default OFF)
endif()
option(FG_WITH_CUDA "Build the CUDA backend (needs nvcc, CUDA 13)" ${fg_cuda_default})

if(NOT FG_WITH_CUDA)
  if(CMAKE_CUDA_COMPILER)
    message(STATUS "forgather: CUDA backend OFF (FG_WITH_CUDA=OFF; nvcc found at "
                   "${CMAKE_CUDA_COMPILER})")
  else()
    message(STATUS "forgather: CUDA backend OFF (no nvcc found; set CUDACXX or put the CUDA "
                   "toolkit's bin/ on PATH to build it)")
  endif()
  return()
endif()

if(NOT CMAKE_CUDA_COMPILER)
  message(FATAL_ERROR "FG_WITH_CUDA=ON but no CUDA compiler was found: set CUDACXX to nvcc "
                      "(e.g. /usr/local/cuda/bin/nvcc) or configure with -DFG_WITH_CUDA=OFF")
endif()
# sm_90 machine code (H100/H200) plus sm_80 PTX, which the driver JIT-compiles for any newer GPU.
if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
  set(CMAKE_CUDA_ARCHITECTURES "90;80-virtual")
endif()
if(FG_CCACHE AND NOT CMAKE_CUDA_COMPILER_LAUNCHER)
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${CMAKE_CURRENT_SOURCE_DIR}
                                   CCACHE_NOHASHDIR=1 ${FG_CCACHE})
endif()
enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
# CMake 3.25 knows no C++20 flag for nvcc (nvcc 13 has -std=c++20); the project is C++20 and
# targets that compile .cu files inherit that requirement, so tell CMake the flag.
if(NOT DEFINED CMAKE_CUDA20_STANDARD_COMPILE_OPTION)
  set(CMAKE_CUDA20_STANDARD_COMPILE_OPTION "-std=c++20")
  set(CMAKE_CUDA20_EXTENSION_COMPILE_OPTION "-std=c++20")
endif()
set(CMAKE_CUDA_STANDARD 20)
set(CMAKE_CUDA_STANDARD_REQUIRED ON)
set(CMAKE_CUDA_EXTENSIONS OFF)
if(CMAKE_CUDA_COMPILER_VERSION VERSION_LESS 13)
  message(FATAL_ERROR "FG_WITH_CUDA needs CUDA 13 (nvcc ${CMAKE_CUDA_COMPILER_VERSION} found at "
                      "${CMAKE_CUDA_COMPILER}); configure with -DFG_WITH_CUDA=OFF to build without")
endif()
message(STATUS "forgather: CUDA backend ON (nvcc ${CMAKE_CUDA_COMPILER_VERSION} at "
               "${CMAKE_CUDA_COMPILER}, architectures ${CMAKE_CUDA_ARCHITECTURES})")
