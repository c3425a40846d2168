#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   scripts/test.sh                    the whole suite in build/
#   scripts/test.sh -R core/           only the tests whose name matches (any ctest option works)
#   EBM_SANITIZE=address,undefined scripts/test.sh
#                                      the same in build-address-undefined/ with sanitizers
#   scripts/test.sh --fuzz [SECONDS]   the libFuzzer targets (clang, build-fuzz/), SECONDS each (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/bootstrap.sh

if [ "${1:-}" = "--fuzz" ]; then
    shift
    exec bash scripts/fuzz.sh "$@"
fi

build_dir=build
cmake_args=()
if [ -n "${EBM_SANITIZE:-}" ]; then
    build_dir="build-${EBM_SANITIZE//,/-}"
    cmake_args+=(-DEBM_SANITIZE="$EBM_SANITIZE" -DCMAKE_BUILD_TYPE=Debug)
fi
bash scripts/configure.sh "$build_dir" "${cmake_args[@]}"

export QT_QPA_PLATFORM=offscreen
runtime_dir=$(mktemp -d)
trap 'rm -rf "$runtime_dir"' EXIT
export XDG_RUNTIME_DIR="$runtime_dir"
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "$@"
