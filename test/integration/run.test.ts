// run: create + start + wait; lxcri's exit status is the container's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle, waitFor, withArgs } from '../helpers/lxcri.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

describe('run', () => {
  it('prints the container output and exits 0', async () => {
    const r = await env.run(['run', '--bundle', makeBundle(env, 'r0', withArgs('echo', 'hello from busybox')), 'r0']);
    expect(r.stdout).toBe('hello from busybox\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(leftovers(env, 'r0')).toEqual([]);
  });

  it('exits with the container exit status', async () => {
    const r = await env.run(['run', '--bundle', makeBundle(env, 'r3', withArgs('sh', '-c', 'echo out; echo err >&2; exit 3')), 'r3']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
    expect(leftovers(env, 'r3')).toEqual([]);
  });

  it('exits 137 when the container is killed with SIGKILL', async () => {
    const running = env.run(['run', '--bundle', makeBundle(env, 'r9', withArgs('sleep', '60')), 'r9']);
    await waitFor(async () => {
      const r = await env.run(['state', 'r9']);
      return r.code === 0 && (JSON.parse(r.stdout) as { status: string }).status === 'running';
    }, 20_000, 'running');
    const k = await env.run(['kill', 'r9', 'KILL']);
    expect(k.code).toBe(0);
    const r = await running;
    expect(r.code).toBe(137);
    expect(leftovers(env, 'r9')).toEqual([]);
  });

  it('the container sees its stdin', async () => {
    const r = await env.run(['run', '--bundle', makeBundle(env, 'rin', withArgs('cat')), 'rin'], { input: 'piped input\n' });
    expect(r.stdout).toBe('piped input\n');
    expect(r.code).toBe(0);
  });

  it('applies hostname, read-only root, masked and read-only paths, env and cwd', async () => {
    const script = [
      'hostname',
      'touch /rootfs-write 2>/dev/null && echo root-rw || echo root-ro',
      'touch /tmp/ok && echo tmp-rw',
      'wc -c < /etc/group; ls -A /root | wc -l',
      '(echo 1 > /proc/sys/kernel/domainname) 2>/dev/null && echo sys-rw || echo sys-ro',
      'echo "$FOO $HOME"',
      'pwd',
      'id -u',
      'ls /dev | sort | tr "\\n" " "; echo',
    ].join('; ');
    const b = makeBundle(env, 'feat', (s) => {
      s.process!.args = ['sh', '-c', script];
      s.process!.env = ['PATH=/bin', 'FOO=first', 'FOO=second'];
      s.process!.cwd = '/tmp';
      s.hostname = 'feat-host';
      s.linux!.maskedPaths = [...s.linux!.maskedPaths!, '/etc/group', '/root'];
    });
    const r = await env.run(['run', '--bundle', b, 'feat']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('feat-host');
    expect(lines[1]).toBe('root-ro');
    expect(lines[2]).toBe('tmp-rw');
    expect(lines[3]?.trim()).toBe('0'); // masked file reads empty
    expect(lines[4]?.trim()).toBe('0'); // masked directory is empty
    expect(lines[5]).toBe('sys-ro');
    expect(lines[6]).toBe('second /root');
    expect(lines[7]).toBe('/tmp');
    expect(lines[8]).toBe('0');
    for (const dev of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'pts', 'shm', 'mqueue', 'ptmx', 'fd']) {
      expect(lines[9]?.split(' ')).toContain(dev);
    }
  });

  it('drops capabilities to the bounding set of the spec', async () => {
    const r = await env.run(['run', '--bundle', makeBundle(env, 'caps', withArgs('sh', '-c', 'grep CapBnd /proc/self/status')), 'caps']);
    expect(r.code).toBe(0);
    // AUDIT_WRITE (29), KILL (5), NET_BIND_SERVICE (10)
    expect(r.stdout.trim()).toBe(`CapBnd:\t${((1n << 29n) | (1n << 5n) | (1n << 10n)).toString(16).padStart(16, '0')}`);
  });
});
