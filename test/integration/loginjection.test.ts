// Image content that lands in a message must not write records of its own into the log:
// every line of the log is one JSON object of lxcri's or one liblxc record, whatever a
// message contains (issue 14, item 6).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxRootfs, Env, leftovers, makeBundle } from '../helpers/lxcri.js';

const FORGED = '{"l":"error","t":"2026-01-01T00:00:00.000Z","cid":"victim","m":"FORGED"}';

let env: Env;
let image: string;
beforeAll(() => {
  env = new Env();
  image = mkdtempSync(join(tmpdir(), 'lxcri-test-inject-'));
  cpSync(busyboxRootfs(), join(image, 'rootfs'), { recursive: true, verbatimSymlinks: true });
  // lxcri makes the mount point where the link leads, a directory whose name has line
  // breaks; liblxc's mount on it fails (an unknown file system type) and logs the path.
  symlinkSync(`d\n${FORGED}\nz`, join(image, 'rootfs/data'));
});
afterAll(async () => {
  await env.cleanup();
  rmSync(image, { recursive: true, force: true });
});

/** What is wrong with the log's lines: each must be a JSON object or a liblxc record. */
function badLines(text: string): string[] {
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('{')) {
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        bad.push(`not JSON: ${line}`);
        continue;
      }
      if ((rec as { m?: unknown }).m === 'FORGED') bad.push(`forged record: ${line}`);
    } else if (!/^lxc \S+ \d{14}\.\d{3} (TRACE|DEBUG|INFO|NOTICE|WARN|ERROR|CRIT|ALERT|FATAL) +\S+ - /.test(line)) {
      bad.push(`neither JSON nor a liblxc record: ${line}`);
    }
  }
  return bad;
}

describe('log injection through image content', () => {
  it('a symlink target with line breaks in a failing mount (liblxc logs the path) leaves one line per record', async () => {
    const b = makeBundle(env, 'inject', (s) => {
      s.root = { path: join(image, 'rootfs'), readonly: true };
      s.mounts!.push({ destination: '/data', type: 'nosuchfs', source: 'none' });
    });
    const r = await env.run(['--log-level', 'debug', 'create', '--bundle', b, 'inp-inject']);
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    // The message names the path with its line breaks escaped, the forged text included.
    expect(lines[0]).toContain('\\n{"l":"error"');
    const log = readFileSync(env.logFile, 'utf8');
    expect(log).toContain('FORGED'); // it did reach the log, escaped
    expect(badLines(log)).toEqual([]);
    expect(leftovers(env, 'inp-inject')).toEqual([]);
  });

  it('hook output with forged records stays inside JSON fields (hooks run by create and by lxcri-hook)', async () => {
    const forging = { path: '/bin/sh', args: ['sh', '-c', `printf '%s\\n' "$1" "$1" >&2; exit 1`, 'hook', `x\n${FORGED}`] };
    for (const kind of ['prestart', 'createContainer'] as const) {
      const id = `inp-inject-${kind}`;
      const b = makeBundle(env, id, (s) => {
        s.hooks = { [kind]: [forging] };
      });
      const r = await env.run(['--log-level', 'debug', 'create', '--bundle', b, id]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(leftovers(env, id)).toEqual([]);
    }
    const log = readFileSync(env.logFile, 'utf8');
    // Both hooks' output reached the log (as JSON fields), the forged text in it.
    expect(log.split('\n').filter((l) => l.includes('"m":"hook output"') && l.includes('FORGED'))).toHaveLength(2);
    expect(badLines(log)).toEqual([]);
  });

  it('the --log failure record (podman) is one JSON object whatever the message holds', async () => {
    const b = makeBundle(env, 'inject-log', (s) => {
      s.root = { path: join(image, 'rootfs'), readonly: true };
      s.mounts!.push({ destination: '/data', type: 'nosuchfs', source: 'none' });
    });
    const failLog = join(env.dir, 'fail.json');
    const r = await env.run(['--log', failLog, 'create', '--bundle', b, 'inp-inject2']);
    expect(r.code).not.toBe(0);
    expect(existsSync(failLog)).toBe(true);
    const text = readFileSync(failLog, 'utf8');
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect((JSON.parse(text) as { msg: string }).msg).toContain('FORGED');
    expect(badLines(readFileSync(env.logFile, 'utf8'))).toEqual([]);
    expect(leftovers(env, 'inp-inject2')).toEqual([]);
  });
});
