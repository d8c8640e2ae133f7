// Spec fields checked from inside real containers: rlimits, sysctl, host and domain
// name in a new and in a joined UTS namespace, user namespaces, and the refusals.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Env, leftovers, makeBundle, type Result } from '../helpers/lxcri.js';
import { podmanSeccomp } from '../helpers/podmanseccomp.js';
import { runRunc } from '../helpers/oci.js';
import type { Spec } from '../../src/spec/types.js';

let env: Env;
beforeAll(() => {
  env = new Env();
});
afterAll(async () => {
  await env.cleanup();
});

async function runIn(id: string, script: string, edit: (s: Spec) => void = () => undefined): Promise<Result> {
  return env.run(['run', '--bundle', makeBundle(env, id, (s) => {
    s.process!.args = ['sh', '-c', script];
    edit(s);
  }), id]);
}

function expectRefused(r: Result, pattern: RegExp, id: string): void {
  expect(r.code).not.toBe(0);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(leftovers(env, id)).toEqual([]);
}

describe('process', () => {
  it('sets rlimits', async () => {
    const r = await runIn('rl', 'ulimit -n; ulimit -Hn; ulimit -Hc', (s) => {
      s.process!.rlimits = [
        { type: 'RLIMIT_NOFILE', soft: 512, hard: 1000 },
        { type: 'RLIMIT_CORE', soft: 0, hard: 18446744073709551615 },
      ];
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('512\n1000\nunlimited\n');
  });

  it('refuses duplicate and unknown rlimits', async () => {
    expectRefused(await runIn('rldup', 'true', (s) => {
      s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 }, { type: 'RLIMIT_NOFILE', soft: 2, hard: 2 }];
    }), /duplicate RLIMIT_NOFILE/, 'rldup');
    expectRefused(await runIn('rlbad', 'true', (s) => {
      s.process!.rlimits = [{ type: 'RLIMIT_BOGUS', soft: 1, hard: 1 }];
    }), /unknown type "RLIMIT_BOGUS"/, 'rlbad');
  });
});

describe('process.user defaults (the schema makes every field optional)', () => {
  it('runs as 0:0 without process.user, and with a user that has neither uid nor gid, as runc does', async () => {
    for (const [id, edit] of [
      ['nouser', (s: Spec) => delete s.process!.user],
      ['emptyuser', (s: Spec) => (s.process!.user = {})],
      ['gidonly', (s: Spec) => (s.process!.user = { gid: 7 })],
    ] as const) {
      const r = await runIn(id, 'id -u; id -g', edit);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(id === 'gidonly' ? '0\n7\n' : '0\n0\n');
    }
  });
});

describe('sysctl', () => {
  it('writes sysctls inside the container before /proc/sys turns read-only', async () => {
    const r = await runIn('sysctl', 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/lo/forwarding', (s) => {
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '1', 'net/ipv4/conf/lo/forwarding': '1' };
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1\n1\n');
    // The host's value is untouched (the container has its own network namespace).
    expect(execFileSync('cat', ['/proc/sys/net/ipv4/conf/lo/forwarding'], { encoding: 'utf8' }).trim()).toBe('0');
  });

  it('fails create with the reason for an unknown sysctl', async () => {
    expectRefused(await runIn('sysbad', 'true', (s) => {
      s.linux!.sysctl = { 'net.no_such_knob': '1' };
    }), /sysctl net\.no_such_knob: No such file or directory/, 'sysbad');
  });

  // Issue 14 item 4: fs.lease-break-time is host-wide; lxcri wrote it on the host.
  it('refuses sysctls not namespaced by a namespace of the container, the host value untouched (runc too)', async () => {
    const file = '/proc/sys/fs/lease-break-time';
    const before = readFileSync(file, 'utf8');
    const other = String(Number(before.trim()) === 46 ? 47 : 46);
    expectRefused(await runIn('pth-lease', 'true', (s) => {
      s.linux!.sysctl = { 'fs.lease-break-time': other };
    }), /linux\.sysctl "fs\.lease-break-time" is not namespaced/, 'pth-lease');
    expect(readFileSync(file, 'utf8')).toBe(before);
    const bundle = makeBundle(env, 'pth-lease-runc', (s) => {
      s.process!.args = ['true'];
      s.linux!.sysctl = { 'fs.lease-break-time': other };
    });
    const runc = await runRunc(env, bundle, 'pth-lease-runc');
    expect(runc.code).not.toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses kernel.domainname without a UTS namespace and net.* in the host network namespace', async () => {
    const before = readFileSync('/proc/sys/kernel/domainname', 'utf8');
    expectRefused(await runIn('pth-dom', 'true', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'uts');
      delete s.hostname;
      s.linux!.sysctl = { 'kernel.domainname': 'pth.example' };
    }), /"kernel\.domainname" needs a UTS namespace/, 'pth-dom');
    expect(readFileSync('/proc/sys/kernel/domainname', 'utf8')).toBe(before);
    expectRefused(await runIn('pth-hostnet', 'true', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'network');
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    }), /"net\.ipv4\.ip_forward" needs a network namespace/, 'pth-hostnet');
    expectRefused(await runIn('pth-joinhost', 'true', (s) => {
      s.linux!.namespaces = [...s.linux!.namespaces!.filter((n) => n.type !== 'network'), { type: 'network', path: `/proc/${process.pid}/ns/net` }];
      s.linux!.sysctl = { 'net.ipv4.ip_forward': '1' };
    }), /network namespace at \/proc\/\d+\/ns\/net is the host's/, 'pth-joinhost');
    expectRefused(await runIn('pth-dots', 'true', (s) => {
      s.linux!.sysctl = { 'net/../../../proc/sysrq-trigger': '1' };
    }), /not a sysctl name/, 'pth-dots');
  });

  it('writes kernel.domainname in a UTS namespace and kernel.shmmni in an IPC namespace', async () => {
    const r = await runIn('pth-nsok', 'cat /proc/sys/kernel/domainname /proc/sys/kernel/shmmni', (s) => {
      s.linux!.sysctl = { 'kernel.domainname': 'pth.example', 'kernel.shmmni': '1234' };
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('pth.example\n1234\n');
  });
});

describe('uts', () => {
  it('sets hostname and domainname in a new uts namespace', async () => {
    const r = await runIn('uts', 'hostname; cat /proc/sys/kernel/domainname', (s) => {
      s.hostname = 'box1';
      s.domainname = 'example.org';
    });
    expect(r.stdout).toBe('box1\nexample.org\n');
  });

  it('sets the hostname in a uts namespace joined by path (lxcri issue 59)', async () => {
    const nsFile = join(env.dir, 'utsns');
    writeFileSync(nsFile, '');
    execFileSync('unshare', [`--uts=${nsFile}`, 'true']);
    try {
      const r = await runIn('utsjoin', 'hostname', (s) => {
        s.hostname = 'pod-host';
        s.linux!.namespaces = s.linux!.namespaces!.map((n) => (n.type === 'uts' ? { type: 'uts', path: nsFile } : n));
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('pod-host\n');
      expect(execFileSync('nsenter', [`--uts=${nsFile}`, 'hostname'], { encoding: 'utf8' }).trim()).toBe('pod-host');
    } finally {
      execFileSync('umount', [nsFile]);
      rmSync(nsFile);
    }
  });

  it('refuses a hostname without a uts namespace', async () => {
    expectRefused(await runIn('noUts', 'true', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.filter((n) => n.type !== 'uts');
    }), /hostname needs a uts namespace/, 'noUts');
  });

  it('refuses a namespace path of the wrong type', async () => {
    expectRefused(await runIn('wrongns', 'true', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.map((n) => (n.type === 'network' ? { type: 'network', path: '/proc/self/ns/ipc' } : n));
    }), /network namespace path \/proc\/self\/ns\/ipc is a ipc namespace/, 'wrongns');
    expectRefused(await runIn('nons', 'true', (s) => {
      s.linux!.namespaces = s.linux!.namespaces!.map((n) => (n.type === 'network' ? { type: 'network', path: '/etc/hostname' } : n));
    }), /is not a namespace/, 'nons');
  });
});

describe('user namespaces', () => {
  it('maps IDs with lxc.idmap', async () => {
    const r = await runIn('userns', 'id -u; cat /proc/self/uid_map /proc/self/gid_map; echo x >/dev/null && echo null-ok', (s) => {
      s.linux!.namespaces!.push({ type: 'user' });
      s.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
      s.linux!.gidMappings = [{ containerID: 0, hostID: 200000, size: 65536 }];
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').map((l) => l.trim().replace(/\s+/g, ' '))).toEqual(['0', '0 200000 65536', '0 200000 65536', 'null-ok', '']);
  });

  it('refuses mappings without a user namespace', async () => {
    expectRefused(await runIn('nouserns', 'true', (s) => {
      s.linux!.uidMappings = [{ containerID: 0, hostID: 200000, size: 1 }];
    }), /need a new user namespace/, 'nouserns');
  });
});

describe('start failures', () => {
  it('reports liblxc\'s own reason for a mount it cannot make', async () => {
    expectRefused(await runIn('badmount', 'true', (s) => {
      s.mounts!.push({ destination: '/mnt', type: 'nosuchfs', source: 'none' });
    }), /Failed to mount "none" onto .*\/mnt/, 'badmount');
  });
});

describe('mount destinations', () => {
  it('stay inside the rootfs: absolute symlinks re-rooted, escapes refused', async () => {
    const { cpSync, existsSync, symlinkSync } = await import('node:fs');
    const { busyboxRootfs } = await import('../helpers/lxcri.js');
    const rootfs = join(env.dir, 'esc-rootfs');
    cpSync(busyboxRootfs(), rootfs, { recursive: true, verbatimSymlinks: true });
    // An absolute target outside any tmpfs of the spec, so the mount point lands on disk.
    const outside = `/lxcri-test-escape-${process.pid}`;
    symlinkSync(outside, join(rootfs, 'abs'));
    symlinkSync('../../../../../../../..' + outside, join(rootfs, 'up'));
    const r = await runIn('escabs', `mount | grep -c " ${outside}/x "`, (s) => {
      s.root = { path: rootfs };
      s.mounts!.push({ destination: '/abs/x', type: 'tmpfs', source: 'tmpfs' });
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1\n');
    expect(existsSync(outside)).toBe(false); // nothing made on the host side
    expect(existsSync(join(rootfs, outside, 'x'))).toBe(true); // but inside the rootfs
    expectRefused(await runIn('escup', 'true', (s) => {
      s.root = { path: rootfs };
      s.mounts!.push({ destination: '/up/x', type: 'tmpfs', source: 'tmpfs' });
    }), /mount destination \/up\/x escapes the rootfs/, 'escup');
    expect(existsSync(outside)).toBe(false);
  });
});

describe('identity', () => {
  it('gives a non-root user its groups, umask and capability sets, ambient ones too', async () => {
    const r = await runIn('ident', 'id; grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status; umask', (s) => {
      s.process!.user = { uid: 1000, gid: 1000, umask: 0o27, additionalGids: [10, 20] };
      s.process!.capabilities = {
        bounding: ['CAP_NET_BIND_SERVICE', 'CAP_KILL'],
        permitted: ['CAP_NET_BIND_SERVICE'],
        inheritable: ['CAP_NET_BIND_SERVICE'],
        effective: ['CAP_NET_BIND_SERVICE'],
        ambient: ['CAP_NET_BIND_SERVICE'],
      };
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'uid=1000 gid=1000 groups=10,20\n' +
        'CapInh:\t0000000000000400\nCapPrm:\t0000000000000400\nCapEff:\t0000000000000400\n' +
        'CapBnd:\t0000000000000420\nCapAmb:\t0000000000000400\n0027\n',
    );
  });

  it('refuses unknown capabilities', async () => {
    expectRefused(await runIn('badcap', 'true', (s) => {
      s.process!.capabilities = { bounding: ['CAP_FLY'] };
    }), /unknown capability "CAP_FLY"/, 'badcap');
  });
});

describe('more process and linux fields', () => {
  it('applies noNewPrivileges, oomScoreAdj, device mode and owner', async () => {
    const r = await runIn('misc', 'grep NoNewPrivs /proc/self/status; cat /proc/self/oom_score_adj; ls -ln /dev/mydev | awk \'{print $1, $3, $4, $5, $6}\'', (s) => {
      s.process!.noNewPrivileges = true;
      s.process!.oomScoreAdj = 123;
      s.linux!.devices = [{ path: '/dev/mydev', type: 'c', major: 1, minor: 3, fileMode: 0o640, uid: 1000, gid: 1001 }];
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('NoNewPrivs:\t1\n123\ncrw-r----- 1000 1001 1, 3\n');
  });

  it('reports the annotations in state', async () => {
    const b = makeBundle(env, 'annot', (s) => {
      s.process!.args = ['true'];
      s.annotations = { 'io.kubernetes.pod.name': 'p1', 'org.example/x': 'y' };
    });
    expect((await env.run(['create', '--bundle', b, 'annot'])).code).toBe(0);
    expect((await env.state('annot')).annotations).toEqual({ 'io.kubernetes.pod.name': 'p1', 'org.example/x': 'y' });
    expect((await env.run(['delete', '--force', 'annot'])).code).toBe(0);
  });
});

describe('a bundle as CRI-O writes it', () => {
  it('joins pinned namespaces, runs with the podman seccomp profile, bind mounts and annotations', async () => {
    const pins: Record<string, string> = {};
    for (const ns of ['net', 'ipc', 'uts']) {
      pins[ns] = join(env.dir, `pin-${ns}`);
      writeFileSync(pins[ns]!, '');
      execFileSync('unshare', [`--${ns}=${pins[ns]}`, 'true']);
    }
    const hosts = join(env.dir, 'hosts');
    writeFileSync(hosts, '127.0.0.1 localhost pod-host\n');
    try {
      const seccomp = podmanSeccomp(['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE']);
      const r = await runIn('crio', 'hostname; cat /etc/hosts; cat /proc/self/status | grep Seccomp:; readlink /proc/self/ns/net', (s) => {
        s.hostname = 'pod-host';
        s.linux!.namespaces = [
          { type: 'pid' },
          { type: 'network', path: pins.net },
          { type: 'ipc', path: pins.ipc },
          { type: 'uts', path: pins.uts },
          { type: 'mount' },
        ];
        s.mounts!.push({ destination: '/etc/hosts', type: 'bind', source: hosts, options: ['rbind', 'rprivate', 'ro', 'nosuid', 'nodev', 'noexec'] });
        s.process!.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 4096, hard: 4096 }]; // within this host's hard limit
        s.annotations = {
          'io.kubernetes.cri-o.ContainerType': 'container',
          'io.kubernetes.cri-o.SandboxID': 'abc',
          'io.kubernetes.container.name': 'hello',
        };
        s.linux!.cgroupsPath = `/lxcri-test-kubepods/pod1/crio-${process.pid}`;
        if (seccomp) s.linux!.seccomp = seccomp;
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const netns = `net:[${execFileSync('stat', ['-L', '-c', '%i', pins.net!], { encoding: 'utf8' }).trim()}]`;
      expect(r.stdout).toBe(`pod-host\n127.0.0.1 localhost pod-host\nSeccomp:\t${seccomp ? 2 : 0}\n${netns}\n`);
    } finally {
      for (const f of Object.values(pins)) {
        execFileSync('umount', [f]);
        rmSync(f);
      }
      for (const root of (await import('../helpers/lxcri.js')).cgroupRoots()) {
        for (const d of ['lxcri-test-kubepods/pod1', 'lxcri-test-kubepods']) {
          try {
            (await import('node:fs')).rmdirSync(join(root, d));
          } catch {
            /* not there */
          }
        }
      }
    }
  });
});
