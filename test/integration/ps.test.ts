// ps [--format table|json] ID [ps-options]: the container's processes from its cgroup,
// compared with runc ps on the same bundle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { leftovers, makeBundle, waitFor, withArgs, type Result } from '../helpers/lxcri.js';
import { sideBySide, type Run } from '../helpers/runc.js';

const { env, lxcri, ref } = sideBySide();

async function statePid(run: Run, id: string): Promise<number> {
  return (JSON.parse((await run(['state', id])).stdout) as { pid: number }).pid;
}

function ok(r: Result): string {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The PID column of a ps table (header first). */
function pidColumn(table: string): number[] {
  const [header, ...rows] = table.trimEnd().split('\n');
  const col = header!.trim().split(/\s+/).indexOf('PID');
  return rows.map((l) => Number(l.trim().split(/\s+/)[col]));
}

describe('ps', () => {
  it('lists the init and its children: JSON host PIDs, the ps table, ps options after the ID; as runc', async () => {
    const bundle = makeBundle(env, 'cli-ps', withArgs('sh', '-c', 'sleep 1000 & sleep 1001 & wait'));
    for (const [run, id] of [[lxcri, 'cli-ps'], [ref, 'cli-psr']] as const) {
      expect((await run(['run', '-d', '--bundle', bundle, id])).code).toBe(0);
      const init = await statePid(run, id);
      let pids: number[] = [];
      await waitFor(async () => {
        pids = JSON.parse(ok(await run(['ps', '--format', 'json', id]))) as number[];
        return pids.length === 3;
      }, 10_000, `${id}: three processes`);
      expect(pids).toContain(init);
      // Host PIDs: each is in /proc with the container's command lines.
      const cmds = pids.map((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()).sort();
      expect(cmds).toEqual(['sh -c sleep 1000 & sleep 1001 & wait', 'sleep 1000', 'sleep 1001']);

      const table = ok(await run(['ps', id]));
      expect(table.split('\n')[0]).toMatch(/^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
      expect(pidColumn(table).sort()).toEqual([...pids].sort());

      const custom = ok(await run(['ps', id, '-o', 'pid,comm']));
      const [head, ...rows] = custom.trimEnd().split('\n');
      expect(head!.trim().split(/\s+/)).toEqual(['PID', 'COMMAND']);
      expect(rows.map((r) => r.trim().split(/\s+/)[1]).sort()).toEqual(['sh', 'sleep', 'sleep']);
      expect(ok(await run(['ps', '-f', 'json', id]))).toBe(`${JSON.stringify(pids)}\n`);

      expect((await run(['delete', '--force', id])).code).toBe(0);
    }
    expect(leftovers(env, 'cli-ps')).toEqual([]);
  });

  it('a stopped container has no processes: the header only, and [] (runc prints null)', async () => {
    const bundle = makeBundle(env, 'cli-ps0', withArgs('true'));
    for (const [run, id] of [[lxcri, 'cli-ps0'], [ref, 'cli-ps0r']] as const) {
      expect((await run(['run', '-d', '--bundle', bundle, id])).code).toBe(0);
      await waitFor(async () => (JSON.parse((await run(['state', id])).stdout) as { status: string }).status === 'stopped', 10_000, 'stopped');
      expect(ok(await run(['ps', id]))).toMatch(/^UID\s+PID\s+PPID.*CMD\n$/);
      expect(['[]\n', 'null\n']).toContain(ok(await run(['ps', '--format', 'json', id])));
      expect((await run(['delete', id])).code).toBe(0);
    }
    expect(ok(await lxcri(['run', '-d', '--bundle', bundle, 'cli-ps0']))).toBe('');
    await waitFor(async () => (await env.state('cli-ps0')).status === 'stopped', 10_000, 'stopped');
    expect(ok(await lxcri(['ps', '--format', 'json', 'cli-ps0']))).toBe('[]\n');
    expect((await lxcri(['delete', 'cli-ps0'])).code).toBe(0);
  });

  it('bad input: one line and a non-zero exit', async () => {
    const one = (r: Result, code: number, text: RegExp): void => {
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(text);
    };
    one(await lxcri(['ps', 'cli-nosuch']), 1, /^lxcri: container does not exist: cli-nosuch$/m);
    const bundle = makeBundle(env, 'cli-psbad', withArgs('sleep', '60'));
    expect((await lxcri(['run', '-d', '--bundle', bundle, 'cli-psbad'])).code).toBe(0);
    one(await lxcri(['ps', 'cli-psbad', '-o', 'comm']), 1, /^lxcri: ps output has no PID column/m);
    one(await lxcri(['ps', 'cli-psbad', '--no-such-option']), 1, /^lxcri: ps --no-such-option failed/m);
    one(await lxcri(['ps', '--format', 'xml', 'cli-psbad']), 2, /^lxcri: invalid value "xml" for --format/m);
    one(await lxcri(['ps']), 2, /^lxcri: Missing required argument: id/m);
    expect((await lxcri(['delete', '--force', 'cli-psbad'])).code).toBe(0);
    expect(leftovers(env, 'cli-psbad')).toEqual([]);
  });
});
