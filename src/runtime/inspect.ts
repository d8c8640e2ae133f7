// inspect: everything lxcri knows about one container, as one JSON document: its state,
// the spec it was created from, the liblxc config it runs with and lxcri's own record.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Spec, State } from '../spec/types.js';
import { RUNDIR } from './layout.js';
import type { Container } from './container.js';
import type { ContainerRecord } from './record.js';

export interface Inspection {
  state: State;
  spec: Spec | null;
  /** liblxc config items in file order, [key, value]. */
  lxcConfig: Array<[string, string]>;
  record: ContainerRecord;
}

export function parseLxcConfig(text: string): Array<[string, string]> {
  const items: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    if (eq < 0) continue;
    items.push([t.slice(0, eq).trim(), t.slice(eq + 1).trim()]);
  }
  return items;
}

export async function inspect(c: Container): Promise<Inspection> {
  const read = (name: string): Promise<string | null> => readFile(join(c.runtimeDir, name), 'utf8').catch(() => null);
  const [spec, config] = await Promise.all([read(RUNDIR.spec), read(RUNDIR.lxcConfig)]);
  return {
    state: c.state(),
    spec: spec === null ? null : (JSON.parse(spec) as Spec),
    lxcConfig: config === null ? [] : parseLxcConfig(config),
    record: c.record,
  };
}
