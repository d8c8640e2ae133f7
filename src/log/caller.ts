// The "c" field (zerolog's caller): source file and line of the code that logged. The CLI
// runs as one bundle; its positions are mapped back to src/ through a small index made at
// build time from the source map (scripts/callers.mjs), read only when a line is written.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface CallerIndex {
  names: string[];
  /** (generated line, generated column, file, line) rows, sorted by position. */
  rows: Int32Array;
}

const indexes = new Map<string, CallerIndex | null>();

function indexOf(file: string): CallerIndex | null {
  let idx = indexes.get(file);
  if (idx === undefined) {
    try {
      const buf = readFileSync(`${file}.callers`);
      const nl = buf.indexOf(10);
      const body = buf.subarray(nl + 1);
      const aligned = Buffer.from(body); // Int32Array needs 4-byte alignment
      idx = {
        names: JSON.parse(buf.subarray(0, nl).toString('utf8')) as string[],
        rows: new Int32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 2),
      };
    } catch {
      idx = null;
    }
    indexes.set(file, idx);
  }
  return idx;
}

/** The source position of a 0-based generated position: last row at or before it. */
function lookup(idx: CallerIndex, line: number, col: number): string | undefined {
  const n = idx.rows.length >> 2;
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const l = idx.rows[mid * 4]!;
    const c = idx.rows[mid * 4 + 1]!;
    if (l < line || (l === line && c <= col)) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (found < 0 || idx.rows[found * 4] !== line) return undefined;
  return `${idx.names[idx.rows[found * 4 + 2]!]}:${idx.rows[found * 4 + 3]! + 1}`;
}

/** "create.ts:123" for the first frame outside `skip` (the logger's own function). */
export function callerOf(skip: (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const prev = Error.prepareStackTrace;
  Error.prepareStackTrace = (_e, frames) => frames;
  let frames: NodeJS.CallSite[] | undefined;
  try {
    Error.captureStackTrace(holder, skip);
    frames = holder.stack; // formatted on first access: while our formatter is set
  } finally {
    Error.prepareStackTrace = prev;
  }
  const frame = Array.isArray(frames) ? frames[0] : undefined;
  const file = frame?.getFileName();
  const line = frame?.getLineNumber();
  if (!frame || !file || !line) return undefined;
  const idx = indexOf(file);
  return (idx && lookup(idx, line - 1, (frame.getColumnNumber() ?? 1) - 1)) || `${basename(file)}:${line}`;
}
