#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ (docs/security.md, "Fuzzing").
#   scripts/fuzz.sh TARGET [SECONDS]   one target, 600 s by default
#   scripts/fuzz.sh --all SECONDS      every target in turn (CI: --all 30)
#   scripts/fuzz.sh --list             the target names
# Builds the `fuzz` preset first when needed. New corpus entries and crash inputs go to a scratch
# folder (FG_FUZZ_SCRATCH, default build/fuzz/runs); the committed corpus is only read. Exits
# non-zero when a target finds a crash, a leak, a timeout or an out-of-memory input.
# Extra libFuzzer flags: FG_FUZZ_ARGS="-jobs=2 -workers=2" scripts/fuzz.sh yaml 600
# FG_FUZZ_SKIP="jinja" leaves targets out of --all (for a known crash awaiting its fix).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(jinja yaml safetensors trainer_state tokenizer event_reader)
scratch="${FG_FUZZ_SCRATCH:-build/fuzz/runs}"

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

is_target() {
  local t
  for t in "${targets[@]}"; do [[ "$t" == "$1" ]] && return 0; done
  return 1
}

build() {
  [[ -f build/fuzz/build.ninja ]] || cmake --preset fuzz >/dev/null
  local names=()
  local t
  for t in "$@"; do names+=("${t}_fuzz"); done
  cmake --build --preset fuzz -j "$(nproc)" --target "${names[@]}"
}

# run_target NAME SECONDS: returns libFuzzer's status.
run_target() {
  local name="$1" seconds="$2"
  local corpus="$scratch/$name/corpus" crashes="$scratch/$name/crashes"
  mkdir -p "$corpus" "$crashes"
  echo "== fuzzing $name for ${seconds}s (new inputs: $corpus, crashes: $crashes)"
  local status=0 dict=()
  case "$name" in
    trainer_state | tokenizer | safetensors) dict=(-dict=fuzz/dicts/json.dict) ;;
    yaml | jinja) dict=(-dict="fuzz/dicts/$name.dict") ;;
  esac
  # shellcheck disable=SC2086  # FG_FUZZ_ARGS is a list of flags
  "build/fuzz/fuzz/${name}_fuzz" "$corpus" "fuzz/corpus/$name" "${dict[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$crashes/" -print_final_stats=1 ${FG_FUZZ_ARGS:-} || status=$?
  if [[ $status -ne 0 ]]; then
    echo "== $name FAILED (status $status). Inputs that broke it:"
    ls -1 "$crashes"
    echo "   Reproduce: build/fuzz/fuzz/${name}_fuzz $crashes/<file>"
    echo "   Keep one as a regression test once fixed: cp $crashes/<file> fuzz/regressions/$name/"
  fi
  return $status
}

[[ $# -ge 1 ]] || usage
case "$1" in
  --list) printf '%s\n' "${targets[@]}" ;;
  --all)
    [[ $# -eq 2 ]] || usage
    build "${targets[@]}"
    failed=()
    for t in "${targets[@]}"; do
      if [[ " ${FG_FUZZ_SKIP:-} " == *" $t "* ]]; then
        echo "== skipping $t (FG_FUZZ_SKIP)"
        continue
      fi
      run_target "$t" "$2" || failed+=("$t")
    done
    if [[ ${#failed[@]} -gt 0 ]]; then
      echo "== fuzzing found problems in: ${failed[*]}"
      exit 1
    fi
    echo "== every target ran ${2}s without a finding"
    ;;
  -h | --help) usage ;;
  *)
    is_target "$1" || { echo "unknown fuzz target '$1'; expected one of: ${targets[*]}" >&2; exit 2; }
    build "$1"
    run_target "$1" "${2:-600}"
    ;;
esac
