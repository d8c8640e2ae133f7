// Fills the V8 code cache (written by the loader when this process exits) with the code
// the common commands run: argument parsing, state lookups, the error path with the
// logger, and bundle validation up to the point where create would touch the system.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCI_VERSION } from '../spec/types.js';

export async function warmUp(run: (args: string[]) => Promise<number>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lxcri-warmup-'));
  try {
    const bundle = join(dir, 'bundle');
    const spec = {
      ociVersion: OCI_VERSION,
      process: { user: { uid: 0, gid: 0 }, args: ['true'], cwd: '/', env: ['PATH=/bin'] },
      root: { path: join(dir, 'no-rootfs') },
      linux: { namespaces: [{ type: 'mount' }, { type: 'pid' }] },
    };
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
    const g = ['--root', join(dir, 'root'), '--log-file', '/dev/null'];
    await run([...g, 'list', '-q']);
    await run([...g, 'state', 'warmup']);
    await run([...g, 'kill', 'warmup', 'KILL']);
    await run([...g, 'create', '--bundle', bundle, 'warmup']);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
