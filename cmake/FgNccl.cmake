# FG_WITH_NCCL: the NCCL communicator (src/dist/nccl_communicator.cpp), which data-parallel
# training uses for gradients on CUDA devices. Only with FG_WITH_CUDA. On by default when nccl.h
# and libnccl are found (NCCL_ROOT, then the CUDA toolkit's include/ and lib/, then the system);
# a status line says which files, or why it is off. The cuda preset pins it ON, so a toolkit
# without NCCL is a configure error there rather than a build that cannot run -d 0,1.
if(NOT FG_WITH_CUDA)
  return()
endif()
# The toolkit's copy first: scripts/check-deps.sh accepts files under /usr/local/cuda only.
set(fg_nccl_hints ${NCCL_ROOT} $ENV{NCCL_ROOT} ${CUDAToolkit_LIBRARY_ROOT}
                  ${CUDAToolkit_TARGET_DIR})
find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${fg_nccl_hints} ${CUDAToolkit_INCLUDE_DIRS}
          PATH_SUFFIXES include NO_DEFAULT_PATH)
find_path(NCCL_INCLUDE_DIR nccl.h)
find_library(NCCL_LIBRARY nccl HINTS ${fg_nccl_hints} ${CUDAToolkit_LIBRARY_DIR}
             PATH_SUFFIXES lib lib64 NO_DEFAULT_PATH)
find_library(NCCL_LIBRARY nccl)
if(NCCL_INCLUDE_DIR AND NCCL_LIBRARY)
  set(fg_nccl_default ON)
else()
  set(fg_nccl_default OFF)
endif()
option(FG_WITH_NCCL "Build the NCCL communicator (data-parallel training on GPUs)"
       ${fg_nccl_default})

if(NOT FG_WITH_NCCL)
  message(STATUS "forgather: NCCL communicator OFF (nccl.h: ${NCCL_INCLUDE_DIR}, libnccl: "
                 "${NCCL_LIBRARY}; set NCCL_ROOT to an NCCL install to build it): train -d 0,1 "
                 "and data parallelism on GPUs are refused")
  return()
endif()
if(NOT NCCL_INCLUDE_DIR OR NOT NCCL_LIBRARY)
  message(FATAL_ERROR "FG_WITH_NCCL=ON but NCCL was not found (nccl.h: ${NCCL_INCLUDE_DIR}, "
                      "libnccl: ${NCCL_LIBRARY}): set NCCL_ROOT to the directory holding "
                      "include/nccl.h and lib/libnccl.so, or configure with -DFG_WITH_NCCL=OFF")
endif()
add_library(fg_nccl_lib UNKNOWN IMPORTED)
set_target_properties(fg_nccl_lib PROPERTIES IMPORTED_LOCATION ${NCCL_LIBRARY}
                                             INTERFACE_INCLUDE_DIRECTORIES ${NCCL_INCLUDE_DIR})
message(STATUS "forgather: NCCL communicator ON (${NCCL_INCLUDE_DIR}/nccl.h, ${NCCL_LIBRARY})")
