#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls exactly this):
#   1. GCC Debug build of the checks that only compile (every header on its own, the golden
#      files, the compile-fail cases: SPECBOUND_COMPILE_CHECKS) and of the consumer projects
#      (label `consumer`: separate builds the sanitizer flags do not reach), then `ctest -j`. The
#      tests that run specbound's code are built once, in pass 3 (SPECBOUND_RUNTIME_TESTS=OFF and
#      SPECBOUND_HEAVY_TESTS=OFF here): a Debug build with the sanitizers sees all a plain one does
#      and more;
#   2. GCC Release (-O3) build of what users build optimised: the generator, the examples and the
#      benchmarks (the runtime as applications instantiate it), so that the warnings GCC finds only
#      when optimising fail CI too (-Werror); then the examples against the Prism mock server
#      (scripts/run-examples.sh, as the main job runs them). The tests are not built again here:
#      at -O3 they cost CI's 2 cores more time than its budget has (DigitalOcean's conformance
#      sweep alone: 24 CPU-minutes), and pass 3 runs them;
#   3. a clang-15 Debug build with -DSPECBOUND_SANITIZE=address,undefined of every test that runs
#      specbound's code, the largest generated clients' included (label `heavy`: DigitalOcean's
#      and GitHub's conformance sweeps), and `ctest`. clang, because it builds these TUs with both
#      sanitizers in a third of GCC's time (GCC's UBSan instrumentation at -O0 doubles its
#      ASan-only compile), and because it gives the library's headers a second compiler's
#      -Werror over everything the tests instantiate; GCC builds the library in passes 1 and 2;
#   4. the libFuzzer targets of tests/fuzz, built with clang-15 (scripts/fuzz.sh build), then
#      `ctest -L fuzz`: each target over its seed corpus, then SPECBOUND_FUZZ_SECONDS (30) of fuzzing.
# Environment: SPECBOUND_BUILD_ROOT (default <repo>/build), SPECBOUND_JOBS (default nproc),
# SPECBOUND_SKIP_RELEASE=1 to skip pass 2 (pass 1 then builds the examples and benchmarks and runs
# the examples), SPECBOUND_SKIP_SANITIZE=1 to skip pass 3 (pass 1 then builds and runs every test),
# SPECBOUND_SKIP_FUZZ=1 to skip pass 4, SPECBOUND_ALLOW_MISSING_INPUTS=1 to skip (rather than fail)
# what needs a real description that is missing (../shared's DigitalOcean spec, GitHub's),
# SPECBOUND_FUZZ_SECONDS, CCACHE_DIR (default ~/.ccache).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fuzz=1
[[ "${SPECBOUND_SKIP_FUZZ:-0}" == 1 ]] && fuzz=0
sanitize=1
[[ "${SPECBOUND_SKIP_SANITIZE:-0}" == 1 ]] && sanitize=0
SPECBOUND_FUZZ=$fuzz SPECBOUND_CLANG=$sanitize "$repo/scripts/setup.sh"

build_root="${SPECBOUND_BUILD_ROOT:-$repo/build}"
jobs="${SPECBOUND_JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
# Cache hits across clones in different places (CI clones afresh).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$repo}"
export CTEST_OUTPUT_ON_FAILURE=1

step() { printf '\n==== %s\n' "$*"; }

# CI must not pass by testing less: a missing real description fails the configure step.
require_inputs=ON
[[ "${SPECBOUND_ALLOW_MISSING_INPUTS:-0}" == 1 ]] && require_inputs=OFF

configure_and_build() {
    local dir="$1"
    shift
    # -g1: line tables for sanitizer stack traces without variable info, a tenth less compile time.
    cmake -S "$repo" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSPECBOUND_REQUIRE_TEST_INPUTS=$require_inputs "$@"
    cmake --build "$dir" -j "$jobs"
}

release=1
[[ "${SPECBOUND_SKIP_RELEASE:-0}" == 1 ]] && release=0
# The examples and benchmarks build (and the examples run) once: in the Release pass, or in the
# Debug pass when that is skipped.
apps=(-DSPECBOUND_BUILD_EXAMPLES=ON -DSPECBOUND_BUILD_BENCHMARKS=ON)
debug_apps=("${apps[@]}")
((release)) && debug_apps=(-DSPECBOUND_BUILD_EXAMPLES=OFF -DSPECBOUND_BUILD_BENCHMARKS=OFF)
examples_build="$build_root/release"
((release)) || examples_build="$build_root/debug"

# The tests that run specbound's code (the heavy ones too): under the sanitizers, or in pass 1
# when that pass is skipped.
runtime_tests=ON
((sanitize)) && runtime_tests=OFF

start=$SECONDS
step "pass 1: GCC Debug build of the compile checks and consumer projects in $build_root/debug"
configure_and_build "$build_root/debug" -DSPECBOUND_SANITIZE= -DSPECBOUND_BUILD_TESTS=ON \
    -DSPECBOUND_HEAVY_TESTS=$runtime_tests -DSPECBOUND_COMPILE_CHECKS=ON -DSPECBOUND_RUNTIME_TESTS=$runtime_tests \
    "${debug_apps[@]}"
step "pass 1: ctest ($((SECONDS - start))s so far)"
# Two at a time when they only compile (each a compiler or a consumer's build); one at a time
# when they run specbound's code against servers and deadlines (sanitizer pass skipped).
pass1_jobs=$jobs
[[ $runtime_tests == ON ]] && pass1_jobs=1
ctest --test-dir "$build_root/debug" --output-on-failure --no-tests=error -j "$pass1_jobs"

if ((release)); then
    step "pass 2: Release (-O3) build of the generator, examples and benchmarks in $build_root/release ($((SECONDS - start))s so far)"
    configure_and_build "$build_root/release" -DCMAKE_BUILD_TYPE=Release -DSPECBOUND_SANITIZE= \
        -DSPECBOUND_BUILD_TESTS=OFF "${apps[@]}"
fi
step "the examples against the Prism mock server, as the main job runs them ($((SECONDS - start))s so far)"
"$repo/scripts/run-examples.sh" "$examples_build"

if ((sanitize)); then
    step "pass 3: clang-15 AddressSanitizer + UndefinedBehaviorSanitizer build of the tests in $build_root/asan"
    configure_and_build "$build_root/asan" -DCMAKE_CXX_COMPILER=clang++-15 -DSPECBOUND_SANITIZE=address,undefined \
        -DSPECBOUND_HEAVY_TESTS=ON -DSPECBOUND_COMPILE_CHECKS=OFF -DSPECBOUND_RUNTIME_TESTS=ON \
        -DSPECBOUND_BUILD_BENCHMARKS=OFF -DSPECBOUND_BUILD_EXAMPLES=OFF
    step "pass 3: ctest -LE consumer under sanitizers ($((SECONDS - start))s so far)"
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    ctest --test-dir "$build_root/asan" --output-on-failure --no-tests=error -LE consumer
fi

if ((fuzz)); then
    step "pass 4: libFuzzer targets (clang-15) in $build_root/fuzz ($((SECONDS - start))s so far)"
    SPECBOUND_BUILD_ROOT="$build_root" SPECBOUND_JOBS="$jobs" "$repo/scripts/fuzz.sh" build
    step "pass 4: ctest -L fuzz: seed corpora, then ${SPECBOUND_FUZZ_SECONDS:-30} s per target ($((SECONDS - start))s so far)"
    # One target a core: each is one process, bounded by its time.
    ctest --test-dir "$build_root/fuzz" --output-on-failure --no-tests=error -L fuzz -j "$jobs"
fi
step "done in $((SECONDS - start))s"
