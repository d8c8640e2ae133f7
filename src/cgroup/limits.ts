// One cgroup v2 interface file value that a resource limit turns into, and the checks the
// converters of linux.resources share. Converters are pure: they never touch the host.

/** A value for one cgroup v2 interface file of the container's cgroup. */
export interface CgroupLimit {
  /** File name in the container's cgroup, e.g. "memory.max". */
  file: string;
  /** What is written (one line; io.max/rdma.max take one line per device). */
  value: string;
  /** The controller that provides the file ("memory" for memory.max). */
  controller: string;
  /** The linux.resources field it comes from, e.g. "memory.limit", for messages. */
  field: string;
}

/** A linux.resources field that cannot be applied; `field` is relative to linux.resources. */
export class LimitError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'LimitError';
  }
}

/** The controller of an interface file: the part of its name before the first dot. */
export function controllerOf(file: string): string {
  const dot = file.indexOf('.');
  return dot < 0 ? file : file.slice(0, dot);
}

export function limit(field: string, file: string, value: string | number): CgroupLimit {
  return { file, value: String(value), controller: controllerOf(file), field };
}

/** A JSON number that must be an integer (int64/uint64 of the spec); undefined = unset. */
export function intField(field: string, v: unknown, min = Number.MIN_SAFE_INTEGER): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new LimitError(field, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < min) throw new LimitError(field, `must be at least ${min}, got ${v}`);
  return v;
}

export function boolField(field: string, v: unknown): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new LimitError(field, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

export function stringField(field: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new LimitError(field, `must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function objectField(field: string, v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new LimitError(field, 'must be an object');
  return v as Record<string, unknown>;
}

export function arrayField(field: string, v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new LimitError(field, 'must be an array');
  return v;
}

/** Integers print without an exponent up to 1e21, which covers int64/uint64. */
export const decimal = (n: number): string => BigInt(n).toString();
