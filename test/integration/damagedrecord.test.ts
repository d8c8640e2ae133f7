// A damaged lxcri.json (issue 14 item 12): reported, never silently dropped. state and a
// plain delete refuse it with one line (the container may still run: its runtime dir
// stays), list lists the other containers and names the damaged one on stderr, and
// delete --force still removes everything of it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle, pidAlive, withArgs } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

const recordOf = (id: string): string => join(env.root, id, 'lxcri.json');

/** Ways a record gets damaged: a crash mid-write, a full disk, a careless operator. */
const DAMAGES: Record<string, (text: string) => string | undefined> = {
  truncated: (t) => t.slice(0, Math.floor(t.length / 2)),
  empty: () => '',
  null: () => 'null',
  object: () => '{}',
  list: () => '[]',
  missing: () => undefined,
  wrongtypes: (t) => JSON.stringify({ ...(JSON.parse(t) as object), init: { pid: 'x', start: 1 } }),
  nocgroup: (t) => JSON.stringify({ ...(JSON.parse(t) as object), cgroup: null }),
};

function damage(id: string, how: (text: string) => string | undefined): void {
  const text = how(readFileSync(recordOf(id), 'utf8'));
  if (text === undefined) rmSync(recordOf(id));
  else writeFileSync(recordOf(id), text);
}

const oneLine = (s: string): void => {
  expect(s.endsWith('\n')).toBe(true);
  expect(s.trimEnd().split('\n')).toHaveLength(1);
};

describe('damaged record', () => {
  it('is reported by state, delete and list; list shows the others; delete --force cleans up', async () => {
    const b = makeBundle(env, 'b', withArgs('sleep', '600'));
    const good = 'orqgood';
    expect((await env.run(['create', '--bundle', b, good])).code).toBe(0);
    const pids = new Map<string, number>();
    for (const kind of Object.keys(DAMAGES)) {
      const id = `orqdmg-${kind}`;
      const c = await env.run(['create', '--bundle', b, id]);
      expect(c.stderr, kind).toBe('');
      expect((await env.run(['start', id])).code).toBe(0);
      pids.set(kind, (await env.state(id)).pid);
      damage(id, DAMAGES[kind]!);
    }

    for (const [kind, pid] of pids) {
      const id = `orqdmg-${kind}`;
      const st = await env.run(['state', id]);
      expect(st.code, kind).not.toBe(0);
      oneLine(st.stderr);
      expect(st.stderr).toContain(`damaged record ${recordOf(id)}`);

      // The container may run: a plain delete must not drop its directory.
      const d = await env.run(['delete', id]);
      expect(d.code, kind).not.toBe(0);
      oneLine(d.stderr);
      expect(d.stderr).toContain(`damaged record ${recordOf(id)}`);
      expect(existsSync(join(env.root, id)), kind).toBe(true);
      expect(pidAlive(pid), kind).toBe(true);
    }

    // list: the good container listed, every damaged one named once on stderr, exit 0.
    for (const format of ['table', 'json']) {
      const l = await env.run(['list', '--format', format]);
      expect(l.code, format).toBe(0);
      expect(l.stdout).toContain(good);
      const lines = l.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(pids.size);
      for (const kind of pids.keys()) expect(lines.filter((x) => x.includes(`damaged record ${recordOf(`orqdmg-${kind}`)}`))).toHaveLength(1);
      if (format === 'json') expect((JSON.parse(l.stdout) as { id: string }[]).map((s) => s.id)).toEqual([good]);
    }
    expect((await env.state(good)).status).toBe('created');

    for (const [kind, pid] of pids) {
      const id = `orqdmg-${kind}`;
      const d = await env.run(['delete', '--force', id]);
      expect(d.stderr, kind).toBe('');
      expect(d.code, kind).toBe(0);
      expect(leftovers(env, id, [pid]), kind).toEqual([]);
      expect(existsSync(join(env.lockDir, `.${id}`)), kind).toBe(false);
      // And the ID is free again.
      expect((await env.run(['create', '--bundle', b, id])).code, kind).toBe(0);
      expect((await env.run(['delete', '--force', id])).code, kind).toBe(0);
    }
    expect((await env.run(['delete', '--force', good])).code).toBe(0);
    expect(leftovers(env, good)).toEqual([]);
  }, 120_000);
});
