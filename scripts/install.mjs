// The npm package's install step: builds the native addon (node-gyp) and the C helpers
// (libexec/helpers.mk) inside the installed package, where the library looks for them
// first. Needs a C compiler, make, pkg-config and liblxc's headers (`make deps` installs
// them; on Debian: build-essential pkg-config python3 lxc-dev). When the build fails but
// the system has an installed lxcri (`make install`, a distribution package), the library
// uses that one's helpers and addon, and the install still succeeds.
// A source checkout (src/ exists: `npm ci` in the repository) is built by the Makefile.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(join(pkg, 'src'))) process.exit(0);

const run = (cmd, args) => execFileSync(cmd, args, { cwd: pkg, stdio: 'inherit' });

function buildAddon() {
  // Node's own headers when its installation has them (Debian's nodejs, the official
  // tarball): node-gyp then downloads nothing.
  const prefix = resolve(dirname(process.execPath), '..');
  const nodedir = existsSync(join(prefix, 'include/node/node_api.h')) ? [`--nodedir=${prefix}`] : [];
  // npm names the node-gyp it ships; otherwise one on PATH.
  const gyp = process.env.npm_config_node_gyp;
  if (gyp) run(process.execPath, [gyp, 'rebuild', ...nodedir]);
  else run('node-gyp', ['rebuild', ...nodedir]);
}

function systemLxcri() {
  return ['/usr/local', '/usr'].find(
    (p) => existsSync(join(p, 'lib/lxcri/lxcri_native.node')) && existsSync(join(p, 'libexec/lxcri/lxcri-start')),
  );
}

try {
  buildAddon();
  run('make', ['-f', 'libexec/helpers.mk']);
} catch (err) {
  const sys = systemLxcri();
  if (sys) {
    console.warn(`lxcri: building the addon and helpers failed (${err.message}); using the installed ones in ${sys}`);
    process.exit(0);
  }
  console.error(
    `lxcri: building the addon and helpers failed: ${err.message}\n` +
      'lxcri: they need a C compiler, make, pkg-config and liblxc headers (Debian: apt-get install build-essential pkg-config python3 lxc-dev)',
  );
  process.exit(1);
}
