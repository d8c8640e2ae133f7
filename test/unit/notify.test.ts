// create's notify socket: the init's report is found after the monitor's exit even when
// Node has not accepted the init's connection yet (the create race of issue 12).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenNotify, parseReport } from '../../src/runtime/notify.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function listener() {
  const dir = mkdtempSync(join(tmpdir(), 'lxcri-notify-'));
  dirs.push(dir);
  const path = join(dir, 'notify');
  return { path, notify: await listenNotify(path, process.getuid!(), process.getgid!()) };
}

describe('notify drain', () => {
  it('finds a report that was sent while the event loop was blocked', async () => {
    const { path, notify } = await listener();
    try {
      // spawnSync blocks this event loop: the connection, its data and its end are queued
      // in the kernel, not yet accepted, exactly as when the monitor's exit is seen first.
      // The sender exits once its data is written, like the init (it does not wait for us).
      const send = `require('net').connect(${JSON.stringify(path)}).end('error 126 exec: /etc/passwd: permission denied\\n', () => process.exit(0))`;
      const r = spawnSync(process.execPath, ['-e', send], { timeout: 10_000 });
      expect(r.status).toBe(0);
      expect(await notify.drain()).toEqual({ ok: false, code: 126, message: 'exec: /etc/passwd: permission denied' });
    } finally {
      notify.close();
    }
  });

  it('is undefined at once when nothing was sent', async () => {
    const { notify } = await listener();
    try {
      const began = Date.now();
      expect(await notify.drain()).toBeUndefined();
      expect(Date.now() - began).toBeLessThan(100);
    } finally {
      notify.close();
    }
  });

  it('parses the report lines', () => {
    expect(parseReport('ok\n')).toEqual({ ok: true });
    expect(parseReport('ok console 7 /dev/pts/3\n')).toEqual({ ok: true, console: { fd: 7, name: '/dev/pts/3' } });
    expect(parseReport('ok console x /dev/pts/3\n').ok).toBe(false);
    expect(parseReport('error 127 exec: "x": executable file not found in $PATH\n')).toEqual({ ok: false, code: 127, message: 'exec: "x": executable file not found in $PATH' });
    expect(parseReport('garbage')).toMatchObject({ ok: false, code: 125 });
  });
});
