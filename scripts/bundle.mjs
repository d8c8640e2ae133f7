// Bundles the CLI into one CommonJS file (dist/lxcri-main.cjs) next to a small loader
// (dist/lxcri.cjs) that runs it with a V8 code cache: Node's start-up is our biggest cost.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/lxcri-main.cjs',
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  // yargs 17's CommonJS build; its ESM build reads import.meta.url of its own files.
  mainFields: ['main'],
  conditions: ['require'],
  define: { LXCRI_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__lxcri_url' },
  banner: { js: "var __lxcri_url = require('url').pathToFileURL(__filename).href;" },
  external: ['*.node'],
  minify: true,
  // Only for scripts/callers.mjs (the log's caller field); not installed.
  sourcemap: 'external',
  sourcesContent: false,
  keepNames: false,
  logLevel: 'warning',
});

// The caller index of the log's "c" field, from the source map.
const { execFileSync } = await import('node:child_process');
execFileSync(process.execPath, ['scripts/callers.mjs', 'dist/lxcri-main.cjs.map', 'dist/lxcri-main.cjs.callers'], { stdio: 'inherit' });
