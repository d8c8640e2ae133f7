// The shape of a container's record (lxcri.json), checked field by field when it is read:
// a record that was truncated, emptied, replaced by `null`, `{}` or `[]`, or lost while its
// runtime directory stayed is a "damaged record" error that names the file, never a
// container that silently has no init (and so looks stopped) or a TypeError later.
import type { Hook } from '../spec/types.js';
import { RuntimeError } from '../base/errors.js';
import type { ContainerRecord } from './record.js';

/** A record that cannot be trusted: state and plain delete refuse it, delete --force cleans up without it. */
export class DamagedRecord extends RuntimeError {
  constructor(
    readonly id: string,
    readonly file: string,
    why: string,
  ) {
    super('system', `container "${id}": damaged record ${file}: ${why}`);
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Shape {
  constructor(private readonly why: string[]) {}

  fail(what: string): false {
    this.why.push(what);
    return false;
  }

  str(o: Obj, key: string, optional = false): boolean {
    if (optional && o[key] === undefined) return true;
    return typeof o[key] === 'string' || this.fail(`${key} is not a string`);
  }

  nat(o: Obj, key: string, at: string): boolean {
    const v = o[key];
    return (typeof v === 'number' && Number.isInteger(v) && v >= 0) || this.fail(`${at}.${key} is not a non-negative integer`);
  }

  obj(o: Obj, key: string, optional = false): Obj | undefined | false {
    const v = o[key];
    if (optional && v === undefined) return undefined;
    return isObj(v) ? v : this.fail(`${key} is not an object`);
  }

  procRef(o: Obj, key: string): boolean {
    const r = this.obj(o, key, true);
    if (r === undefined) return true;
    if (r === false) return false;
    return this.nat(r, 'pid', key) && r.pid !== 0 && this.nat(r, 'start', key);
  }

  hooks(list: unknown, at: string): list is Hook[] {
    if (list === undefined) return true;
    if (!Array.isArray(list)) return this.fail(`${at} is not a list`);
    for (const [i, h] of list.entries()) {
      const ok =
        isObj(h) &&
        typeof h.path === 'string' &&
        (h.args === undefined || (Array.isArray(h.args) && h.args.every((a) => typeof a === 'string'))) &&
        (h.env === undefined || (Array.isArray(h.env) && h.env.every((a) => typeof a === 'string'))) &&
        (h.timeout === undefined || typeof h.timeout === 'number');
      if (!ok) return this.fail(`${at}[${i}] is not a hook`);
    }
    return true;
  }
}

/** Why `v` is not a ContainerRecord of container `id` (empty: it is one). */
function recordFaults(v: unknown, id: string): string[] {
  const why: string[] = [];
  const s = new Shape(why);
  if (!isObj(v)) return [`not an object but ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`];
  for (const k of ['id', 'bundle', 'rootfs', 'ociVersion', 'created']) s.str(v, k);
  if (typeof v.id === 'string' && v.id !== id) s.fail(`it names container "${v.id}"`);
  s.str(v, 'initDir', true);
  const ann = s.obj(v, 'annotations');
  if (ann && !Object.values(ann).every((a) => typeof a === 'string')) s.fail('annotations are not all strings');
  const cg = s.obj(v, 'cgroup');
  if (cg) for (const k of ['container', 'monitor', 'monitorPivot']) if (typeof cg[k] !== 'string' || cg[k] === '') s.fail(`cgroup.${k} is not a path`);
  const exe = s.obj(v, 'initExe');
  if (exe) s.nat(exe, 'dev', 'initExe') && s.nat(exe, 'ino', 'initExe');
  s.procRef(v, 'monitor');
  s.procRef(v, 'init');
  const hooks = s.obj(v, 'hooks', true);
  if (hooks) s.hooks(hooks.poststart, 'hooks.poststart') && s.hooks(hooks.poststop, 'hooks.poststop');
  return why;
}

/** The record in `text` (read from `file`), or a DamagedRecord error saying what is wrong with it. */
export function parseRecord(text: string, file: string, id: string): ContainerRecord {
  if (text.trim() === '') throw new DamagedRecord(id, file, 'the file is empty');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new DamagedRecord(id, file, `not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const why = recordFaults(v, id);
  if (why.length) throw new DamagedRecord(id, file, why.slice(0, 3).join(', '));
  return v as ContainerRecord;
}
