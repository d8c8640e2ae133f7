// An ordered list of liblxc config items, as lxc.container.conf(5) keys and values. Order
// matters for multi-valued keys (mount entries are mounted in the order given).
import { invalidSpec } from '../base/errors.js';

export type ConfigItem = readonly [key: string, value: string];

export class LxcConfig {
  readonly items: ConfigItem[] = [];

  set(key: string, value: string | number): this {
    // The saved config is one item a line: a line break would start an item of its own.
    if (/[\n\r\0]/.test(String(value))) {
      throw invalidSpec(`a line break in the value of ${key}: ${JSON.stringify(String(value))}`);
    }
    this.items.push([key, String(value)]);
    return this;
  }

  /** Render as a config file (used by tests and `inspect`; create goes through liblxc). */
  toString(): string {
    return this.items.map(([k, v]) => `${k} = ${v}\n`).join('');
  }
}

/** fstab-style escaping of a mount entry field (liblxc parses entries like fstab lines). */
export function fstabEscape(s: string): string {
  return s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}
