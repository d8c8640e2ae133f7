// Writes the man pages and the bash completion of the built CLI (dist/lib, from tsc):
// OUT/man/*.8 and OUT/completion/lxcri. Both come from the same definitions as --help.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCli } from '../dist/lib/cli/doc/registry.js';
import { manPages } from '../dist/lib/cli/doc/man.js';
import { bashCompletion } from '../dist/lib/cli/doc/completion.js';

const out = process.argv[2];
if (!out) {
  console.error('usage: gen-docs.mjs OUTDIR');
  process.exit(2);
}
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const cli = describeCli();
// Start empty: a page of a command that no longer exists must not be installed.
rmSync(join(out, 'man'), { recursive: true, force: true });
mkdirSync(join(out, 'man'), { recursive: true });
for (const page of manPages(cli, version)) writeFileSync(join(out, 'man', page.file), page.text);
mkdirSync(join(out, 'completion'), { recursive: true });
writeFileSync(join(out, 'completion', cli.name), bashCompletion(cli));
