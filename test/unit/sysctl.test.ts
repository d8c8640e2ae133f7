// linux.sysctl admission (issue 14 item 4): runc's rules, keys that name only /proc/sys.
import { describe, expect, it } from 'vitest';
import { checkSysctls, sysctlNamespace, sysctlParts } from '../../src/spec/sysctl.js';
import type { Namespace } from '../../src/spec/types.js';

const ALL: Namespace[] = [{ type: 'ipc' }, { type: 'network' }, { type: 'uts' }, { type: 'mount' }];
const without = (t: string): Namespace[] => ALL.filter((n) => n.type !== t);
const check = (key: string, nss: Namespace[] = ALL, isHost = (): boolean => false): void => checkSysctls({ [key]: '1' }, nss, isHost);

describe('sysctl namespaces', () => {
  it('maps keys to the namespace that scopes them, as runc', () => {
    for (const k of ['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced', 'fs.mqueue.msg_max']) {
      expect(sysctlNamespace(sysctlParts(k))).toBe('ipc');
    }
    expect(sysctlNamespace(sysctlParts('net.ipv4.ip_forward'))).toBe('network');
    expect(sysctlNamespace(sysctlParts('net/ipv4/conf/eth0.100/forwarding'))).toBe('network');
    expect(sysctlNamespace(sysctlParts('kernel.domainname'))).toBe('uts');
    expect(sysctlNamespace(sysctlParts('kernel.hostname'))).toBe('uts');
    for (const k of ['fs.lease-break-time', 'kernel.pid_max', 'vm.overcommit_memory', 'fs.mqueue', 'net', 'kernel.shm_next_id']) {
      expect(sysctlNamespace(sysctlParts(k))).toBeUndefined();
    }
  });

  it('accepts namespaced keys when the container has the namespace', () => {
    expect(() => check('net.ipv4.ip_forward')).not.toThrow();
    expect(() => check('kernel.shmmax')).not.toThrow();
    expect(() => check('fs.mqueue.queues_max')).not.toThrow();
    expect(() => check('kernel.domainname')).not.toThrow();
    expect(() => check('net.ipv4.ip_forward', [...without('network'), { type: 'network', path: '/run/netns/x' }])).not.toThrow();
  });

  it('refuses host-wide keys and keys whose namespace the container lacks, naming the key', () => {
    expect(() => check('fs.lease-break-time')).toThrow(/^invalid config\.json: linux\.sysctl "fs\.lease-break-time" is not namespaced: it would change the host$/);
    expect(() => check('kernel.domainname', without('uts'))).toThrow(/"kernel\.domainname" needs a UTS namespace/);
    expect(() => check('kernel.sem', without('ipc'))).toThrow(/"kernel\.sem" needs an IPC namespace/);
    expect(() => check('net.core.somaxconn', without('network'))).toThrow(/"net\.core\.somaxconn" needs a network namespace/);
    expect(() => check('net.core.somaxconn', [...without('network'), { type: 'network', path: '/proc/1/ns/net' }], () => true)).toThrow(/network namespace at \/proc\/1\/ns\/net is the host's/);
  });

  it('refuses keys that are no plain name below /proc/sys', () => {
    for (const k of ['', 'net..ipv4', 'net.ipv4.', '.net', 'net/../kernel/pid_max', 'net/./ipv4', '/net/ipv4/ip_forward', 'net//ipv4', 'net.ipv4.conf.a b', 'net.ipv4\n.x']) {
      expect(() => check(k), k).toThrow(/not a sysctl name/);
    }
  });
});
