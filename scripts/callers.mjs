// Build step: from the bundle's source map, a small index of where lxcri's own sources
// (src/) landed in the bundle, so the log's caller field costs a binary search instead of
// parsing the whole source map. File format: one JSON line with the source file names,
// then a little-endian Int32 array of (generated line, generated column, file, line).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [mapFile, outFile] = process.argv.slice(2);
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Base64 VLQ fields of one mapping segment. */
function decode(segment) {
  const out = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.get(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

const own = map.sources.map((s) => /(^|\/)src\//.test(s) && !s.includes('node_modules') && !s.includes('/generated/'));
const names = map.sources.map((s) => basename(s));
const rows = [];
let src = 0;
let srcLine = 0;
map.mappings.split(';').forEach((line, genLine) => {
  let genCol = 0;
  for (const seg of line.split(',')) {
    if (!seg) continue;
    const f = decode(seg);
    genCol += f[0];
    if (f.length < 4) continue;
    src += f[1];
    srcLine += f[2];
    if (own[src]) rows.push(genLine, genCol, src, srcLine);
  }
});
const header = Buffer.from(`${JSON.stringify(names)}\n`);
writeFileSync(outFile, Buffer.concat([header, Buffer.from(new Int32Array(rows).buffer)]));
console.log(`callers: ${rows.length / 4} positions`);
