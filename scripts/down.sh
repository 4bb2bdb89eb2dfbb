#!/usr/bin/env bash
# Stops the apiserver that scripts/up.sh started (SIGTERM, then SIGKILL after 10 s). Data is kept.
set -euo pipefail
DATA_DIR="${KINGLET_DATA_DIR:-$HOME/.kinglet/apiserver}"
PIDFILE="$DATA_DIR/apiserver.pid"

if [ ! -f "$PIDFILE" ]; then echo "[down] no pidfile at $PIDFILE; nothing to stop"; exit 0; fi
pid="$(cat "$PIDFILE")"
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
  echo "[down] apiserver (pid ${pid:-?}) is not running"; rm -f "$PIDFILE"; exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then echo "[down] still running after 10s; sending SIGKILL"; kill -KILL "$pid" || true; fi
rm -f "$PIDFILE"
echo "[down] apiserver stopped (data kept in $DATA_DIR)"
