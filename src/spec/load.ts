// Reading a bundle: config.json parsed, schema-checked and checked against what lxcri
// and Linux can run. Nothing on the system is touched before this has passed.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { errnoCode, errnoText, invalidSpec, RuntimeError } from '../runtime/errors.js';
import { JsonFileError, readJsonFile } from './jsonfile.js';
import type { Namespace, Spec } from './types.js';
import { checkHooks } from './hooks.js';
import { NAMESPACES } from './namespaces.js';
import { checkNamespaceFile } from './nsfile.js';
import { checkProcess } from './process.js';
import { checkRootfsAccess } from './rootfsaccess.js';
import { echo } from '../runtime/message.js';
import { checkSysctls } from './sysctl.js';
import { validateSchema } from './validate.js';


export interface Bundle {
  /** Absolute, symlink-free bundle directory. */
  path: string;
  spec: Spec;
  /** Absolute rootfs path (root.path resolved against the bundle). */
  rootfs: string;
}

export async function loadBundle(bundleDir: string): Promise<Bundle> {
  const path = resolve(bundleDir);
  const file = join(path, 'config.json');
  let data: unknown;
  try {
    data = await readJsonFile(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw new RuntimeError('invalid-spec', `bundle ${path}: config.json not found`);
    if (err instanceof JsonFileError && err.message.startsWith('malformed JSON')) throw invalidSpec(err.message);
    const why = err instanceof JsonFileError ? err.message : `cannot be read: ${errnoText(err)}`;
    throw new RuntimeError('invalid-spec', `bundle ${path}: config.json ${why}`);
  }
  await validateSchema('config', data, 'config.json');
  const spec = data as Spec;
  const rootfs = await checkSpec(spec, path);
  return { path, spec, rootfs };
}

async function checkSpec(spec: Spec, bundle: string): Promise<string> {
  if (!spec.root) throw invalidSpec('root is missing');
  if (!spec.process) throw invalidSpec('process is missing');
  if (spec.process.commandLine !== undefined) throw invalidSpec('process.commandLine is for Windows');
  checkProcess(spec.process, invalidSpec);
  if (!spec.linux) throw invalidSpec('linux is missing: lxcri runs Linux containers');
  const nss = spec.linux.namespaces ?? [];
  checkNamespaces(nss);
  checkSysctls(spec.linux.sysctl ?? {}, nss);
  checkHooks(spec.hooks);
  const userns = nss.find((n) => n.type === 'user');
  const mapped = (spec.linux.uidMappings?.length ?? 0) + (spec.linux.gidMappings?.length ?? 0) > 0;
  if (userns && !userns.path && (!spec.linux.uidMappings?.length || !spec.linux.gidMappings?.length)) {
    throw invalidSpec('a new user namespace needs linux.uidMappings and linux.gidMappings');
  }
  if (mapped && (!userns || userns.path)) throw invalidSpec('linux.uidMappings and gidMappings need a new user namespace');

  const given = resolve(bundle, spec.root.path);
  let rootfs: string;
  try {
    // liblxc wants the real path: a symlinked rootfs is followed once, here.
    rootfs = await realpath(given);
    const st = await stat(rootfs);
    if (!st.isDirectory()) throw invalidSpec(`root.path ${echo(given)} is not a directory`);
    checkRootfsAccess(rootfs, st, spec, invalidSpec);
  } catch (err) {
    if (err instanceof RuntimeError) throw err;
    throw invalidSpec(`root.path ${echo(given)}: ${errnoCode(err) === 'ENOENT' ? 'no such directory' : errnoText(err)}`);
  }
  return rootfs;
}

function checkNamespaces(nss: Namespace[]): void {
  const seen = new Set<string>();
  for (const ns of nss) {
    if (seen.has(ns.type)) throw invalidSpec(`duplicate namespace "${ns.type}"`);
    seen.add(ns.type);
    if (!NAMESPACES[ns.type].liblxc) throw invalidSpec(`the ${ns.type} namespace is not supported by liblxc`);
    if (ns.path !== undefined) {
      if (!isAbsolute(ns.path)) throw invalidSpec(`namespace ${ns.type} path "${ns.path}" must be absolute`);
      checkNamespaceFile(ns.type, ns.path);
    }
  }
  // The spec allows sharing the runtime's mount namespace (runc then mounts into it and
  // chroots), but liblxc's lxc_setup() always runs in the namespace it starts the container
  // in: it turns that namespace's shared mounts into slaves and pivot_roots it into the
  // rootfs, detaching the old root. In the runtime's namespace that would take the host's
  // root away from every process on it; no liblxc setting skips those steps.
  if (!seen.has('mount')) {
    throw invalidSpec('a mount namespace is required: liblxc pivot_roots the namespace it sets the container up in into root.path (and makes its shared mounts slaves), which without one would be the host\'s');
  }
}
