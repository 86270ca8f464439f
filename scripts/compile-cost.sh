#!/usr/bin/env bash
# Compile cost of code that uses specbound: compiles small probe TUs (benchmarks/compile_cost/)
# one compiler process at a time, with the project's flags at -O0 -g1, and prints each one's CPU
# time (user+sys, robust to a loaded machine; wall time is not) and peak RSS, with the ratio to
# the hand-written Beast coroutine client (probe a).
#
#   scripts/compile-cost.sh [PROBE...]     PROBE: handwritten include_only do_header_only
#                                          do_separate do_no_facade do_tag_client runtime_lib untagged
#                                          (default: all of them), github github_no_facade
#                                          (not by default)
#
# Environment:
#   GEN        specbound-gen to use (default: the first of build/*/codegen/specbound-gen)
#   DO_SPEC    DigitalOcean's description (default: ../shared/specs/digitalocean/..., read in place)
#   GH_SPEC    GitHub's description (default: tools/node_modules/@octokit/openapi/...)
#   CXX        compiler (default g++); CXXFLAGS_EXTRA appended to the flags
#   WORK       scratch folder for generated code and objects (default: a temporary folder)
#   NICE       niceness of the compiler (default 10)
#
# The probes:
#   handwritten     (a) a complete hand-written Beast client: resolve, connect, TLS, write, read,
#                       Boost.JSON decode into a struct (benchmarks/compile_cost/handwritten_client.cpp)
#   include_only    (b) #include <specbound/client.hpp> and nothing else, header-only
#   do_header_only  (c) one DigitalOcean call (droplets_list), header-only (HEADER_ONLY, or no CMake)
#   do_separate     (c) the same TU with SPECBOUND_SEPARATE_COMPILATION (what the CMake route builds)
#   do_no_facade    (e) do_separate without the generated facade: the same call through
#                       specbound::client::async_call<ops::droplets_list> (what the facade costs)
#   do_tag_client   (k) do_separate through the per-tag client digitalocean::clients::droplets
#                       (clients/droplets.hpp: the members of that header's operations only)
#   runtime_lib         the one .cpp of the compiled runtime (<specbound/src.hpp>), paid once per build
#   untagged        (d) one call among 500 untagged operations (benchmarks/compile_cost/untagged_spec.sh),
#                       SPECBOUND_SEPARATE_COMPILATION; the header it includes is printed
#   github          (f) one GitHub call (repos_get), SPECBOUND_SEPARATE_COMPILATION; the header it
#                       includes is printed (repos.hpp, 204 operations, when the generator does not split)
#   github_no_facade (g) (f) without the generated facade: specbound::client::async_call<ops::repos_get>
#   do_whole        (h) DigitalOcean's whole client generated with --operation-sources $DO_SOURCES
#                       (default 16) and every source compiled, $JOBS (default 2) at a time: the
#                       build of a program that links it (specbound_generate(COMPILED_OPERATIONS));
#                       prints the wall time, the CPU time of all of them and the largest RSS
#   github_whole    (i) the same for GitHub's, --operation-sources $GH_SOURCES (default 32)
#   do_one_compiled (j) (c) against (h)'s headers: the call's operation declared extern
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
probes_dir="$repo/benchmarks/compile_cost"
CXX="${CXX:-g++}"
NICE="${NICE:-10}"
DO_SPEC="${DO_SPEC:-$repo/../shared/specs/digitalocean/specification/DigitalOcean-public.v2.yaml}"
GH_SPEC="${GH_SPEC:-$repo/tools/node_modules/@octokit/openapi/generated/api.github.com.json}"
if [[ -z "${GEN:-}" ]]; then
    for candidate in "$repo"/build/*/codegen/specbound-gen; do
        [[ -x "$candidate" ]] && { GEN="$candidate"; break; }
    done
fi
[[ -n "${GEN:-}" && -x "$GEN" ]] || { echo "compile-cost.sh: no specbound-gen (build it, or set GEN)" >&2; exit 1; }
if [[ -z "${WORK:-}" ]]; then
    WORK="$(mktemp -d)"
    trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

probes=("$@")
[[ ${#probes[@]} -gt 0 ]] || probes=(handwritten include_only do_header_only do_separate do_no_facade do_tag_client runtime_lib untagged)

# The project's flags (CMakeLists.txt, tests' Debug pass) and the definitions CMake adds for Boost's
# compiled libraries.
flags=(-std=gnu++20 -O0 -g1 -Wall -Wextra -Wpedantic -Werror
       -DBOOST_JSON_DYN_LINK -DBOOST_JSON_NO_LIB -DBOOST_URL_DYN_LINK -DBOOST_URL_NO_LIB
       -DBOOST_CONTAINER_DYN_LINK -DBOOST_CONTAINER_NO_LIB
       -I"$repo/include" -I"$WORK/gen")
# shellcheck disable=SC2206
flags+=(${CXXFLAGS_EXTRA:-})

need_do() {
    [[ -f "$WORK/gen/digitalocean/clients/droplets.hpp" ]] && return
    [[ -f "$DO_SPEC" ]] || { echo "compile-cost.sh: no DigitalOcean spec at $DO_SPEC (set DO_SPEC)" >&2; exit 1; }
    "$GEN" --spec "$DO_SPEC" --namespace digitalocean --out "$WORK/gen" --quiet
}

need_github() {
    [[ -f "$WORK/gen/github/client.hpp" ]] && return
    [[ -f "$GH_SPEC" ]] || { echo "compile-cost.sh: no GitHub description at $GH_SPEC (set GH_SPEC)" >&2; exit 1; }
    "$GEN" --spec "$GH_SPEC" --namespace github --out "$WORK/gen" --quiet
}

# Generates API $1 (namespace) from spec $2 into $WORK/whole_$1 with --operation-sources $3: every
# time, so that a reused WORK holds the sources of this count (the generator removes the others).
need_whole() {
    local ns="$1" spec="$2" sources="$3"
    [[ -f "$spec" ]] || { echo "compile-cost.sh: no description at $spec" >&2; exit 1; }
    "$GEN" --spec "$spec" --namespace "$ns" --out "$WORK/whole_$ns" --quiet --operation-sources "$sources"
}

# The flags with $1's headers in place of $WORK/gen's (which may hold the same namespace, generated
# without --operation-sources), into the array named $2.
flags_with_headers_of() {
    local -n into="$2"
    into=("${flags[@]/#-I$WORK\/gen/-I$1}")
}

need_untagged() {
    [[ -f "$WORK/gen/untagged/client.hpp" ]] && return
    "$probes_dir/untagged_spec.sh" 500 > "$WORK/untagged.yaml"
    "$GEN" --spec "$WORK/untagged.yaml" --namespace untagged --out "$WORK/gen" --quiet
}

baseline_cpu=""
printf '%-16s %-60s %9s %9s %9s\n' probe "what" "CPU s" "RSS MB" "CPU/(a)"
measure() { # name, description, source, extra flags...
    local name="$1" what="$2" source="$3"
    shift 3
    local out="$WORK/$name.time"
    if ! nice -n "$NICE" /usr/bin/time -f '%U %S %M' -o "$out" "$CXX" "${flags[@]}" "$@" -c "$source" -o "$WORK/$name.o"; then
        echo "compile-cost.sh: $name did not compile" >&2
        exit 1
    fi
    local user sys rss cpu ratio="-"
    read -r user sys rss < <(tail -n 1 "$out")
    cpu="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')"
    [[ "$name" == handwritten ]] && baseline_cpu="$cpu"
    [[ -n "$baseline_cpu" ]] && ratio="$(awk -v c="$cpu" -v b="$baseline_cpu" 'BEGIN { printf "%.2f", c / b }')"
    printf '%-16s %-60s %9s %9d %9s\n' "$name" "$what" "$cpu" $((rss / 1024)) "$ratio"
}

# Compiles every operations_<i>.cpp of $WORK/whole_$1, $JOBS at a time: wall, CPU, largest RSS.
measure_whole() { # name, description, namespace
    local name="$1" what="$2" ns="$3"
    local dir="$WORK/whole_$ns" started=$SECONDS
    local whole_flags
    flags_with_headers_of "$dir" whole_flags
    rm -rf "${WORK:?}/$name" # no timings of an earlier run's sources
    mkdir -p "$WORK/$name"
    if ! find "$dir/$ns" -maxdepth 1 -name 'operations_*.cpp' -print0 | sort -z |
        xargs -0 -P "${JOBS:-2}" -I{} bash -c 'exec nice -n "$1" /usr/bin/time -f "%U %S %M" -o "$2/$(basename "$3" .cpp).time" \
            "$4" "${@:5}" -c "$3" -o "$2/$(basename "$3" .cpp).o"' bash "$NICE" "$WORK/$name" {} "$CXX" "${whole_flags[@]}" -DSPECBOUND_SEPARATE_COMPILATION; then
        echo "compile-cost.sh: $name did not compile" >&2
        exit 1
    fi
    local wall=$((SECONDS - started))
    local summary
    summary="$(cat "$WORK/$name"/*.time | awk '{ cpu += $1 + $2; if ($3 > rss) rss = $3; n++ } END { printf "%d %.1f %d", n, cpu, rss / 1024 }')"
    local n cpu rss
    read -r n cpu rss <<< "$summary"
    printf '%-16s %-60s %9s %9d %9s\n' "$name" "$what ($n sources)" "$cpu" "$rss" "-"
    printf '%-16s %-60s %9s\n' "" "  wall time, ${JOBS:-2} at a time (a loaded machine stretches it)" "${wall} s"
}

for probe in "${probes[@]}"; do
    case "$probe" in
    handwritten) measure handwritten "(a) hand-written Beast+TLS+JSON coroutine client" "$probes_dir/handwritten_client.cpp" ;;
    include_only) measure include_only "(b) #include <specbound/client.hpp>, header-only" "$probes_dir/include_only.cpp" ;;
    do_header_only) need_do; measure do_header_only "(c) one DigitalOcean call, header-only" "$probes_dir/do_one_call.cpp" ;;
    do_separate) need_do; measure do_separate "(c) one DigitalOcean call, SPECBOUND_SEPARATE_COMPILATION" "$probes_dir/do_one_call.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    do_no_facade) need_do; measure do_no_facade "(e) (c) separate, without the facade (client::async_call<Op>)" "$probes_dir/do_no_facade.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    untagged)
        need_untagged
        header=default.hpp
        [[ -f "$WORK/gen/untagged/ops/default_resource_7.hpp" ]] && header=default_resource_7.hpp
        measure untagged "(d) one of 500 untagged operations (ops/$header), separate" "$probes_dir/untagged_one_call.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    github)
        need_github
        header=repos.hpp
        [[ -f "$WORK/gen/github/ops/repos_repos_by_owner_root.hpp" ]] && header=repos_repos_by_owner_root.hpp
        measure github "(f) one GitHub call (ops/$header), separate" "$probes_dir/github_one_call.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    github_no_facade)
        need_github
        measure github_no_facade "(g) (f) without the facade (client::async_call<Op>)" "$probes_dir/github_no_facade.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    do_whole)
        need_whole digitalocean "$DO_SPEC" "${DO_SOURCES:-16}"
        measure_whole do_whole "(h) DigitalOcean's whole client, COMPILED_OPERATIONS" digitalocean ;;
    github_whole)
        need_whole github "$GH_SPEC" "${GH_SOURCES:-32}"
        measure_whole github_whole "(i) GitHub's whole client, COMPILED_OPERATIONS" github ;;
    do_one_compiled)
        need_whole digitalocean "$DO_SPEC" "${DO_SOURCES:-16}"
        saved_flags=("${flags[@]}")
        flags_with_headers_of "$WORK/whole_digitalocean" flags
        measure do_one_compiled "(j) (c) with the operation compiled in (h), separate" "$probes_dir/do_one_call.cpp" \
            -DSPECBOUND_SEPARATE_COMPILATION
        flags=("${saved_flags[@]}") ;;
    do_tag_client) need_do; measure do_tag_client "(k) (c) separate, through clients::droplets (one tag's members)" "$probes_dir/do_tag_client.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    runtime_lib) measure runtime_lib "compiled runtime (<specbound/src.hpp>), once per build" "$repo/cmake/specbound_runtime.cpp" -DSPECBOUND_SEPARATE_COMPILATION ;;
    *) echo "compile-cost.sh: unknown probe '$probe'" >&2; exit 2 ;;
    esac
done
