#!/usr/bin/env bash
# Fails when any C++ or CUDA file under src/, tests/, bench/ or tools/ is not clang-format clean.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.h' 'src/*.cu' 'src/*.cuh' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h' 'tools/*.cpp' 'fuzz/*.cpp' 'fuzz/*.h')
if [[ ${#files[@]} -eq 0 ]]; then exit 0; fi
if ! clang-format --dry-run -Werror "${files[@]}"; then
  echo "check-format: run 'clang-format -i' on the files above" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files clean"
