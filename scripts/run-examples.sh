#!/usr/bin/env bash
# Runs the built examples on 127.0.0.1: the petstore examples against Prism serving SPEC, examples
# 06 and 07 (when built) against a second Prism serving DigitalOcean's spec from ../shared, and
# examples 08 and 09 against the loopback servers they start themselves. The main job (scripts/run-main.sh)
# and CI (scripts/run-tests.sh, on its Release build) both run them this way.
#
#   scripts/run-examples.sh BUILD_DIR      the build tree that holds the example executables
#
# Environment: SPEC (default spec/petstore.yaml), EXAMPLES (the examples' CMake targets, run in
# order), PRISM_FLAGS (extra `prism mock` flags), RUN_DIGITALOCEAN (1, default: run examples 06 and 07 when
# built; 0: skip it), SPECBOUND_DIGITALOCEAN_SPEC (its spec). Each example gets the mock server's
# base URL as its first argument and in SPECBOUND_BASE_URL; any failure fails the script.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:?usage: run-examples.sh BUILD_DIR}"
SPEC="${SPEC:-$repo/spec/petstore.yaml}"
EXAMPLES="${EXAMPLES:-example_first_call example_coroutines example_errors example_auth example_concurrency}"
PRISM_FLAGS="${PRISM_FLAGS:-}"
do_spec="${SPECBOUND_DIGITALOCEAN_SPEC:-$repo/../shared/specs/digitalocean/specification/DigitalOcean-public.v2.yaml}"
step() { printf '\n==== %s\n' "$*"; }

# The executable of example target $1 under the build dir; empty when it was not built.
example_bin() {
    find "$build/examples" -type f -name "$1" -perm -u+x 2>/dev/null | head -n 1
}
read -r -a examples <<<"$EXAMPLES"
for example in "${examples[@]}"; do
    [[ -n "$(example_bin "$example")" ]] || { echo "run-examples.sh: '$example' is not built in $build" >&2; exit 1; }
done

ports=()
stop_servers() {
    local p
    for p in "${ports[@]}"; do "$repo/scripts/prism.sh" stop "$p" || true; done
}
trap stop_servers EXIT

step "start the Prism mock server for ${SPEC#"$repo"/}"
port="$("$repo/scripts/prism.sh" free-port)"
ports+=("$port")
# shellcheck disable=SC2086 # PRISM_FLAGS is a list of flags
base_url="$("$repo/scripts/prism.sh" start "$SPEC" "$port" $PRISM_FLAGS)"
echo "Prism serves ${SPEC#"$repo"/} at $base_url"
for example in "${examples[@]}"; do
    step "run $example against $base_url"
    SPECBOUND_BASE_URL="$base_url" "$(example_bin "$example")" "$base_url"
done
ran=${#examples[@]}

# 06: DigitalOcean's real spec, served by its own Prism with --errors (an invalid request gets a
# 422 instead of only a violation header). Prism needs ~30 s to load its 2,907 files.
do_bin="$(example_bin example_digitalocean)"
if [[ "${RUN_DIGITALOCEAN:-1}" == 1 && -n "$do_bin" ]]; then
    do_port="$("$repo/scripts/prism.sh" free-port)"
    ports+=("$do_port")
    do_url="$(SPECBOUND_PRISM_WAIT=180 "$repo/scripts/prism.sh" start "$do_spec" "$do_port" --errors)"
    step "run example_digitalocean against Prism serving DigitalOcean's spec at $do_url"
    env -u DIGITALOCEAN_TOKEN "$do_bin" "$do_url"
    ran=$((ran + 1))
    pagination_bin="$(example_bin example_pagination)"
    [[ -n "$pagination_bin" ]] || { echo "run-examples.sh: example_pagination is not built in $build" >&2; exit 1; }
    step "run example_pagination against the same server"
    env -u DIGITALOCEAN_TOKEN "$pagination_bin" "$do_url"
    ran=$((ran + 1))
else
    echo "examples 06 and 07 skipped: not built (no DigitalOcean spec at configure time) or RUN_DIGITALOCEAN=0"
fi
# 08 starts its own loopback server: streaming (an upload, a download, server-sent events) is
# what Prism cannot serve.
streaming_bin="$(example_bin example_streaming)"
[[ -n "$streaming_bin" ]] || { echo "run-examples.sh: example_streaming is not built in $build" >&2; exit 1; }
step "run example_streaming against the server it starts itself"
"$streaming_bin"
ran=$((ran + 1))
# 09 tests a function of its own with the typed fake, specbound's mock server (which it starts on
# loopback) and a cassette: it needs no Prism.
testing_bin="$(example_bin example_testing)"
[[ -n "$testing_bin" ]] || { echo "run-examples.sh: example_testing is not built in $build" >&2; exit 1; }
step "run example_testing against specbound's mock server, which it starts itself"
"$testing_bin"
ran=$((ran + 1))
step "examples done: $ran ran"
