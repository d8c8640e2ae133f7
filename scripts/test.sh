#!/bin/bash
# test.sh: the whole suite (run by `make test` after the build). Needs root: the
# integration tests run real containers. Ends with one "N passed, N failed" line that
# adds up the C helper tests and the vitest tests.
set -uo pipefail
cd "$(dirname "$0")/.."
unset NODE_EXTRA_CA_CERTS NODE_OPTIONS
[ "$(id -u)" = 0 ] || { echo "test: run as root (containers need it)" >&2; exit 1; }

work=$(mktemp -d /tmp/lxcri-test-run.XXXXXX)
# A user-namespaced container's mapped root must reach the installed lxcri-init, as it
# can under /usr/local/libexec.
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
make -s install PREFIX="$prefix" SYSCONFDIR="$prefix/etc" >/dev/null || { echo "test: make install failed" >&2; exit 1; }

echo "== C helpers' unit tests (make check-helpers)"
make -s check-helpers | tee "$work/unit.log"
unit_status=${PIPESTATUS[0]}
read -r u_pass u_fail < <(sed -n 's/^\([0-9]\+\) passed, \([0-9]\+\) failed$/\1 \2/p' "$work/unit.log" | tail -1)

echo "== C helpers (libexec/test-helpers.sh)"
bash libexec/test-helpers.sh | tee "$work/helpers.log"
helpers_status=${PIPESTATUS[0]}
read -r h_pass h_fail < <(sed -n 's/^\([0-9]\+\) passed, \([0-9]\+\) failed$/\1 \2/p' "$work/helpers.log" | tail -1)

echo "== vitest (unit and integration)"
LXCRI_TEST_PREFIX=$prefix npx vitest run --reporter=default --reporter=json --outputFile.json="$work/vitest.json"
vitest_status=$?
INPROCESS_SET="test/integration/lifecycle.test.ts test/integration/exec.test.ts test/integration/execjoin.test.ts \
  test/integration/badinput.test.ts test/integration/pidfile.test.ts test/integration/terminal.test.ts \
  test/integration/robustness.test.ts test/integration/hooks.test.ts test/integration/clearanswers.test.ts \
  test/integration/phrases.test.ts test/integration/podman.test.ts"
count() { # vitest JSON report -> "passed failed skipped"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(r.numPassedTests, r.numFailedTests + (r.numTotalTests ? 0 : 1), r.numPendingTests + r.numTodoTests);
  ' "$1" 2>/dev/null || echo "0 1 0"
}
read -r v_pass v_fail v_skip < <(count "$work/vitest.json")

# The run above goes through the lxcri service (bin/lxcri's default, LXCRI_SERVICE=auto);
# these files again with every call in-process, the path a call takes when no service can
# be reached.
echo "== vitest, calls in-process (LXCRI_SERVICE=off)"
LXCRI_SERVICE=off LXCRI_TEST_PREFIX=$prefix npx vitest run $INPROCESS_SET --reporter=default --reporter=json --outputFile.json="$work/inprocess.json"
inproc_status=$?
read -r i_pass i_fail i_skip < <(count "$work/inprocess.json")

# The resource-limit tests need a pure cgroup v2 host: one throw-away VM runs them. Its
# report is written into the tree, the one host directory the VM can write to.
echo "== cgroup v2 tests (in test/cgroup2-vm/run)"
vm_report=.test-results/cgroup2.json
mkdir -p .test-results && rm -f "$vm_report"
bash scripts/test-cgroup2.sh --reporter=default --reporter=json --outputFile.json="$vm_report" | tee "$work/vm.log"
vm_status=${PIPESTATUS[0]}
c_pass=0 c_fail=0 c_skip=0
if [ -f "$vm_report" ]; then
  read -r c_pass c_fail c_skip < <(count "$vm_report")
elif [ "$vm_status" != 0 ]; then
  c_fail=1
fi

# Debian 12's own Node.js 18: a copy of the tree built and tested with it.
echo "== Node 18 (scripts/test-node18.sh)"
bash scripts/test-node18.sh "$work/node18.json"
n18_status=$?
n_pass=0 n_fail=0 n_skip=0
if [ -f "$work/node18.json" ]; then
  read -r n_pass n_fail n_skip < <(count "$work/node18.json")
elif [ "$n18_status" != 0 ]; then
  n_fail=1
fi

passed=$(( ${u_pass:-0} + ${h_pass:-0} + v_pass + i_pass + c_pass + n_pass ))
failed=$(( ${u_fail:-1} + ${h_fail:-1} + v_fail + i_fail + c_fail + n_fail ))
echo
echo "$passed passed, $failed failed, $(( v_skip + i_skip + c_skip + n_skip )) skipped"
[ "$unit_status" = 0 ] && [ "$helpers_status" = 0 ] && [ "$vitest_status" = 0 ] && [ "$inproc_status" = 0 ] && [ "$vm_status" = 0 ] && [ "$n18_status" = 0 ] && [ "$failed" = 0 ]
