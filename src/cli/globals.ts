// Global options: one flag per setting of settings.ts plus the flags managers pass
// (--log, --log-format, --debug, --systemd-cgroup), and what they make: the runtime
// configuration and the log settings.
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { isLevel, isTimestampFormat, type Level, type TimestampFormat } from '../log/pino.js';
import type { RuntimeConfig } from '../runtime/config.js';
import { RuntimeError } from '../base/errors.js';
import type { Env } from './context.js';
import { DEFAULT_ENV_FILE, readEnvFile } from './envfile.js';
import { resolveSettings, SETTINGS, unknownSettings, type SettingDef, type Settings } from './settings.js';

/** The global flags used by name; the settings' flags are read through the table. */
export interface GlobalArgs {
  log?: string;
  'log-format'?: string;
  debug?: boolean;
  'systemd-cgroup'?: boolean;
}

const EXTRA_VALUE_FLAGS = ['log', 'log-format'];

/** LXCRI_SERVICE's values (bin/lxcri reads the setting; libexec/clientconf.c). */
export const SERVICE_MODES: readonly string[] = ['auto', 'on', 'off'];

/** Flags that take a value (so their value is not mistaken for a command). */
export const VALUE_FLAGS = new Set(
  [...Object.values(SETTINGS).filter((d: SettingDef) => d.kind !== 'boolean').map((d) => d.flag), ...EXTRA_VALUE_FLAGS].map((f) => `--${f}`),
);

export function globalOptions(y: Argv): Argv<GlobalArgs> {
  let a = y;
  for (const def of Object.values(SETTINGS) as SettingDef[]) {
    const shown = def.default === '' ? '' : ` (default ${def.default})`;
    a = a.option(def.flag, {
      type: def.kind === 'boolean' ? 'boolean' : 'string',
      requiresArg: def.kind !== 'boolean',
      describe: `${def.describe} [env ${def.env}]${shown}`,
    });
  }
  return a
    .option('log', { type: 'string', requiresArg: true, describe: 'file that receives the error of a failed call as one JSON object (podman)' })
    .option('log-format', { type: 'string', requiresArg: true, describe: 'format of --log: json or text' })
    .option('debug', { type: 'boolean', describe: 'same as --log-level debug' })
    .option('systemd-cgroup', { type: 'boolean', describe: "linux.cgroupsPath is systemd's slice:prefix:name (CRI-O, conmon)" }) as Argv<GlobalArgs>;
}

export interface Resolved {
  settings: Settings;
  /** Settings taken from LXCRI_* variables, for the log ("env" field). */
  variables: Array<{ env: string; source: 'environment' | 'file' }>;
  /** Unknown LXCRI_* names of the environment file: a line on stderr and in the log each. */
  warnings: Array<{ text: string; fields: Record<string, unknown> }>;
  logLevel: Level;
  timestamp: TimestampFormat;
  config: Partial<RuntimeConfig>;
}

/** Settings from flags, environment and the environment file; relative paths are the caller's (`cwd`). */
export function resolveGlobals(g: GlobalArgs, env: Env, cwd: string): Resolved {
  const named = env.LXCRI_ENV_FILE;
  if (named !== undefined && named.trim() === '') throw new RuntimeError('invalid-argument', `LXCRI_ENV_FILE is empty (leave it out for the default, ${DEFAULT_ENV_FILE})`);
  const fileName = named !== undefined ? resolve(cwd, named) : DEFAULT_ENV_FILE;
  const file = readEnvFile(fileName, named !== undefined);
  const variables: Resolved['variables'] = [];
  const s = resolveSettings(
    g as Readonly<Record<string, unknown>>,
    env,
    file.values,
    fileName,
    (v, source) => variables.push({ env: v, source }),
    file.lines,
  );
  const warnings = unknownSettings(file.lines).map((u) => ({
    text: `${fileName}:${u.line}: unknown setting ${u.name}${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}`,
    fields: { file: fileName, line: u.line, env: u.name },
  }));
  const level = g.debug ? 'debug' : s.logLevel;
  if (!isLevel(level)) throw new RuntimeError('invalid-argument', `invalid log level "${level}"`);
  if (!SERVICE_MODES.includes(s.service)) throw new RuntimeError('invalid-argument', `invalid service mode "${s.service}" (auto, on or off)`);
  if (!isTimestampFormat(s.logTimestamp)) throw new RuntimeError('invalid-argument', `invalid log timestamp format "${s.logTimestamp}" (rfc3339 or unix)`);
  const config: Partial<RuntimeConfig> = {
    root: resolve(cwd, s.root),
    monitorCgroup: s.monitorCgroup,
    // Absolute: liblxc opens it from the monitor, whose working directory is the runtime dir.
    lxcLogFile: resolve(cwd, s.logFile),
    lxcLogLevel: s.containerLogLevel,
    systemdCgroup: g['systemd-cgroup'] === true,
    timeouts: { create: s.createTimeout * 1000, start: s.startTimeout * 1000, kill: s.killTimeout * 1000, delete: s.deleteTimeout * 1000 },
    features: { apparmor: s.apparmor, capabilities: s.capabilities, cgroupDevices: s.cgroupDevices, seccomp: s.seccomp },
    ignoreUnavailableControllers: s.ignoreUnavailableControllers,
  };
  if (s.libexec) config.libexecDir = resolve(cwd, s.libexec);
  return { settings: s, variables, warnings, logLevel: level, timestamp: s.logTimestamp, config };
}
