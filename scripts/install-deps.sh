#!/usr/bin/env bash
# Installs the Debian packages Forgather C++ needs. Does nothing when they are all present.
#   scripts/install-deps.sh           build + test dependencies
#   scripts/install-deps.sh --dev     also the tools that regenerate fixtures
#   scripts/install-deps.sh --list    print the package names, one a line (scripts/check-deps.sh)
# chromium is a base package: the report tests render HTML in headless Chromium.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang-format ccache
  clang libclang-rt-14-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libsentencepiece-dev libopenblas-dev libdnnl-dev libcurl4-openssl-dev libicu-dev libssl-dev
  libopenmpi-dev openmpi-bin libre2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  protobuf-compiler python3 python3-venv python3-dev python3-pybind11 chromium
)
dev_packages=(python3-torch python3-jinja2 python3-numpy sentencepiece)

if [[ "${1:-}" == "--dev" ]]; then packages+=("${dev_packages[@]}"); fi
if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
