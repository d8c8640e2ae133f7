// The "c" field (zerolog's caller): source file and line of the code that logged. The CLI
// runs as one bundle, so its positions are mapped back through the bundle's source map
// (read only when a line is actually written).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename } from 'node:path';

const maps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    const mapFile = `${file}.map`;
    try {
      map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null;
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
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
  const entry = sourceMapOf(file)?.findEntry(line - 1, (frame.getColumnNumber() ?? 1) - 1);
  if (entry && 'originalSource' in entry && entry.originalSource) {
    return `${basename(entry.originalSource)}:${entry.originalLine + 1}`;
  }
  return `${basename(file)}:${line}`;
}
