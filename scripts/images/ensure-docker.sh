#!/usr/bin/env bash
# Installs (if missing) and starts a dockerd for kinglet's tests, then prints its socket path.
# Idempotent: a daemon already answering on the socket is reused. There is no systemd on these
# machines, so the daemon runs in the background with its own data/exec roots, which keeps it apart
# from any other dockerd on the host. It gets its own bridge (not docker0) for the same reason.
set -euo pipefail

ROOT="${KINGLET_DOCKER_ROOT:-/var/lib/kinglet-test/docker}"
RUN_DIR="${KINGLET_DOCKER_RUN:-/run/kinglet-test}"
SOCK="${KINGLET_DOCKER_SOCK:-$RUN_DIR/docker.sock}"
EXEC_ROOT="${KINGLET_DOCKER_EXEC_ROOT:-$RUN_DIR/docker-exec}"
PIDFILE="$RUN_DIR/docker.pid"
LOG="${KINGLET_DOCKER_LOG:-$(dirname "$ROOT")/dockerd.log}"
BRIDGE="${KINGLET_DOCKER_BRIDGE:-kinglet-t0}"
BRIDGE_CIDR="${KINGLET_DOCKER_BRIDGE_CIDR:-172.28.0.1/16}"

log() { echo "ensure-docker: $*" >&2; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  [ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 || missing+=(busybox-static)
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

answering() { docker -H "unix://$SOCK" version >/dev/null 2>&1; }

ensure_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
}

start_daemon() {
  mkdir -p "$ROOT" "$RUN_DIR" "$EXEC_ROOT" "$(dirname "$LOG")"
  # A stale pidfile from a killed daemon makes dockerd refuse to start.
  if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then rm -f "$PIDFILE"; fi
  rm -f "$SOCK"
  ensure_bridge
  log "starting dockerd on $SOCK (log $LOG)"
  nohup dockerd --data-root "$ROOT" --exec-root "$EXEC_ROOT" -H "unix://$SOCK" \
    --pidfile "$PIDFILE" --bridge "$BRIDGE" ${KINGLET_DOCKERD_ARGS:-} >"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    if answering; then return 0; fi
    sleep 0.5
  done
  log "dockerd did not answer within 30 s; last log lines:"
  tail -n 30 "$LOG" >&2 || true
  exit 1
}

install_packages
answering || start_daemon
echo "$SOCK"
