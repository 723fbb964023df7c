#!/usr/bin/env bash
# ODR guard for the per-ISA kernel copies: every symbol an ISA's objects define for the linker
# must sit in that ISA's namespace. A shared inline function or template compiled with AVX-512
# flags could otherwise be the copy the linker keeps for the baseline path.
#   isa_symbols_check.sh ISA OBJECT...
set -euo pipefail
isa=$1
shift
stray=$(nm -C --defined-only "$@" | awk 'NF >= 3 && $2 ~ /^[A-Z]$/' | cut -d' ' -f3- |
  grep -v "fg::kernels::cpu::$isa::" | grep -vx "DW.ref.__gxx_personality_v0" |
  grep -v "^__odr_asan\." || true)  # AddressSanitizer's ODR indicators are not code
if [[ -n "$stray" ]]; then
  echo "symbols outside fg::kernels::cpu::$isa in the $isa kernel objects:"
  echo "$stray"
  exit 1
fi
echo "$isa: every exported symbol is in fg::kernels::cpu::$isa"
