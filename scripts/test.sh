#!/usr/bin/env bash
# Installs + builds, then runs the whole vitest suite (unit, integration, e2e) and ends with one
# plain line "N passed, N failed[, N skipped]" computed from vitest's JSON report.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh

REPORT_DIR="$(mktemp -d)"
trap 'rm -rf "$REPORT_DIR"' EXIT
REPORT="$REPORT_DIR/vitest.json"

# A test stuck in a synchronous loop cannot be stopped by vitest's own timeouts: bound the whole run
# so CI fails with a summary instead of hanging until its deadline.
set +e
KINGLET_SKIP_BUILD=1 timeout --kill-after=30s "${KINGLET_TEST_TIMEOUT:-2400}" ./node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile="$REPORT" "$@" </dev/null
vitest_rc=$?
set -e

# The summary is the last line printed; its exit code also fails the run when the report is missing.
set +e
node scripts/summarize-vitest.mjs "$REPORT"
summary_rc=$?
set -e
if [ "$summary_rc" -ne 0 ] || [ "$vitest_rc" -ne 0 ]; then exit 1; fi
