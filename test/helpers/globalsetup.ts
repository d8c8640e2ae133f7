// One scratch directory for a whole vitest run: the shared busybox rootfs and the
// traversable helper copies (test/helpers/lxcri.ts) live there and go with the run, also
// when a worker ends without running its exit handlers.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'lxcri-test-scratch-'));
  // A user-namespaced container's mapped root must reach the rootfs and helpers in it.
  chmodSync(dir, 0o755);
  process.env.LXCRI_TEST_SCRATCH = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
