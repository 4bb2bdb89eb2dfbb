#!/usr/bin/env bash
# One command to a running kinglet control plane: install + build, start the apiserver in the
# background (reusing a healthy one), export an admin kubeconfig and apply the example app.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

DATA_DIR="${KINGLET_DATA_DIR:-$HOME/.kinglet/apiserver}"
LISTEN="${KINGLET_LISTEN:-127.0.0.1:6443}"
KUBECONFIG_OUT="${KUBECONFIG_OUT:-$HOME/.kube/kinglet.config}"
PIDFILE="$DATA_DIR/apiserver.pid"
LOGFILE="$DATA_DIR/apiserver.log"
READY_TIMEOUT="${KINGLET_READY_TIMEOUT:-60}"

log() { printf '[up] %s\n' "$*" >&2; }

bash scripts/install.sh
mkdir -p "$DATA_DIR"

running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  # The pid must still be ours: after a reboot the number may belong to another program.
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q kinglet "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

# The URL line the apiserver prints once it is ready; the newest one in the log wins.
server_url() {
  [ -f "$LOGFILE" ] || return 1
  grep -o 'kinglet apiserver listening on https://[^ ]*' "$LOGFILE" | tail -n 1 | sed 's/.* on //'
}

# Healthy = the process lives and /healthz answers with the admin kubeconfig's credentials.
healthy() {
  local url; url="$(server_url)" || return 1
  [ -n "$url" ] && [ -f "$DATA_DIR/admin.kubeconfig" ] || return 1
  kubectl --kubeconfig "$DATA_DIR/admin.kubeconfig" --request-timeout=5s get --raw /healthz >/dev/null 2>&1
}

if pid="$(running_pid)" && healthy; then
  log "apiserver already running (pid $pid) at $(server_url); reusing it"
else
  if pid="$(running_pid)"; then
    log "apiserver pid $pid is not healthy; restarting it"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  # A fresh log per start, so the readiness line we wait for belongs to this process.
  [ -f "$LOGFILE" ] && mv -f "$LOGFILE" "$LOGFILE.1"
  log "starting apiserver (data dir $DATA_DIR, listen $LISTEN)"
  nohup node "$ROOT/bin/kinglet" apiserver --data-dir "$DATA_DIR" --listen "$LISTEN" \
    >"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until server_url >/dev/null 2>&1 && [ -n "$(server_url)" ]; do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      log "apiserver exited during start-up; last log lines:"; tail -n 30 "$LOGFILE" >&2; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "apiserver not ready after ${READY_TIMEOUT}s; see $LOGFILE"; exit 1
    fi
    sleep 0.2
  done
  log "apiserver ready at $(server_url) (pid $(cat "$PIDFILE"), log $LOGFILE)"
fi

mkdir -p "$(dirname "$KUBECONFIG_OUT")"
node "$ROOT/bin/kinglet" kubeconfig --data-dir "$DATA_DIR" >"$KUBECONFIG_OUT.tmp"
chmod 600 "$KUBECONFIG_OUT.tmp"
mv -f "$KUBECONFIG_OUT.tmp" "$KUBECONFIG_OUT"
log "kubeconfig written to $KUBECONFIG_OUT"

# A throw-away discovery cache: kubectl caches per host:port for hours, and a restarted server may differ.
CACHE_DIR="$(mktemp -d)"
trap 'rm -rf "$CACHE_DIR"' EXIT
kubectl --kubeconfig "$KUBECONFIG_OUT" --cache-dir "$CACHE_DIR" apply -f examples/hello.yaml

cat <<MSG

kinglet is up.
  export KUBECONFIG=$KUBECONFIG_OUT
  kubectl get all -n demo
  kubectl describe deployment hello -n demo

The hello pods stay Pending for now: no node agent has joined yet (agents arrive in a later release).
Stop the apiserver with: bash scripts/down.sh   (data stays in $DATA_DIR)
MSG
