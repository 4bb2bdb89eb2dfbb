#!/usr/bin/env bash
# Starts two local registries on loopback for tests (idempotent): an open one on
# 127.0.0.1:$KINGLET_REGISTRY_PORT (default 5000) and an htpasswd-protected one on
# 127.0.0.1:$KINGLET_AUTH_REGISTRY_PORT (default 5001, user kinglet / pull-secret-password) for the
# imagePullSecrets case. Docker accepts plain HTTP for 127.0.0.1:PORT, so no TLS is needed.
set -euo pipefail

BASE="${KINGLET_REGISTRY_ROOT:-/var/lib/kinglet-test/registry}"
PORT="${KINGLET_REGISTRY_PORT:-5000}"
AUTH_PORT="${KINGLET_AUTH_REGISTRY_PORT:-5001}"
AUTH_USER="${KINGLET_REGISTRY_USER:-kinglet}"
AUTH_PASSWORD="${KINGLET_REGISTRY_PASSWORD:-pull-secret-password}"

log() { echo "ensure-registry: $*" >&2; }

answering() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/" 2>/dev/null | grep -qE '^(200|401)$'; }

install_packages() {
  local missing=()
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# start NAME PORT [HTPASSWD]
start() {
  local name=$1 port=$2 htpasswd=${3:-}
  local dir="$BASE/$name"
  if answering "$port"; then return 0; fi
  mkdir -p "$dir/data"
  {
    echo "version: 0.1"
    echo "log: {level: warn}"
    echo "storage:"
    echo "  filesystem: {rootdirectory: $dir/data}"
    echo "  delete: {enabled: true}"
    echo "http: {addr: 127.0.0.1:$port}"
    if [ -n "$htpasswd" ]; then
      echo "auth:"
      echo "  htpasswd: {realm: kinglet-test, path: $htpasswd}"
    fi
  } >"$dir/config.yml"
  log "starting $name registry on 127.0.0.1:$port"
  nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
  echo $! >"$dir/registry.pid"
  for _ in $(seq 1 40); do
    if answering "$port"; then return 0; fi
    sleep 0.25
  done
  log "registry $name did not answer on port $port:"
  tail -n 20 "$dir/registry.log" >&2 || true
  exit 1
}

install_packages
mkdir -p "$BASE/auth"
# bcrypt is the only hash docker-registry's htpasswd accepts.
[ -s "$BASE/auth/htpasswd" ] || htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$BASE/auth/htpasswd"
start open "$PORT"
start auth "$AUTH_PORT" "$BASE/auth/htpasswd"
echo "127.0.0.1:$PORT 127.0.0.1:$AUTH_PORT"
