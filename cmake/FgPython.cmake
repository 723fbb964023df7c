# The Python module `forgather` (python/): built when pybind11 (Debian python3-pybind11) and the
# Python headers (python3-dev) are found, unless FG_BUILD_PYTHON=OFF. The sanitizer and fuzz
# builds leave it out: an instrumented extension cannot be loaded into a plain interpreter.
if(FG_SANITIZE)
  set(_fg_python_default OFF)
else()
  # Prefer Debian's interpreter: its headers come from python3-dev, so scripts/check-deps.sh can
  # vouch for them. A module built for 3.X imports into any 3.X interpreter (same ABI tag).
  if(NOT DEFINED Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
  find_package(Python3 COMPONENTS Interpreter Development.Module)
  if(Python3_FOUND)
    find_package(pybind11 CONFIG QUIET)
  endif()
  if(Python3_FOUND AND pybind11_FOUND)
    set(_fg_python_default ON)
  else()
    set(_fg_python_default OFF)
  endif()
endif()
option(FG_BUILD_PYTHON "Build the Python module forgather (needs python3-pybind11, python3-dev)"
       ${_fg_python_default})
if(FG_BUILD_PYTHON)
  if(NOT pybind11_FOUND)
    message(FATAL_ERROR "FG_BUILD_PYTHON is ON but pybind11 was not found: install python3-pybind11 "
                        "(scripts/install-deps.sh) or configure with -DFG_BUILD_PYTHON=OFF")
  endif()
  # The static area libraries are linked into a shared extension, so all code is compiled as
  # position-independent.
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  message(STATUS "Python module: Python ${Python3_VERSION} (${Python3_EXECUTABLE}), pybind11 ${pybind11_VERSION}")
endif()
