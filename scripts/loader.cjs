'use strict';
// Runs lxcri-main.cjs through vm.Script with a V8 code cache beside it: compiling the
// bundle from the cache saves most of its parse and compile time on every call. V8 checks
// a cache only against the source's length, so the cache starts with a stamp of the
// bundle file (size, mtime, inode) and is ignored when the bundle changed. It is made at
// build/install time and rewritten when stale, if the directory is writable.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');

const file = path.join(__dirname, 'lxcri-main.cjs');
const cacheFile = `${file}.cache`;
const st = fs.statSync(file);
const stamp = Buffer.from(`${st.size}:${st.mtimeMs}:${st.ino}\n`);
const source = fs.readFileSync(file, 'utf8');
let cachedData;
try {
  const c = fs.readFileSync(cacheFile);
  if (c.subarray(0, stamp.length).equals(stamp)) cachedData = c.subarray(stamp.length);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
const mod = new Module(file, module);
mod.filename = file;
mod.paths = Module._nodeModulePaths(__dirname);
if (cachedData === undefined || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      fs.writeFileSync(cacheFile, Buffer.concat([stamp, script.createCachedData()]), { mode: 0o644 });
    } catch {
      /* read-only install: run without a cache */
    }
  });
}
script.runInThisContext().call(mod.exports, mod.exports, (id) => mod.require(id), mod, file, __dirname);
