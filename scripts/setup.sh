#!/usr/bin/env bash
# Installs what specbound's build, tests and examples need on Debian 12, and nothing that is
# already there: system packages (apt) and the Node tools in tools/node_modules (npm).
# SPECBOUND_CLANG=1 also installs clang-15 (the sanitizer pass of scripts/run-tests.sh);
# SPECBOUND_FUZZ=1 installs clang-15 and libfuzzer-15-dev for the fuzz targets.
# Idempotent; safe to run before every build. Run as root (or with sudo available).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf 'setup: %s\n' "$*"; }

packages=(g++ cmake ninja-build ccache pkg-config
          libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
          libssl-dev zlib1g-dev catch2 libyaml-dev openssl)
# Benchmarks only: simdjson for bench_rest_client's practical limit (raw socket + simdjson); the
# library, tests and examples never use it, and the benchmark is skipped without it.
packages+=(libsimdjson-dev)
# libFuzzer targets (tests/fuzz, scripts/fuzz.sh) need clang 15 and its libFuzzer: only when
# asked for with SPECBOUND_FUZZ=1 (scripts/run-tests.sh and scripts/fuzz.sh set it).
# The sanitizer pass builds with clang-15 too (scripts/run-tests.sh says why): SPECBOUND_CLANG=1.
if [[ "${SPECBOUND_FUZZ:-0}" == 1 ]]; then
    packages+=(clang-15 libfuzzer-15-dev)
elif [[ "${SPECBOUND_CLANG:-0}" == 1 ]]; then
    packages+=(clang-15)
fi

# Prism 5.14 needs Node.js >= 18.20.1 (Debian 12 has 18.20.4). A Node.js that is already there
# (e.g. NodeSource's, which bundles npm) is kept: Debian's npm package would conflict with it.
node_ok() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
    node -e 'const [a, b] = process.versions.node.split(".").map(Number);
             process.exit(a > 18 || (a === 18 && b >= 20) ? 0 : 1)'
}
if ! node_ok; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if ((${#missing[@]})); then
    sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null 2>&1 || { log "not root and no sudo: cannot install ${missing[*]}"; exit 1; }
        sudo=(sudo)
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
else
    log "system packages: all present"
fi
node_ok || { log "Node.js >= 18.20.1 with npm is required; found: $(node --version 2>/dev/null || echo none)"; exit 1; }

# Node tools, pinned by tools/package-lock.json. A stamp holding the lock file's hash makes a
# second run free; any change to the lock file (or a damaged node_modules) reinstalls.
tools="$repo/tools"
stamp="$tools/node_modules/.specbound-lock.sha256"
want="$(sha256sum "$tools/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$tools/node_modules/.bin/prism" ]]; then
    log "tools/node_modules: up to date (prism $("$tools/node_modules/.bin/prism" --version))"
else
    log "tools/node_modules: npm ci (Prism, @octokit/openapi)"
    (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want" > "$stamp"
    log "tools/node_modules: installed prism $("$tools/node_modules/.bin/prism" --version)"
fi
