#!/usr/bin/env bash
# The main job: build specbound-gen and the examples, generate a client from a spec, serve that
# spec with the Prism mock server on 127.0.0.1, and run an example program against it.
#
# What to run is set here (or overridden from the environment):
#   SPEC          the spec to generate from and to serve
#   NAMESPACE     the generated client's namespace (its folder under the output dir)
#   EXAMPLES      the examples' CMake targets (executables under examples/), run in order
#   PRISM_FLAGS   extra `prism mock` flags, e.g. "--dynamic --seed 1"
#   RUN_DIGITALOCEAN  1 (default): also build examples 06 and 07 and run them against Prism
#                 serving DigitalOcean's spec from ../shared; 0: skip them
# Examples 08 (streaming) and 09 (testing) always run, against loopback servers they start themselves.
# The example gets the mock server's base URL as its first argument and in SPECBOUND_BASE_URL.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="${SPEC:-$repo/spec/petstore.yaml}"
NAMESPACE="${NAMESPACE:-petstore}"
EXAMPLES="${EXAMPLES:-example_first_call example_coroutines example_errors example_auth example_concurrency}"
PRISM_FLAGS="${PRISM_FLAGS:-}"
export SPEC EXAMPLES PRISM_FLAGS # scripts/run-examples.sh reads them

"$repo/scripts/setup.sh"

build="${SPECBOUND_BUILD_ROOT:-$repo/build}/main"
jobs="${SPECBOUND_JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$repo}"
step() { printf '\n==== %s\n' "$*"; }
[[ -f "$SPEC" ]] || { echo "run-main.sh: no spec at $SPEC" >&2; exit 1; }

step "build specbound-gen and the examples in $build"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DSPECBOUND_BUILD_TESTS=OFF -DSPECBOUND_BUILD_BENCHMARKS=OFF -DSPECBOUND_BUILD_EXAMPLES=ON
cmake --build "$build" -j "$jobs" --target specbound-gen
read -r -a examples <<<"$EXAMPLES"
for example in "${examples[@]}"; do
    if ! ninja -C "$build" -t query "$example" >/dev/null 2>&1; then
        echo "run-main.sh: there is no example target '$example' (see examples/)" >&2
        exit 1
    fi
done
# 08 (streaming) and 09 (testing) run against servers they start themselves, whatever the spec.
cmake --build "$build" -j "$jobs" --target "${examples[@]}" example_streaming example_testing
if [[ "${RUN_DIGITALOCEAN:-1}" == 1 ]] && ninja -C "$build" -t query example_digitalocean >/dev/null 2>&1; then
    step "build examples 06 and 07 (a client generated from DigitalOcean's spec)"
    cmake --build "$build" -j "$jobs" --target example_digitalocean example_pagination
fi

step "generate the $NAMESPACE client from ${SPEC#"$repo"/}"
gen_dir="$build/generated"
"$build/codegen/specbound-gen" --spec "$SPEC" --namespace "$NAMESPACE" --out "$gen_dir"
echo "generated $(find "$gen_dir/$NAMESPACE" -name '*.hpp' | wc -l) headers in $gen_dir/$NAMESPACE:"
(cd "$gen_dir" && find "$NAMESPACE" -maxdepth 2 -name '*.hpp' | sort | head -n 20)

# The examples against Prism on loopback (06 and 07 against DigitalOcean's spec, when built; 08
# and 09 against their own servers).
"$repo/scripts/run-examples.sh" "$build"
step "main job done"
