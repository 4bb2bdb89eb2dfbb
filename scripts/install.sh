#!/usr/bin/env bash
# Installs what kinglet needs on a Debian 12 machine with Node 20 + npm, then builds dist/.
# Idempotent: every step first checks whether it is already done, so re-running costs seconds.
# Safe for CI (CI=true, no stdin, root): apt runs non-interactively and only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=0

log() { printf '[install] %s\n' "$*" >&2; }

# sudo only when we are not root and it exists; CI runs as root.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_update_once() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq </dev/null
    APT_UPDATED=1
  fi
}

# ensure_apt_packages PKG... — installs only the packages dpkg does not already report as installed.
# Later issues add docker.io, iptables, docker-registry, etcd-server through this helper.
ensure_apt_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    log "apt-get not found; please install: ${missing[*]}"; return 1
  fi
  apt_update_once
  log "apt-get install ${missing[*]}"
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

# ensure_command CMD PKG — installs PKG only when CMD is not on PATH (covers tools installed outside dpkg).
ensure_command() {
  command -v "$1" >/dev/null 2>&1 || ensure_apt_packages "$2"
}

# 1. Node itself is a precondition, not something we install.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "Node.js 20 and npm are required (see README)"; exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then log "Node.js >= 20 required, found $(node -v)"; exit 1; fi

# 2. Toolchain for better-sqlite3's node-gyp build (used when no prebuilt binary can be fetched).
ensure_command make build-essential
ensure_command g++ build-essential
ensure_command python3 python3

# 2b. The lab (kinglet lab): network namespaces and veths with ip, daemons entered with nsenter.
ensure_command ip iproute2
ensure_command nsenter util-linux

# 3. Tools the e2e tests use; kubectl is not in Debian's repositories at a usable version, so only warn.
if ! command -v kubectl >/dev/null 2>&1; then
  log "warning: kubectl not found; the end-to-end tests need kubectl >= 1.27 on PATH"
fi

# 4. npm dependencies: only when node_modules is missing or the lock file changed since the last install.
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  # With `omit-lockfile-registry-resolved=true` (set in these machines' npmrc) npm ci rejects a lock
  # that lists optional platform packages (rollup's) as "Missing ... from lock file"; npm install
  # still installs the locked versions, so it is the fallback.
  if ! npm ci --no-audit --no-fund </dev/null; then
    log "npm ci refused the lock file; falling back to npm install"
    npm install --no-audit --no-fund </dev/null
  fi
else
  log "node_modules is up to date"
fi

# 5. Build TypeScript into dist/ (bin/kinglet runs dist/cli).
log "npm run build"
npm run --silent build </dev/null

# 6. The node agent's Docker Engine, the loopback registries and the test images built from Debian
#    packages (each script is idempotent and quick when everything is already there).
if [ "${KINGLET_SKIP_DOCKER:-0}" != "1" ]; then
  log "docker engine, registries and test images"
  as_root bash scripts/images/ensure-docker.sh >/dev/null </dev/null
  as_root bash scripts/images/ensure-registry.sh >/dev/null </dev/null
  as_root bash scripts/images/build-test-images.sh </dev/null
fi
log "done"
