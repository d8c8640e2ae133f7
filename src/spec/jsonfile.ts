// JSON files given to lxcri (config.json, exec --process): read with bounds, so that a
// path to /dev/zero or a FIFO cannot hang or exhaust create, and a deeply nested value
// cannot overflow the stack of the parser or the schema validator.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { errnoText } from '../base/errors.js';

/**
 * The largest file taken: 16 MiB. Real configs are a few KB, the largest (long seccomp
 * profiles, many devices or mounts) a few hundred; Kubernetes caps annotations at 256 KB.
 * Far above all of that, and small enough that parsing and checking stay fast.
 */
export const MAX_JSON_BYTES = 16 << 20;

/**
 * The deepest nesting taken: 64 levels. The runtime-spec's own structures nest fewer than
 * ten; the rest is room for unknown fields (extensions) without letting a 20000-deep
 * array reach the recursion of the schema validator.
 */
export const MAX_JSON_DEPTH = 64;

/** Why a JSON file cannot be taken, in words for the one error line. */
export class JsonFileError extends Error {}

async function readBounded(file: string): Promise<string> {
  // stat first: a FIFO or device is refused before anything opens it.
  const refuseType = (st: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean }): void => {
    if (st.isFile()) return;
    throw new JsonFileError(st.isDirectory() ? 'is a directory' : st.isFIFO() ? 'is a FIFO, not a regular file' : 'is not a regular file');
  };
  refuseType(await stat(file));
  // O_NONBLOCK: should it have become a FIFO since, the open does not wait for a writer.
  const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  try {
    const st = await fh.stat();
    refuseType(st);
    if (st.size > MAX_JSON_BYTES) throw new JsonFileError(`is larger than ${MAX_JSON_BYTES >> 20} MiB (${st.size} bytes)`);
    // One byte more than the limit tells a file that grew meanwhile.
    const buf = Buffer.alloc(Math.min(st.size, MAX_JSON_BYTES) + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > MAX_JSON_BYTES) throw new JsonFileError(`is larger than ${MAX_JSON_BYTES >> 20} MiB`);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The nesting depth of JSON text (outside strings), or where it passes `max`. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * The parsed content of a JSON file; JsonFileError (or a Node error for a missing or
 * unreadable file, see errnoCode) when it cannot be taken.
 */
export async function readJsonFile(file: string): Promise<unknown> {
  const text = await readBounded(file);
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new JsonFileError(`nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new JsonFileError(`malformed JSON: ${errnoText(err)}`);
  }
}

