// Unit tests of linux.resources.devices → liblxc device cgroup keys.
import { describe, expect, it } from 'vitest';
import { compileDeviceRules, deviceRuleItems } from '../../src/lxc/devicerules.js';
import type { DeviceRule } from '../../src/spec/types.js';

const DENY_ALL: DeviceRule = { allow: false, access: 'rwm' };

const DEFAULTS = [
  'c *:* m',
  'b *:* m',
  'c 1:3 rwm',
  'c 1:5 rwm',
  'c 1:7 rwm',
  'c 1:8 rwm',
  'c 1:9 rwm',
  'c 5:0 rwm',
  'c 5:1 rwm',
  'c 5:2 rwm',
  'c 136:* rwm',
];

/** The cgroup2 items as "allow X" / "deny X" lines (the v1 items are checked once). */
function v2(rules: DeviceRule[]): string[] {
  return deviceRuleItems(rules)
    .filter(([k]) => k.startsWith('lxc.cgroup2.devices.'))
    .map(([k, v]) => `${k.slice('lxc.cgroup2.devices.'.length)} ${v}`);
}

/** The v1 items, in the same form. */
function v1(rules: DeviceRule[]): string[] {
  return deviceRuleItems(rules)
    .filter(([k]) => k.startsWith('lxc.cgroup.devices.'))
    .map(([k, v]) => `${k.slice('lxc.cgroup.devices.'.length)} ${v}`);
}

describe('device cgroup rules', () => {
  it('deny-all (runc spec default) gives an allow-list of the default devices', () => {
    expect(v2([DENY_ALL])).toEqual(['deny a', ...DEFAULTS.map((d) => `allow ${d}`)]);
    // The same list for the v1 devices controller of hybrid hosts, in the same order.
    const items = deviceRuleItems([DENY_ALL]);
    expect(items.filter(([k]) => k.startsWith('lxc.cgroup.devices.')).map(([k, v]) => `${k.slice(19)} ${v}`)).toEqual(v2([DENY_ALL]));
  });

  it('no rules at all is deny-all plus the defaults too (as runc)', () => {
    expect(v2([])).toEqual(v2([DENY_ALL]));
  });

  it('linux.devices get no implicit rule; an explicit allow of tun adds it', () => {
    const out = v2([DENY_ALL, { allow: true, type: 'c', major: 10, minor: 200, access: 'rwm' }]);
    expect(out[0]).toBe('deny a');
    expect(out).toContain('allow c 10:200 rwm');
    expect(out).toHaveLength(DEFAULTS.length + 2);
  });

  it('type a allows everything: a deny-list with no denials', () => {
    expect(v2([{ allow: true, type: 'a', access: 'rwm' }])).toEqual(['allow a']);
    expect(v2([{ allow: true }])).toEqual(['allow a']); // empty type = a, no access = rwm
  });

  it('type a with numbers covers both block and character devices', () => {
    const out = v2([DENY_ALL, { allow: true, type: 'a', major: 7, access: 'rw' }]);
    // mknod comes from the defaults, so the access is the whole rwm.
    expect(out).toContain('allow b 7:* rwm');
    expect(out).toContain('allow c 7:* rwm');
  });

  it('a deny after an allow of the same device takes the access away', () => {
    const out = v2([
      DENY_ALL,
      { allow: true, type: 'c', major: 10, minor: 200, access: 'rwm' },
      { allow: false, type: 'c', major: 10, minor: 200, access: 'w' },
    ]);
    expect(out).toContain('allow c 10:200 rm');
    expect(out).not.toContain('allow c 10:200 rwm');
  });

  it('a later deny of a whole device that only the deny matches drops the allow', () => {
    const out = v2([DENY_ALL, { allow: true, type: 'b', major: 8, minor: 0, access: 'rw' }, { allow: false, type: 'b', major: 8, minor: 0, access: 'rwm' }]);
    expect(out.some((l) => l.includes('b 8:0'))).toBe(false); // its mknod is in b *:* m
  });

  it('allow-all then denials: a deny-list (mknod stays allowed by the defaults)', () => {
    expect(v2([{ allow: true, access: 'rwm' }, { allow: false, type: 'c', major: 10, minor: 200, access: 'rwm' }, { allow: false, type: 'b', access: 'rwm' }])).toEqual([
      'allow a',
      'deny c 10:200 rw',
      'deny b *:* rw',
    ]);
  });

  it('wildcard majors and minors', () => {
    const out = v2([DENY_ALL, { allow: true, type: 'c', minor: 4, access: 'r' }, { allow: true, type: 'b', major: 8, access: 'rwm' }, { allow: true, type: 'c', major: -1, minor: -1, access: 'w' }]);
    expect(out).toContain('allow c *:4 rwm'); // r, w of c *:* w, m of the defaults
    expect(out).toContain('allow b 8:* rwm');
    expect(out).toContain('allow c *:* wm');
  });

  it('a deny that punches a hole into a wildcard allow is refused, naming the rule', () => {
    expect(() => compileDeviceRules([DENY_ALL, { allow: true, type: 'c', major: 1, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 1, access: 'rwm' }])).toThrow(
      /linux\.resources\.devices\[2\] \(deny c 1:1 rwm\) cannot be expressed/,
    );
  });

  it('a deny-list rule of only read or only write is refused (liblxc would let read+write through)', () => {
    expect(() => compileDeviceRules([{ allow: true }, { allow: false, type: 'c', major: 1, minor: 1, access: 'w' }])).toThrow(/cannot be expressed/);
  });

  it('a deny of a default device is overridden by the defaults, as in runc', () => {
    expect(v2([DENY_ALL, { allow: false, type: 'c', major: 1, minor: 3, access: 'rwm' }])).toEqual(v2([DENY_ALL]));
  });

  it('v1 (hybrid hosts): the rules as listed with their own access, the defaults as separate rules', () => {
    const rules: DeviceRule[] = [
      DENY_ALL,
      { allow: true, type: 'b', major: 8, minor: 20, access: 'rw' },
      { allow: true, type: 'b', major: 10, minor: 200, access: 'r' },
      { allow: true, type: 'a', major: 7, access: 'r' },
    ];
    expect(v1(rules)).toEqual(['deny a', 'allow b 8:20 rw', 'allow b 10:200 r', 'allow b 7:* r', 'allow c 7:* r', ...DEFAULTS.map((d) => `allow ${d}`)]);
    // A later "a" resets the v1 list, as it does the ordered rules.
    expect(v1([DENY_ALL, { allow: true, type: 'b', major: 8, minor: 20, access: 'rw' }, { allow: true }])).toEqual([
      'deny a', 'allow b 8:20 rw', 'allow a', ...DEFAULTS.map((d) => `allow ${d}`),
    ]);
  });

  it('v1: the compiled list where the controller would not give the ordered outcome', () => {
    // In allow-all mode an allow of c *:* m does not take m back from a deny of c 10:200 rwm.
    const denials: DeviceRule[] = [{ allow: true }, { allow: false, type: 'c', major: 10, minor: 200, access: 'rwm' }];
    expect(v1(denials)).toEqual(v2(denials));
    // r and w of one device from two rules: the controller wants one rule with both for an open.
    const split: DeviceRule[] = [DENY_ALL, { allow: true, type: 'c', minor: 4, access: 'r' }, { allow: true, type: 'c', access: 'w' }];
    expect(v1(split)).toEqual(v2(split));
  });

  it('bad rules are refused', () => {
    expect(() => compileDeviceRules([{ allow: true, type: 'u' }])).toThrow(/unknown device type "u"/);
    expect(() => compileDeviceRules([{ allow: true, type: 'c', access: 'rx' }])).toThrow(/invalid access "rx"/);
    expect(() => compileDeviceRules([{ allow: true, type: 'c', major: 1.5 }])).toThrow(/invalid major/);
  });
});
