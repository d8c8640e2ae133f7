// Fills the V8 code cache (written by the loader when this process exits) with the code
// every call runs: argument parsing, state lookups and the error path with the logger.
// create's code (validators, translation) stays out: every call pays for deserializing
// the cache, and the frequent calls are state, start, kill and delete.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function warmUp(run: (args: string[]) => Promise<number>): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'lxcri-warmup-'));
  try {
    // Nothing is logged: the logger (pino) is for the rarer error path, kept out too.
    const g = ['--root', join(dir, 'root'), '--log-file', '/dev/null', '--log-level', 'fatal'];
    await run([...g, 'list', '-q']);
    await run([...g, 'state', 'warmup']);
    await run([...g, 'kill', 'warmup', 'KILL']);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
