#!/usr/bin/env bash
# Guards against a build that works only because this machine happens to have a package: every
# file a configured and built tree used (headers, linked libraries, paths CMake found) must belong
# to a package that scripts/install-deps.sh installs, or to one of those packages' hard
# dependencies (Depends/Pre-Depends, never Recommends: install-deps.sh installs without them), or
# to an essential package of a minimal Debian system.
#   scripts/check-deps.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/check-deps.sh BUILD_DIR}
[[ -f "$build/CMakeCache.txt" && -f "$build/build.ninja" ]] || {
  echo "check-deps: $build is not a configured Ninja build tree" >&2
  exit 2
}
source_dir=$(pwd)
build_abs=$(cd "$build" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The packages a fresh machine gets: the listed ones, their hard-dependency closure, and the
# essential set.
mapfile -t listed < <(scripts/install-deps.sh --list)
apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${listed[@]}" 2>/dev/null |
  sed -n 's/^ *\(|\?\(Pre\)\?Depends: \)\?<\?\([a-z0-9][a-z0-9.+:-]*\)>\?$/\3/p' |
  sed 's/:.*//' >"$tmp/allowed"
printf '%s\n' "${listed[@]}" >>"$tmp/allowed"
dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' |
  awk '$2 == "yes" || $3 == "required" {print $1}' >>"$tmp/allowed"
sort -u -o "$tmp/allowed" "$tmp/allowed"

# The CUDA toolkit (nvcc, cudart, cuBLASLt) is the machine's own install under /usr/local/cuda
# (NVIDIA's installer: Debian packages no CUDA 13). A build configured with FG_WITH_CUDA=ON (the
# cuda preset) may use files under exactly that prefix; any other build may not.
cuda_prefixes=()
if grep -qx 'FG_WITH_CUDA:BOOL=ON' "$build/CMakeCache.txt"; then
  cuda_prefixes=(/usr/local/cuda "$(readlink -f /usr/local/cuda)")
fi
in_cuda_toolkit() {
  local p
  for p in "${cuda_prefixes[@]}"; do [[ "$1" == "$p"/* || "$(readlink -f "$1")" == "$p"/* ]] && return 0; done
  return 1
}

# The files the build used, outside the source and build trees.
{
  ninja -C "$build" -t deps 2>/dev/null | sed -n 's/^    \(\/.*\)$/\1/p'
  grep -ho '/[^ ;"]*\.\(so\|a\)\(\.[0-9.]*\)\?\b' "$build/build.ninja" || true
  sed -n 's/^[A-Za-z0-9_]*:\(FILEPATH\|PATH\)=\(\/.*\)$/\2/p' "$build/CMakeCache.txt"
  find "$build" -maxdepth 2 -type f -perm -u+x -name 'forgather' -exec ldd {} \; 2>/dev/null |
    sed -n 's/.*=> \(\/[^ ]*\).*/\1/p'
} | sort -u | while read -r f; do
  case "$f" in "$source_dir"/* | "$build_abs"/*) continue ;; esac
  if [[ ${#cuda_prefixes[@]} -gt 0 ]] && in_cuda_toolkit "$f"; then continue; fi
  # The path as named (a -dev package's symlink) and its target (the runtime library) both count.
  if [[ -f "$f" ]]; then printf '%s\n%s\n' "$f" "$(readlink -f "$f")"; fi
done | sort -u >"$tmp/files"

# Owning package of each file, from dpkg's file lists (one pass; usrmerge folds /lib into /usr/lib;
# a path through a symlinked directory is tried by its real path too).
python3 - "$tmp/files" >"$tmp/owned" 2>"$tmp/unowned" <<'PY'
import glob, os, sys
def norm(p):
    for top in ("/lib", "/lib64", "/bin", "/sbin"):
        if p == top or p.startswith(top + "/"):
            return "/usr" + p
    return p
owner = {}
for lst in glob.glob("/var/lib/dpkg/info/*.list"):
    pkg = os.path.basename(lst)[:-5].split(":")[0]
    with open(lst, errors="replace") as f:
        for line in f:
            owner.setdefault(norm(line.rstrip("\n")), pkg)
for f in open(sys.argv[1]).read().split():
    pkg = owner.get(norm(f)) or owner.get(norm(os.path.realpath(f)))
    if pkg:
        print(pkg, f)
    else:
        print(f, file=sys.stderr)
PY

status=0
while read -r pkg f; do
  if ! grep -qx "$pkg" "$tmp/allowed"; then
    echo "check-deps: $f comes from package $pkg, which scripts/install-deps.sh does not install" >&2
    status=1
  fi
done <"$tmp/owned"
# A directory CMake recorded (e.g. /usr/include) is shared by many packages; only files count.
while read -r f; do
  if [[ -f "$f" ]]; then
    echo "check-deps: $f belongs to no Debian package: the build must not depend on it" >&2
    status=1
  fi
done <"$tmp/unowned"
n=$(wc -l <"$tmp/owned")
if [[ $status -eq 0 ]]; then
  echo "check-deps: $n files from $(cut -d' ' -f1 "$tmp/owned" | sort -u | wc -l) packages, all installed by scripts/install-deps.sh"
fi
exit $status
