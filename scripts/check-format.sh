#!/usr/bin/env bash
# Fails when a C++ source file differs from what .clang-format makes of it.
#   scripts/check-format.sh          check (CI runs this as the ctest test style/clang-format)
#   scripts/check-format.sh --fix    rewrite the files in place
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.h')
if [ "${1:-}" = "--fix" ]; then
    clang-format -i "${files[@]}"
    exit 0
fi
clang-format --dry-run -Werror "${files[@]}"
echo "clang-format: ${#files[@]} files are formatted"
