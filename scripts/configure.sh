#!/usr/bin/env bash
# Configures and builds EBM Lab into a build directory (default: build/). Used by run.sh and test.sh.
#   scripts/configure.sh [BUILD_DIR] [extra cmake arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${1:-build}"
shift || true
werror=OFF
if [ "${CI:-}" = "true" ]; then
    werror=ON # warnings are errors in CI, so they are fixed when they appear
fi
if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DEBM_WERROR="$werror" "$@"
fi
cmake --build "$build_dir" --parallel "$(nproc)"
