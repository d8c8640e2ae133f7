import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnvFile } from '../../src/cli/envfile.js';
import { resolveSettings, SETTINGS, unknownSettings } from '../../src/cli/settings.js';
import { usageLine } from '../../src/cli/usage.js';
import { REPO } from '../helpers/lxcri.js';

describe('settings precedence', () => {
  it('flag > environment > file > default', () => {
    const file = { LXCRI_ROOT: '/from/file', LXCRI_LOG_LEVEL: 'debug', LXCRI_SECCOMP: 'false', LXCRI_CREATE_TIMEOUT: '5' };
    const env = { LXCRI_ROOT: '/from/env', LXCRI_LOG_LEVEL: 'warn' };
    const s = resolveSettings({ root: '/from/flag' }, env, file, 'f');
    expect(s.root).toBe('/from/flag');
    expect(s.logLevel).toBe('warn');
    expect(s.seccomp).toBe(false);
    expect(s.createTimeout).toBe(5);
    expect(s.deleteTimeout).toBe(10);
    expect(s.monitorCgroup).toBe('lxcri-monitor.slice');
  });
  it('names the source of a bad value', () => {
    expect(() => resolveSettings({}, {}, { LXCRI_SECCOMP: 'maybe' }, '/etc/default/lxcri')).toThrow(/\/etc\/default\/lxcri: LXCRI_SECCOMP: "maybe" is not a boolean/);
    expect(() => resolveSettings({}, { LXCRI_KILL_TIMEOUT: '-1' }, {}, 'f')).toThrow(/LXCRI_KILL_TIMEOUT: "-1" is not a positive number/);
  });
});

describe('empty values', () => {
  it('are refused where the default is not empty, from every source', () => {
    expect(() => resolveSettings({}, { LXCRI_ROOT: '' }, {}, 'f')).toThrow(/^LXCRI_ROOT is empty \(leave it out for the default, \/run\/lxcri\)$/);
    expect(() => resolveSettings({}, {}, { LXCRI_LOG_FILE: ' ' }, 'f', undefined, new Map([['LXCRI_LOG_FILE', 7]]))).toThrow(/^f:7: LXCRI_LOG_FILE is empty/);
    expect(() => resolveSettings({ root: '' }, {}, {}, 'f')).toThrow(/^--root is empty/);
    expect(() => resolveSettings({}, { LXCRI_SECCOMP: '' }, {}, 'f')).toThrow(/^LXCRI_SECCOMP is empty/);
    expect(() => resolveSettings({}, { LXCRI_KILL_TIMEOUT: '' }, {}, 'f')).toThrow(/^LXCRI_KILL_TIMEOUT is empty/);
  });
  it('select the default where it is empty (libexec next to lxcri, no create hook)', () => {
    const s = resolveSettings({}, { LXCRI_LIBEXEC: '', LXCRI_CREATE_HOOK: '' }, {}, 'f');
    expect(s.libexec).toBe('');
    expect(s.createHook).toBe('');
  });
});

describe('unknown settings in the environment file', () => {
  it('are found with their line and the name they are a typo of', () => {
    const lines = checkEnvFile('# c\nLXCRI_ROOT=/r\nLXCRI_ROOOT=/x\nLXCRI_FOO=1\nPATH=/bin\nLXCRI_CREATE_TIMEOTU=5\n', 'f');
    expect(unknownSettings(lines)).toEqual([
      { name: 'LXCRI_ROOOT', line: 3, suggestion: 'LXCRI_ROOT' },
      { name: 'LXCRI_FOO', line: 4 },
      { name: 'LXCRI_CREATE_TIMEOTU', line: 6, suggestion: 'LXCRI_CREATE_TIMEOUT' },
    ]);
  });
});

describe('usage errors', () => {
  it('are one line', () => {
    expect(usageLine('Invalid values:\n  Argument: format, Given: "yaml", Choices: "table", "json"')).toBe('invalid value "yaml" for --format (one of: table, json)');
    expect(usageLine('Missing required argument: id')).toBe('Missing required argument: id');
    expect(usageLine('first\n  second\n')).toBe('first second');
  });
});

describe('environment file', () => {
  it('accepts comments, blank lines, quotes and export', () => {
    checkEnvFile('# c\n\nA=1\nexport B="x y" # c\nC=\'q\'\nD="multi\nline"\n', 'f');
  });
  it('refuses malformed lines with file and line', () => {
    expect(() => checkEnvFile('A=1\nthis is not an assignment\n', '/etc/default/lxcri')).toThrow(/\/etc\/default\/lxcri:2: not a NAME=value line/);
    expect(() => checkEnvFile('A="open\n', 'f')).toThrow(/f:1: unterminated " quote/);
    expect(() => checkEnvFile('A="x" y\n', 'f')).toThrow(/f:1: text after the closing quote/);
  });
  it('env/lxcri lists every setting', () => {
    const text = readFileSync(join(REPO, 'env/lxcri'), 'utf8');
    checkEnvFile(text, 'env/lxcri');
    for (const def of Object.values(SETTINGS)) expect(text).toContain(`#${def.env}=`);
  });
});
