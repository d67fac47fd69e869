#!/usr/bin/env bash
# Stops the control plane started by up.sh (kube-apiserver, then etcd: TERM,
# KILL after a grace period) and removes test/cluster/.state/.
# Exits 0 when nothing is running.
#
# Usage: test/cluster/down.sh [--keep-state]   # npm run cluster:down
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

GRACE="${HELM_DRIFT_E2E_STOP_GRACE:-10}"

stop() { # name: stop the process in .state/<name>.pid if it is still that binary
  local name="$1" pidf="$STATE_DIR/$1.pid" pid exe
  [ -f "$pidf" ] || return 0
  pid="$(cat "$pidf")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    rm -f "$pidf"; return 0
  fi
  # Guard against pid reuse: only signal our own binary.
  exe="$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)" 2>/dev/null)"
  if [ "$exe" != "$name" ] && [ "$exe" != "$name (deleted)" ]; then
    log "$name: pid $pid is not $name any more, not touching it"
    rm -f "$pidf"; return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((GRACE * 10))); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still running after ${GRACE}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.2
  fi
  log "$name: stopped (pid $pid)"
  rm -f "$pidf"
}

if [ -z "${HELM_DRIFT_E2E_LOCK_HELD:-}" ]; then
  exec 8>"$STATE_DIR.lock"
  flock 8
fi
if [ ! -d "$STATE_DIR" ]; then
  log "nothing to stop ($STATE_DIR does not exist)"
  exit 0
fi
stop kube-apiserver
stop etcd
if [ "${1:-}" != "--keep-state" ]; then
  if [ ! -e "$STATE_DIR/.helm-drift-e2e-state" ] && [ "$STATE_DIR" != "$CLUSTER_DIR/.state" ] \
     && [ -n "$(ls -A "$STATE_DIR")" ]; then
    die "$STATE_DIR is not a state dir made by up.sh, not removing it"
  fi
  rm -rf "$STATE_DIR"
  log "removed $STATE_DIR"
fi
