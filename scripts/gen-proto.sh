#!/usr/bin/env bash
# Regenerates proto/generated/ (committed) from proto/agent.proto. The flags mirror the loader
# options in proto/load.ts: keep both in step, or the types lie about the runtime objects.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf proto/generated
npx --no-install proto-loader-gen-types \
  --longs=Number --enums=String --defaults --oneofs \
  --grpcLib=@grpc/grpc-js --importFileExtension=.js \
  --outDir=proto/generated proto/agent.proto
