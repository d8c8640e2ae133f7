#!/bin/bash
# test-cgroup2.sh: the tests that need a pure cgroup v2 host (test/cgroup2), run in one
# throw-away VM (test/cgroup2-vm/run, see its README). Arguments go to vitest. Needs a
# build (make) of this tree. A VM that cannot run is a failure, not a skip: `make deps`
# installs its prerequisites, so their absence means a broken set-up.
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
# "test/cgroup2/" with the slash: vitest filters by substring, and the runner's own
# self-test in test/cgroup2-vm/ runs on the host.
test/cgroup2-vm/run --timeout "${CGROUP2_VM_TIMEOUT:-1500}" -- \
  env -u NODE_EXTRA_CA_CERTS -u NODE_OPTIONS npx vitest run test/cgroup2/ "$@"
status=$?
echo "cgroup2 VM run: $(( $(date +%s) - start )) s, exit $status"
case $status in
  3) echo "cgroup2 tests failed: the VM's prerequisites are missing (see the line above; make deps installs them)" ;;
  124) echo "cgroup2 tests failed: the VM timed out" ;;
  125) echo "cgroup2 tests failed: the VM ended before reporting a status" ;;
esac
exit $status
