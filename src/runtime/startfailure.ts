// Why a container failed to start, in one line: lxcri-hook's exact reason from the error
// file, or else liblxc's first ERROR line for the container in its log.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeError } from './errors.js';
import { RUNDIR } from './layout.js';

export type MonitorEnd = { code: number | null; signal: NodeJS.Signals | null };

/**
 * Why the monitor gave up: the first line of the error file (lxcri-hook's exact reason,
 * or lxcri-start's generic one), and for the generic one liblxc's first ERROR line for
 * this container in its log since create began.
 */
export async function startFailure(runtimeDir: string, end: MonitorEnd | { initDied: string }, lxcLogFile: string | undefined, id: string, since: number): Promise<RuntimeError> {
  let detail = '';
  try {
    detail = (await readFile(join(runtimeDir, RUNDIR.error), 'utf8')).split('\n')[0]!.trim();
  } catch {
    /* no error file: only the exit status is known */
  }
  if (!detail.startsWith('lxcri-hook:')) {
    const lxcError = lxcLogFile ? await firstLxcError(lxcLogFile, id, since) : undefined;
    if (lxcError) detail = `failed to start container: ${lxcError}`;
  }
  if ('initDied' in end) return new RuntimeError('system', detail || `container init exited before it was ready: ${end.initDied}`);
  const how = end.signal ? `was killed by ${end.signal}` : `exited with status ${end.code}`;
  return new RuntimeError('system', detail || `the container failed to start: its monitor ${how}`);
}

/** liblxc's timestamp format (UTC): 20261123155546.920 */
const lxcTime = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, '').replace('Z', '');

async function firstLxcError(logFile: string, id: string, since: number): Promise<string | undefined> {
  let text: string;
  try {
    const fh = await open(logFile, 'r');
    try {
      const { size } = await fh.stat();
      const len = Math.min(size, 1 << 18);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      text = buf.toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
  const from = lxcTime(since);
  const prefix = `lxc ${id} `;
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const f = line.slice(prefix.length).split(/\s+/);
    if (f[1] !== 'ERROR' || (f[0] ?? '') < from) continue;
    // "... ERROR conf - ../src/lxc/conf.c:fn:123 - <message>"
    const parts = line.split(' - ');
    return parts.slice(2).join(' - ').trim() || undefined;
  }
  return undefined;
}

