#!/usr/bin/env bash
# Builds the test images from Debian packages (no public registry is ever contacted) and pushes them
# to the local registries of ensure-registry.sh:
#   kinglet-test/busybox:1  busybox-static with every applet linked, plus /www/index.html
# Pushed as 127.0.0.1:5000/kinglet-test/busybox:1 and 127.0.0.1:5001/kinglet-test/busybox:1 (auth).
# Idempotent: the image is rebuilt only when missing; pushes are cheap when layers exist.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SOCK="${KINGLET_DOCKER_SOCK:-$("$HERE/ensure-docker.sh")}"
read -r REG AUTH_REG < <("$HERE/ensure-registry.sh")
AUTH_USER="${KINGLET_REGISTRY_USER:-kinglet}"
AUTH_PASSWORD="${KINGLET_REGISTRY_PASSWORD:-pull-secret-password}"
IMAGE="kinglet-test/busybox:1"
D=(docker -H "unix://$SOCK")

log() { echo "build-test-images: $*" >&2; }

build_busybox() {
  local tmp
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/usr/bin" "$tmp/usr/sbin" "$tmp/www" "$tmp/tmp" "$tmp/etc" "$tmp/root"
  cp /bin/busybox "$tmp/bin/busybox"
  # `busybox --list-full` gives each applet's canonical path (bin/sh, usr/bin/nc, ...).
  local applet
  while read -r applet; do
    [ "$applet" = "bin/busybox" ] && continue
    mkdir -p "$tmp/$(dirname "$applet")"
    ln -sf /bin/busybox "$tmp/$applet"
  done < <(/bin/busybox --list-full)
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tmp/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$tmp/etc/group"
  echo 'hello from kinglet-test/busybox' >"$tmp/www/index.html"
  chmod 1777 "$tmp/tmp"
  tar -C "$tmp" -c . | "${D[@]}" import \
    -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' - "$IMAGE" >/dev/null
  log "built $IMAGE"
}

"${D[@]}" image inspect "$IMAGE" >/dev/null 2>&1 || build_busybox

"${D[@]}" tag "$IMAGE" "$REG/$IMAGE"
"${D[@]}" push -q "$REG/$IMAGE" >/dev/null
"${D[@]}" tag "$IMAGE" "$AUTH_REG/$IMAGE"
# A throwaway config dir keeps the credentials out of the user's ~/.docker.
CFG="$(mktemp -d)"
trap 'rm -rf "$CFG"' EXIT
echo "$AUTH_PASSWORD" | docker --config "$CFG" -H "unix://$SOCK" login -u "$AUTH_USER" --password-stdin "$AUTH_REG" >/dev/null 2>&1
docker --config "$CFG" -H "unix://$SOCK" push -q "$AUTH_REG/$IMAGE" >/dev/null
log "pushed $REG/$IMAGE and $AUTH_REG/$IMAGE"
