#!/usr/bin/env bash
# One command to a running kinglet cluster: install + build, start the apiserver in the background
# (reusing a healthy one), export an admin kubeconfig, start one node agent on the project's dockerd
# and apply the example app with a locally built image.
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
# 3. One node agent on this machine, on the project's own dockerd (scripts/images/ensure-docker.sh)
#    with the test images in the loopback registry: no public registry is ever contacted.
AGENT_DIR="${KINGLET_AGENT_DIR:-$HOME/.kinglet/agent}"
AGENT_PIDFILE="$AGENT_DIR/agent.pid"
AGENT_LOG="$AGENT_DIR/agent.log"
NODE_NAME="${KINGLET_NODE_NAME:-$(hostname | tr 'A-Z' 'a-z')}"
mkdir -p "$AGENT_DIR"
DOCKER_SOCK="$(bash scripts/images/ensure-docker.sh)"
bash scripts/images/build-test-images.sh
read -r REGISTRY _ < <(bash scripts/images/ensure-registry.sh)
agent_pid() {
  [ -f "$AGENT_PIDFILE" ] || return 1
  local pid; pid="$(cat "$AGENT_PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q kinglet "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}
if pid="$(agent_pid)"; then
  log "agent already running (pid $pid); reusing it"
else
  TOKEN_ARGS=()
  # a token only for the first join; later starts reuse the node credential in AGENT_DIR
  [ -f "$AGENT_DIR/node.crt" ] || TOKEN_ARGS=(--token "$(node "$ROOT/bin/kinglet" token create --data-dir "$DATA_DIR" --ttl 1h)")
  [ -f "$AGENT_LOG" ] && mv -f "$AGENT_LOG" "$AGENT_LOG.1"
  log "starting agent $NODE_NAME (data dir $AGENT_DIR, docker $DOCKER_SOCK)"
  # the agent's memory-saving V8 flags: keep in step with agent/node-flags.ts (says why)
  nohup node --max-semi-space-size=2 --no-concurrent-recompilation "$ROOT/bin/kinglet" agent --server "$(server_url)" "${TOKEN_ARGS[@]}" --node-name "$NODE_NAME" \
    --data-dir "$AGENT_DIR" --docker-host "unix://$DOCKER_SOCK" >"$AGENT_LOG" 2>&1 </dev/null &
  echo $! >"$AGENT_PIDFILE"
  deadline=$(( $(date +%s) + READY_TIMEOUT ))
  until kubectl --kubeconfig "$KUBECONFIG_OUT" --cache-dir "$CACHE_DIR" get node "$NODE_NAME" 2>/dev/null | grep -qw Ready; do
    if ! kill -0 "$(cat "$AGENT_PIDFILE")" 2>/dev/null; then
      log "agent exited during start-up; last log lines:"; tail -n 30 "$AGENT_LOG" >&2; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then log "node $NODE_NAME not Ready after ${READY_TIMEOUT}s; see $AGENT_LOG"; exit 1; fi
    sleep 0.5
  done
  log "node $NODE_NAME Ready (agent pid $(cat "$AGENT_PIDFILE"), log $AGENT_LOG)"
fi

# 4. The sample app, with its image swapped for the local busybox test image serving the page.
IMAGE="$REGISTRY/kinglet-test/busybox:1"
sed -E "s#^( *)image: nginx:[^ ]+#\1image: $IMAGE\n\1command: [httpd, -f, -p, \"80\", -h, /usr/share/nginx/html]#" examples/hello.yaml \
  | kubectl --kubeconfig "$KUBECONFIG_OUT" --cache-dir "$CACHE_DIR" apply -f -
# An earlier release ran a bare pod "hello-direct" beside the Deployment; its ReplicaSet would adopt it.
kubectl --kubeconfig "$KUBECONFIG_OUT" --cache-dir "$CACHE_DIR" delete pod -n demo hello-direct --ignore-not-found --wait=false >/dev/null
kubectl --kubeconfig "$KUBECONFIG_OUT" --cache-dir "$CACHE_DIR" rollout status -n demo deployment/hello --timeout=90s >&2 \
  || log "deployment hello not available yet; see kubectl describe deployment -n demo hello"

cat <<MSG

kinglet is up.
  export KUBECONFIG=$KUBECONFIG_OUT
  kubectl get all -n demo
  kubectl describe deployment hello -n demo

  kubectl get pods -n demo -o wide
  kubectl logs -n demo deployment/hello

One agent runs this machine as node $NODE_NAME (log $AGENT_LOG, pid file $AGENT_PIDFILE).
Stop the apiserver with: bash scripts/down.sh   (data stays in $DATA_DIR)
Stop the agent with: kill \$(cat $AGENT_PIDFILE)   (its pods keep running until it returns)
MSG
