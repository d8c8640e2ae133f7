// Every runtime setting in one table: its flag, its LXCRI_* variable and its built-in
// default. A value comes from the flag, else the process environment, else the
// environment file, else the default; --help shows the defaults, never the environment.
import { RuntimeError } from '../base/errors.js';
import { secondsProblem } from '../base/timeout.js';
import { DEFAULT_FEATURES, DEFAULT_LXC_LOG_LEVEL, DEFAULT_MONITOR_CGROUP, DEFAULT_ROOT, DEFAULT_TIMEOUTS } from '../runtime/config.js';

/** The library's defaults (runtime/config.ts), as the table's text. */
const seconds = (ms: number): string => String(ms / 1000);
const flag = (on: boolean): string => String(on);

export type Kind = 'string' | 'boolean' | 'seconds';

export interface SettingDef {
  /** Global flag name (without --). */
  flag: string;
  env: string;
  kind: Kind;
  default: string;
  describe: string;
}

export const SETTINGS = {
  root: { flag: 'root', env: 'LXCRI_ROOT', kind: 'string', default: DEFAULT_ROOT, describe: 'runtime state directory' },
  logFile: { flag: 'log-file', env: 'LXCRI_LOG_FILE', kind: 'string', default: '/var/log/lxcri/lxcri.log', describe: 'log file, shared with liblxc' },
  logLevel: { flag: 'log-level', env: 'LXCRI_LOG_LEVEL', kind: 'string', default: 'info', describe: 'trace, debug, info, warn, error' },
  logTimestamp: { flag: 'log-timestamp', env: 'LXCRI_LOG_TIMESTAMP', kind: 'string', default: 'rfc3339', describe: 'rfc3339 or unix (seconds)' },
  logConsole: { flag: 'log-console', env: 'LXCRI_LOG_CONSOLE', kind: 'boolean', default: 'false', describe: 'readable log lines on stderr instead of the log file' },
  containerLogLevel: { flag: 'container-log-level', env: 'LXCRI_CONTAINER_LOG_LEVEL', kind: 'string', default: DEFAULT_LXC_LOG_LEVEL, describe: 'liblxc log level' },
  monitorCgroup: { flag: 'monitor-cgroup', env: 'LXCRI_MONITOR_CGROUP', kind: 'string', default: DEFAULT_MONITOR_CGROUP, describe: 'parent cgroup of the monitors' },
  libexec: { flag: 'libexec', env: 'LXCRI_LIBEXEC', kind: 'string', default: '', describe: 'directory of the lxcri helpers (default: next to lxcri)' },
  apparmor: { flag: 'apparmor', env: 'LXCRI_APPARMOR', kind: 'boolean', default: flag(DEFAULT_FEATURES.apparmor), describe: 'apply process.apparmorProfile' },
  capabilities: { flag: 'capabilities', env: 'LXCRI_CAPABILITIES', kind: 'boolean', default: flag(DEFAULT_FEATURES.capabilities), describe: 'apply process.capabilities' },
  cgroupDevices: { flag: 'cgroup-devices', env: 'LXCRI_CGROUP_DEVICES', kind: 'boolean', default: flag(DEFAULT_FEATURES.cgroupDevices), describe: 'apply the device cgroup rules' },
  seccomp: { flag: 'seccomp', env: 'LXCRI_SECCOMP', kind: 'boolean', default: flag(DEFAULT_FEATURES.seccomp), describe: 'apply linux.seccomp' },
  ignoreUnavailableControllers: { flag: 'ignore-unavailable-controllers', env: 'LXCRI_IGNORE_UNAVAILABLE_CONTROLLERS', kind: 'boolean', default: 'false', describe: 'warn instead of failing create when a limit\'s cgroup controller is missing' },
  createTimeout: { flag: 'create-timeout', env: 'LXCRI_CREATE_TIMEOUT', kind: 'seconds', default: seconds(DEFAULT_TIMEOUTS.create), describe: 'seconds create waits for the container' },
  startTimeout: { flag: 'start-timeout', env: 'LXCRI_START_TIMEOUT', kind: 'seconds', default: seconds(DEFAULT_TIMEOUTS.start), describe: 'seconds start waits for the process' },
  killTimeout: { flag: 'kill-timeout', env: 'LXCRI_KILL_TIMEOUT', kind: 'seconds', default: seconds(DEFAULT_TIMEOUTS.kill), describe: 'seconds pause/resume wait for the freezer' },
  deleteTimeout: { flag: 'delete-timeout', env: 'LXCRI_DELETE_TIMEOUT', kind: 'seconds', default: seconds(DEFAULT_TIMEOUTS.delete), describe: 'seconds delete waits for processes and cgroups' },
  createHook: { flag: 'create-hook', env: 'LXCRI_CREATE_HOOK', kind: 'string', default: '', describe: 'program run after every create' },
  service: { flag: 'service', env: 'LXCRI_SERVICE', kind: 'string', default: 'auto', describe: 'calls go through the resident lxcri service: auto (started on demand; in-process when it cannot be), on (always; an error when unreachable) or off (always in-process)' },
  serviceIdle: { flag: 'service-idle', env: 'LXCRI_SERVICE_IDLE', kind: 'seconds', default: '60', describe: 'seconds the lxcri service waits without a call before it exits' },
  createHookTimeout: { flag: 'create-hook-timeout', env: 'LXCRI_CREATE_HOOK_TIMEOUT', kind: 'seconds', default: '5', describe: 'seconds before the create hook is killed' },
} as const satisfies Record<string, SettingDef>;

export type SettingName = keyof typeof SETTINGS;

type ValueOf<K extends Kind> = K extends 'boolean' ? boolean : K extends 'seconds' ? number : string;
export type Settings = { [N in SettingName]: ValueOf<(typeof SETTINGS)[N]['kind']> };

function parseValue(def: SettingDef, raw: string, from: string): string | boolean | number {
  switch (def.kind) {
    case 'string':
      return raw;
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new RuntimeError('invalid-argument', `${from}: "${raw}" is not a boolean (true/false)`);
    }
    case 'seconds': {
      const n = Number(raw.trim().replace(/s$/, ''));
      const problem = secondsProblem(n);
      if (problem) throw new RuntimeError('invalid-argument', `${from}: "${raw}" is ${problem}`);
      return n;
    }
  }
}

/**
 * A value from a flag or a variable. Empty is never taken as a value: `LXCRI_ROOT=` would
 * otherwise put the containers in the working directory. Where the default itself is
 * empty (libexec: next to lxcri; create hook: none), empty selects that default.
 */
function valueOf(def: SettingDef, raw: string, from: string): string | boolean | number {
  if (raw.trim() === '') {
    if (def.default === '') return parseValue(def, '', from);
    throw new RuntimeError('invalid-argument', `${from} is empty (leave it out for the default, ${def.default})`);
  }
  return parseValue(def, raw, from);
}

/**
 * Resolve every setting. `flags` holds the parsed global flags by flag name (undefined
 * when not given), `env` the process environment, `file` the environment file's values.
 */
export function resolveSettings(
  flags: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  file: Readonly<Record<string, string>>,
  fileName: string,
  /** Told of each setting that came from a variable (the log's "env" field). */
  fromVariable: (variable: string, source: 'environment' | 'file') => void = () => undefined,
  /** The line of each variable in the file, for the error of a bad value. */
  fileLines: ReadonlyMap<string, number> = new Map(),
): Settings {
  const out: Record<string, string | boolean | number> = {};
  for (const [name, def] of Object.entries(SETTINGS) as [SettingName, SettingDef][]) {
    const flag = flags[def.flag];
    if (flag !== undefined) {
      out[name] = typeof flag === 'string' ? valueOf(def, flag, `--${def.flag}`) : (flag as boolean | number);
    } else if (env[def.env] !== undefined) {
      out[name] = valueOf(def, env[def.env]!, def.env);
      fromVariable(def.env, 'environment');
    } else if (file[def.env] !== undefined) {
      const line = fileLines.get(def.env);
      out[name] = valueOf(def, file[def.env]!, `${fileName}${line ? `:${line}` : ''}: ${def.env}`);
      fromVariable(def.env, 'file');
    } else {
      out[name] = parseValue(def, def.default, 'default');
    }
  }
  return out as Settings;
}

const KNOWN = new Set<string>(Object.values(SETTINGS).map((d: SettingDef) => d.env));

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export interface UnknownSetting {
  name: string;
  line: number;
  /** The known name it is closest to, if close. */
  suggestion?: string;
}

/** LXCRI_* names in the environment file that are no setting (typos would pass silently). */
export function unknownSettings(fileLines: ReadonlyMap<string, number>): UnknownSetting[] {
  const out: UnknownSetting[] = [];
  for (const [name, line] of fileLines) {
    if (!/^LXCRI_/i.test(name) || KNOWN.has(name)) continue;
    let best: string | undefined;
    // One edit away, two for longer names: LXCRI_FOO is no typo of LXCRI_ROOT.
    let bestDist = name.length - 'LXCRI_'.length >= 8 ? 3 : 2;
    for (const k of KNOWN) {
      const d = distance(name.toUpperCase(), k);
      if (d < bestDist) [best, bestDist] = [k, d];
    }
    out.push(best ? { name, line, suggestion: best } : { name, line });
  }
  return out.sort((a, b) => a.line - b.line);
}
