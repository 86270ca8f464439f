#!/usr/bin/env bash
# The libFuzzer targets of tests/fuzz, built with clang-15 in <build root>/fuzz.
#
#   scripts/fuzz.sh build                 configure and build <build root>/fuzz (scripts/run-tests.sh
#                                         does this, then runs `ctest -L fuzz`: 30 s per target)
#   scripts/fuzz.sh list                  the targets
#   scripts/fuzz.sh TARGET [SECONDS]      a long run of one target (default 600 s)
#   scripts/fuzz.sh all [SECONDS]         each target in turn
#
# A run uses the same arguments as the target's CTest test (its seed corpus, dictionary, limits;
# new corpus entries and findings go to <build root>/fuzz/tests/fuzz/<target>/<target>.fuzz only)
# with the time bound replaced, prints the command, and reports the executions
# (stat::number_of_executed_units), the time and the findings (crash-, leak-, timeout-, oom- files
# written by the run). One process per target: no -jobs/-workers (CI machines have 2 cores).
# Extra libFuzzer flags, overriding the target's: FUZZ_ARGS="-max_len=8192 -timeout=60". Exit status: non-zero if any run found something.
# Environment: SPECBOUND_FUZZ_SECONDS (each CTest test's fuzzing time, default 30),
# SPECBOUND_BUILD_ROOT (default <repo>/build), SPECBOUND_JOBS (default nproc), CCACHE_DIR (default ~/.ccache).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SPECBOUND_BUILD_ROOT:-$repo/build}/fuzz"
jobs="${SPECBOUND_JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$repo}"
log() { printf 'fuzz: %s\n' "$*"; }
usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }

build_targets() {
    SPECBOUND_FUZZ=1 "$repo/scripts/setup.sh"
    # -O1: libFuzzer's recommendation (several times the executions of -O0, asserts kept); -g1:
    # line tables for the sanitizers' stack traces. Only the fuzz targets and what they need.
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1" \
        -DCMAKE_CXX_COMPILER=clang++-15 -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSPECBOUND_FUZZ=ON \
        -DSPECBOUND_BUILD_TESTS=OFF -DSPECBOUND_BUILD_EXAMPLES=OFF -DSPECBOUND_BUILD_BENCHMARKS=OFF \
        -DSPECBOUND_INSTALL=OFF -DSPECBOUND_SANITIZE= "-DSPECBOUND_FUZZ_SECONDS=${SPECBOUND_FUZZ_SECONDS:-30}"
    cmake --build "$build" -j "$jobs"
}

targets() {
    local f
    for f in "$build"/fuzz_targets/*.args; do
        [[ -e "$f" ]] && basename "$f" .args
    done
}

# One long run of target $1 for $2 seconds; returns 1 when it found something.
run_target() {
    local name="$1" seconds="$2" args_file="$build/fuzz_targets/$1.args"
    [[ -f "$args_file" ]] || { log "no target '$name' (have: $(targets | tr '\n' ' '))"; return 2; }
    local -a cmd
    mapfile -t cmd < "$args_file"
    local exe="${cmd[0]}" artifacts="" arg
    for arg in "${cmd[@]:1}"; do
        [[ "$arg" == -artifact_prefix=* ]] && artifacts="${arg#-artifact_prefix=}"
    done
    # Last, so that FUZZ_ARGS overrides the target's own flags (libFuzzer keeps a flag's last value).
    # shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags
    cmd=("$exe" "${cmd[@]:1}" "-max_total_time=$seconds" ${FUZZ_ARGS:-})
    mkdir -p "$build/fuzz_logs"
    # Function names and lines in sanitizer reports (the same symbolizer as the CTest tests).
    local symbolizer
    symbolizer="$(sed -n 's/^SPECBOUND_LLVM_SYMBOLIZER:FILEPATH=//p' "$build/CMakeCache.txt")"
    if [[ -z "${ASAN_SYMBOLIZER_PATH:-}" && -x "$symbolizer" ]]; then
        export ASAN_SYMBOLIZER_PATH="$symbolizer"
    fi
    local logfile="$build/fuzz_logs/$name.log" marker
    marker="$(mktemp)"
    log "$name: ${cmd[*]}"
    local start=$SECONDS status=0
    "${cmd[@]}" > "$logfile" 2>&1 || status=$?
    local took=$((SECONDS - start))
    local execs rate
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$logfile" | tail -1)"
    rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logfile" | tail -1)"
    local -a found
    mapfile -t found < <(find "$artifacts" -maxdepth 1 -type f -newer "$marker" \
        \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
    rm -f "$marker"
    log "$name: ${execs:-?} executions in ${took} s (${rate:-?}/s), exit status $status, log $logfile"
    if ((status != 0 || ${#found[@]})); then
        log "$name: FINDINGS: ${found[*]:-(none written; see the log)}"
        grep -m 5 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$logfile" | sed 's/^/  /' || true
        return 1
    fi
    log "$name: no findings"
}

case "${1:-}" in
build) build_targets ;;
list) targets ;;
"" | -h | --help) usage ;;
*)
    what="$1"
    seconds="${2:-600}"
    [[ "$seconds" =~ ^[0-9]+$ ]] || usage
    build_targets
    if [[ "$what" == all ]]; then
        mapfile -t names < <(targets)
    else
        names=("$what")
    fi
    failed=0
    for name in "${names[@]}"; do
        run_target "$name" "$seconds" || failed=1
    done
    exit "$failed"
    ;;
esac
