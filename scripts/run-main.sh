#!/usr/bin/env bash
# The main job: build specbound-gen and the examples, generate a client from a spec, serve that
# spec with the Prism mock server on 127.0.0.1, and run an example program against it.
#
# What to run is set here (or overridden from the environment):
#   SPEC          the spec to generate from and to serve
#   NAMESPACE     the generated client's namespace (its folder under the output dir)
#   EXAMPLES      the examples' CMake targets (executables under examples/), run in order
#   PRISM_FLAGS   extra `prism mock` flags, e.g. "--dynamic --seed 1"
#   RUN_DIGITALOCEAN  1 (default): also build example 06 and run it against Prism serving
#                 DigitalOcean's spec from ../shared; 0: skip it
# The example gets the mock server's base URL as its first argument and in SPECBOUND_BASE_URL.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPEC="${SPEC:-$repo/spec/petstore.yaml}"
NAMESPACE="${NAMESPACE:-petstore}"
EXAMPLES="${EXAMPLES:-example_first_call example_coroutines example_errors example_auth example_concurrency}"
PRISM_FLAGS="${PRISM_FLAGS:-}"

"$repo/scripts/setup.sh"

build="${SPECBOUND_BUILD_ROOT:-$repo/build}/main"
jobs="${SPECBOUND_JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$repo}"
step() { printf '\n==== %s\n' "$*"; }
# The executable of example target $1 under the build dir; fails loudly when there is none.
example_bin() {
    local bin
    bin="$(find "$build/examples" -type f -name "$1" -perm -u+x | head -n 1)"
    [[ -n "$bin" ]] || { echo "run-main.sh: built '$1' but found no executable of that name" >&2; return 1; }
    printf '%s\n' "$bin"
}

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
cmake --build "$build" -j "$jobs" --target "${examples[@]}"

step "generate the $NAMESPACE client from ${SPEC#"$repo"/}"
gen_dir="$build/generated"
"$build/codegen/specbound-gen" --spec "$SPEC" --namespace "$NAMESPACE" --out "$gen_dir"
echo "generated $(find "$gen_dir/$NAMESPACE" -name '*.hpp' | wc -l) headers in $gen_dir/$NAMESPACE:"
(cd "$gen_dir" && find "$NAMESPACE" -maxdepth 2 -name '*.hpp' | sort | head -n 20)

step "start the Prism mock server"
port="$("$repo/scripts/prism.sh" free-port)"
trap '"$repo/scripts/prism.sh" stop "$port"' EXIT
# shellcheck disable=SC2086 # PRISM_FLAGS is a list of flags
base_url="$("$repo/scripts/prism.sh" start "$SPEC" "$port" $PRISM_FLAGS)"
echo "Prism serves ${SPEC#"$repo"/} at $base_url"

for example in "${examples[@]}"; do
    step "run $example against $base_url"
    bin="$(example_bin "$example")"
    SPECBOUND_BASE_URL="$base_url" "$bin" "$base_url"
done
# 06: DigitalOcean's real spec, served by its own Prism with --errors (an invalid request gets a
# 422 instead of only a violation header). Prism needs ~30 s to load its 2,907 files.
do_spec="$repo/../shared/specs/digitalocean/specification/DigitalOcean-public.v2.yaml"
ran=${#examples[@]}
if [[ "${RUN_DIGITALOCEAN:-1}" == 1 && -f "$do_spec" ]]; then
    step "build example_digitalocean (a client generated from DigitalOcean's spec)"
    cmake --build "$build" -j "$jobs" --target example_digitalocean
    do_port="$("$repo/scripts/prism.sh" free-port)"
    trap '"$repo/scripts/prism.sh" stop "$port"; "$repo/scripts/prism.sh" stop "$do_port"' EXIT
    do_url="$(SPECBOUND_PRISM_WAIT=180 "$repo/scripts/prism.sh" start "$do_spec" "$do_port" --errors)"
    step "run example_digitalocean against Prism serving DigitalOcean's spec at $do_url"
    do_bin="$(example_bin example_digitalocean)"
    env -u DIGITALOCEAN_TOKEN "$do_bin" "$do_url"
    ran=$((ran + 1))
else
    echo "example 06 skipped: no DigitalOcean spec at $do_spec (or RUN_DIGITALOCEAN=0)"
fi
step "main job done: $ran examples ran against the mock servers"
