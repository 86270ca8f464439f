#!/usr/bin/env bash
# The conformance sweep of every GitHub operation (1,223): the client generated from the
# description in @octokit/openapi (installed by scripts/setup.sh into tools/node_modules), each
# operation sent to Prism serving that description, the outcomes judged against
# tests/conformance/github_expected.txt. Outside CI's budget (~11 minutes to build on 2 cores, 24
# translation units of ~50 operations); CI sweeps the most used tags (CTest conformance_github_core).
#   scripts/sweep-github.sh            build (Debug, ccache) in build/github-sweep and run it
# Environment: SPECBOUND_BUILD_ROOT (default <repo>/build), SPECBOUND_JOBS (default nproc).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
dir="${SPECBOUND_BUILD_ROOT:-$repo/build}/github-sweep"
jobs="${SPECBOUND_JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$repo}"
export CTEST_OUTPUT_ON_FAILURE=1

start=$SECONDS
cmake -S "$repo" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSPECBOUND_REQUIRE_TEST_INPUTS=ON -DSPECBOUND_BUILD_TESTS=ON \
    -DSPECBOUND_HEAVY_TESTS=ON -DSPECBOUND_GITHUB_SWEEP=ON -DSPECBOUND_BUILD_EXAMPLES=OFF \
    -DSPECBOUND_BUILD_BENCHMARKS=OFF -DSPECBOUND_SANITIZE=
cmake --build "$dir" -j "$jobs" --target conformance_github
printf 'built in %ss\n' "$((SECONDS - start))"
ctest --test-dir "$dir" --output-on-failure --no-tests=error -R '^conformance_github$' -V
printf 'done in %ss\n' "$((SECONDS - start))"
