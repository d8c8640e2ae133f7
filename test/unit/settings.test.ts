import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkEnvFile } from '../../src/cli/envfile.js';
import { resolveSettings, SETTINGS } from '../../src/cli/settings.js';
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
