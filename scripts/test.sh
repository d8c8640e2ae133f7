#!/bin/bash
# test.sh: the whole suite (run by `make test` after the build). Needs root: the
# integration tests run real containers. Ends with one "N passed, N failed" line that
# adds up the C helper tests and the vitest tests.
set -uo pipefail
cd "$(dirname "$0")/.."
unset NODE_EXTRA_CA_CERTS NODE_OPTIONS
[ "$(id -u)" = 0 ] || { echo "test: run as root (containers need it)" >&2; exit 1; }

work=$(mktemp -d /tmp/lxcri-test-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
make -s install PREFIX="$prefix" >/dev/null || { echo "test: make install failed" >&2; exit 1; }

echo "== C helpers (libexec/test-helpers.sh)"
bash libexec/test-helpers.sh | tee "$work/helpers.log"
helpers_status=${PIPESTATUS[0]}
read -r h_pass h_fail < <(sed -n 's/^\([0-9]\+\) passed, \([0-9]\+\) failed$/\1 \2/p' "$work/helpers.log" | tail -1)

echo "== vitest (unit and integration)"
LXCRI_TEST_PREFIX=$prefix npx vitest run --reporter=default --reporter=json --outputFile.json="$work/vitest.json"
vitest_status=$?
read -r v_pass v_fail v_skip < <(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTests ? 0 : 1), r.numPendingTests + r.numTodoTests);
' "$work/vitest.json" 2>/dev/null || echo "0 1 0")

passed=$(( ${h_pass:-0} + v_pass ))
failed=$(( ${h_fail:-1} + v_fail ))
echo
echo "$passed passed, $failed failed, $v_skip skipped"
[ "$helpers_status" = 0 ] && [ "$vitest_status" = 0 ] && [ "$failed" = 0 ]
