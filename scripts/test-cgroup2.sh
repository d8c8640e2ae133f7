#!/bin/bash
# test-cgroup2.sh: the tests that need a pure cgroup v2 host (test/cgroup2), run in one
# throw-away VM (../shared/cgroup2-vm, see its README). Prints "skipped: <why>" and exits 0
# where the VM cannot run here. Needs a build (make) of this tree.
set -uo pipefail
cd "$(dirname "$0")/.."
VM=${CGROUP2_VM:-../shared/cgroup2-vm/run}
if [ ! -x "$VM" ]; then
  echo "cgroup2 tests skipped: $VM not found"
  exit 0
fi
start=$(date +%s)
"$VM" --timeout "${CGROUP2_VM_TIMEOUT:-1500}" -- env -u NODE_EXTRA_CA_CERTS -u NODE_OPTIONS npx vitest run test/cgroup2 "$@"
status=$?
echo "cgroup2 VM run: $(( $(date +%s) - start )) s, exit $status"
case $status in
  3) echo "cgroup2 tests skipped: the VM's prerequisites are missing (see the message above; ../shared/cgroup2-vm/run --install installs them)"; exit 0 ;;
  124) echo "cgroup2 tests failed: the VM timed out" ;;
  125) echo "cgroup2 tests failed: the VM failed before reporting a status" ;;
esac
exit $status
