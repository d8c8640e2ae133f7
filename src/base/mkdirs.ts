// mkdir -p without Node's recursive mkdir, which loops forever where mkdir fails with
// ENOENT although the parent exists (under /proc, /sys): each missing parent is made
// once, and the first real failure is thrown.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoCode } from './errors.js';

export function makeDirs(dir: string, mode: number): void {
  try {
    mkdirSync(dir, { mode });
    return;
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return; // whether it is a directory, its user finds out
    if (errnoCode(err) !== 'ENOENT' || dirname(dir) === dir) throw err;
  }
  makeDirs(dirname(dir), mode);
  mkdirSync(dir, { mode });
}
