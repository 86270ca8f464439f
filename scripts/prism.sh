#!/usr/bin/env bash
# The Prism mock server from tools/node_modules, on 127.0.0.1 only.
#
#   scripts/prism.sh start SPEC PORT [PRISM_FLAGS...]   start in the background, wait until it
#                                                       accepts connections (bounded), print its URL
#   scripts/prism.sh stop [SPEC] PORT                   stop the server started on PORT
#   scripts/prism.sh free-port                          print a free TCP port on 127.0.0.1
#
# PRISM_FLAGS go to `prism mock`, e.g. --errors (request violations answer an error response),
# --dynamic / --seed N (generated instead of example bodies). Prism reports violations of the
# spec in an `sl-violations` response header. State (pid, log) lives in $SPECBOUND_PRISM_STATE
# (default: <repo>/build/prism); SPECBOUND_PRISM_WAIT is the start timeout in seconds (default 60).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prism="$repo/tools/node_modules/.bin/prism"
state="${SPECBOUND_PRISM_STATE:-$repo/build/prism}"
wait_seconds="${SPECBOUND_PRISM_WAIT:-60}"

die() { printf 'prism.sh: %s\n' "$*" >&2; exit 1; }
usage() { die "usage: prism.sh start SPEC PORT [FLAGS...] | stop [SPEC] PORT | free-port"; }

valid_port() { [[ "$1" =~ ^[0-9]+$ ]] && (("$1" >= 1 && "$1" <= 65535)); }

accepts() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    # The kernel picks a free port; it is released at once, so a race with another process is
    # possible but rare, and start reports it (Prism fails to listen).
    node -e 'const s = require("net").createServer();
             s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

start() {
    (($# >= 2)) || usage
    local spec="$1" port="$2"
    shift 2
    [[ -f "$spec" ]] || die "no spec file: $spec"
    valid_port "$port" || die "not a port: $port"
    [[ -x "$prism" ]] || die "Prism is not installed: run scripts/setup.sh"
    accepts "$port" && die "port $port is already in use"
    mkdir -p "$state"
    local pidfile="$state/$port.pid" logfile="$state/$port.log"
    "$prism" mock -h 127.0.0.1 -p "$port" "$@" "$spec" >"$logfile" 2>&1 &
    local pid=$!
    printf '%s\n' "$pid" >"$pidfile"
    local deadline=$((SECONDS + wait_seconds))
    until accepts "$port"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$pidfile"
            die "Prism exited before listening; its log ($logfile):"$'\n'"$(tail -n 20 "$logfile")"
        fi
        if ((SECONDS >= deadline)); then
            kill "$pid" 2>/dev/null || true
            rm -f "$pidfile"
            die "Prism did not listen on 127.0.0.1:$port within ${wait_seconds}s; log: $logfile"
        fi
        sleep 0.2
    done
    printf 'http://127.0.0.1:%s\n' "$port"
}

stop() {
    (($# == 1 || $# == 2)) || usage
    local port="${!#}"
    valid_port "$port" || die "not a port: $port"
    local pidfile="$state/$port.pid"
    [[ -f "$pidfile" ]] || { printf 'prism.sh: nothing started on port %s\n' "$port" >&2; return 0; }
    local pid
    pid="$(cat "$pidfile")"
    rm -f "$pidfile"
    kill "$pid" 2>/dev/null || return 0
    # Bounded wait for the process to go, then insist.
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

(($# >= 1)) || usage
command="$1"
shift
case "$command" in
    start) start "$@" ;;
    stop) stop "$@" ;;
    free-port) (($# == 0)) || usage; free_port ;;
    *) usage ;;
esac
