#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   scripts/test.sh                    the whole suite in build/
#   scripts/test.sh -R core/           only the tests whose name matches (any ctest option works)
#   scripts/test.sh --sanitize         the whole suite, then (what CI runs) the suite again under ASan+UBSan in
#                                      build-address-undefined/ and the core tests under TSan in build-thread/;
#                                      the wall time of every stage is printed at the end
#   EBM_SANITIZE=address,undefined scripts/test.sh
#                                      one sanitizer build alone (or EBM_SANITIZE=thread)
#   scripts/test.sh --fuzz [SECONDS]   the libFuzzer targets (clang, build-fuzz/), SECONDS each (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--fuzz" ]; then
    shift
    bash scripts/bootstrap.sh --fuzz
    exec bash scripts/fuzz.sh "$@"
fi

sanitize=false
ctest_args=()
for arg in "$@"; do
    case "$arg" in
    --sanitize) sanitize=true ;;
    *) ctest_args+=("$arg") ;;
    esac
done

bash scripts/bootstrap.sh

export QT_QPA_PLATFORM=offscreen
runtime_dir=$(mktemp -d)
trap 'rm -rf "$runtime_dir"' EXIT
export XDG_RUNTIME_DIR="$runtime_dir"

timings=()
# run_stage NAME SANITIZERS: configure, build and test one build directory, and time it.
run_stage() {
    local name="$1" sanitizers="$2" build_dir=build start
    local cmake_args=() extra=() runner=(env)
    start=$(date +%s)
    if [ -n "$sanitizers" ]; then
        build_dir="build-${sanitizers//,/-}"
        # Debug keeps the assertions (Eigen's bounds checks included); CMake compiles sanitizer builds at -O1.
        cmake_args+=(-DEBM_SANITIZE="$sanitizers" -DCMAKE_BUILD_TYPE=Debug)
        # Benchmarks measure speed, which a sanitizer distorts, and the style check compiles nothing.
        extra+=(--label-exclude 'bench|style')
        # The monkey's 10^4 events run in the plain build; a sanitizer build, ~10x slower, checks a fifth of them.
        # Its bound on a turn of the event loop is the plain build's business: a Debug -O1 ASan build spends ~4x
        # the CPU on a repaint (a 150 ms presentation-mode drag took 573 ms), so it is held to a freeze-sized bound.
        runner+=(EBM_MONKEY_EVENTS="${EBM_MONKEY_EVENTS:-2000}" EBM_MONKEY_MAX_TURN_MS="${EBM_MONKEY_MAX_TURN_MS:-2000}")
    fi
    if [ "$sanitizers" = "thread" ]; then
        # Only the core and engine are worth TSan's time: Qt's widgets are not instrumented.
        cmake_args+=(-DEBM_CORE_ONLY=ON)
        # GCC 12's TSan runtime aborts with "unexpected memory mapping" on kernels with more mmap randomisation
        # (vm.mmap_rnd_bits > 28); it maps its shadow memory fine without ASLR. Where the container forbids
        # turning ASLR off, run as is (it works wherever the kernel's randomisation is the classic one).
        if setarch "$(uname -m)" -R true 2>/dev/null; then
            runner+=(setarch "$(uname -m)" -R)
        fi
    fi
    bash scripts/configure.sh "$build_dir" "${cmake_args[@]}"
    "${runner[@]}" ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" "${extra[@]}" \
        "${ctest_args[@]}"
    timings+=("$name: $(($(date +%s) - start)) s (build + tests, $build_dir/)")
}

if [ -n "${EBM_SANITIZE:-}" ]; then
    run_stage "$EBM_SANITIZE" "$EBM_SANITIZE"
    exit 0
fi

run_stage "tests" ""
if $sanitize; then
    run_stage "ASan+UBSan" "address,undefined"
    run_stage "TSan (core)" "thread"
    printf 'stage %s\n' "${timings[@]}"
fi
