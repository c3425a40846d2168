#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan+UBSan, build-fuzz/) and runs each for SECONDS
# (default 60) on its seed corpus and regression inputs. New interesting inputs go to a temporary corpus
# (build-fuzz/fuzz-out/<name>/), not into the repository. Fails when a target finds a crash, a hang, a leak or
# an out-of-memory; the input is then in build-fuzz/fuzz-artifacts/<name>/.
#   scripts/test.sh --fuzz [SECONDS]             every target (installs clang first)
#   scripts/fuzz.sh [SECONDS] [TARGET...]        the same without bootstrap, or only some targets (csv, cli, ...)
#   EBM_FUZZ_MERGE=1 scripts/fuzz.sh ...         afterwards, merge the inputs that add coverage into
#                                                tests/fuzz/corpus/<name>/ (libFuzzer -merge=1; review the diff)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
build_dir=build-fuzz
# The targets hand some inputs to loaders through a scratch file: in memory it is ~50x faster than on disk.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    export TMPDIR=/dev/shm
fi
if [ ! -f "$build_dir/build.ninja" ]; then
    cxx=$(command -v clang++-14 || command -v clang++)
    cmake -S . -B "$build_dir" -G Ninja -DEBM_FUZZ=ON -DCMAKE_CXX_COMPILER="$cxx" -DEBM_WERROR=OFF
fi
cmake --build "$build_dir" --target fuzz --parallel "$(nproc)"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for exe in "$build_dir"/tests/fuzz/fuzz_*; do
        [ -f "$exe" ] && [ -x "$exe" ] && targets+=("${exe##*/fuzz_}")
    done
fi

failed=()
for name in "${targets[@]}"; do
    exe="$build_dir/tests/fuzz/fuzz_$name"
    out="$build_dir/fuzz-out/$name"
    artifacts="$build_dir/fuzz-artifacts/$name"
    rm -rf "$out"
    mkdir -p "$out" "$artifacts"
    dict=()
    [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
    inputs=("tests/fuzz/corpus/$name")
    [ -d "tests/fuzz/regressions/$name" ] && inputs+=("tests/fuzz/regressions/$name")
    log="$build_dir/fuzz-out/$name.log"
    echo "fuzz: $name for ${seconds} s (log: $log)"
    # The first corpus directory receives the new inputs: the temporary one, so the repository stays clean.
    if ! "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "${dict[@]}" "$out" "${inputs[@]}" >"$log" 2>&1; then
        failed+=("$name")
        grep -E "ERROR|==[0-9]+==|SUMMARY|Test unit written" "$log" | head -20 || true
    fi
    # The last status line (coverage, features, corpus) and the speed.
    grep -E "^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)" "$log" | tail -1 || true
    grep -E "stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)" "$log" || true
    if [ "${EBM_FUZZ_MERGE:-0}" = "1" ]; then
        "$exe" -merge=1 "${dict[@]}" "tests/fuzz/corpus/$name" "$out" >>"$log" 2>&1
        echo "fuzz: merged into tests/fuzz/corpus/$name ($(ls "tests/fuzz/corpus/$name" | wc -l) files)"
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FOUND a problem in: ${failed[*]} (inputs in $build_dir/fuzz-artifacts/); add each input to"
    echo "      tests/fuzz/regressions/<name>/ once fixed, so ctest replays it"
    exit 1
fi
echo "fuzz: no finding in ${targets[*]}"
