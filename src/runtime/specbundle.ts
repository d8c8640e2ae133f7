// Private bundles: Runtime.create with a spec object writes it to <root>/.bundles/<id>-XXXXXX/
// config.json (hidden from list; a unique name, so concurrent creates never share one).
// The container's state.bundle is that directory; delete removes it with the container.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Spec } from '../spec/types.js';
import { errorMessage, RuntimeError } from '../base/errors.js';

const BUNDLES = '.bundles';

export async function writeSpecBundle(root: string, id: string, spec: Spec): Promise<string> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new RuntimeError('invalid-spec', 'spec: expected a runtime-spec config object');
  }
  const copy: Spec = { ...spec };
  // The bundle moves: a relative root.path keeps meaning what it meant to the caller.
  if (typeof copy.root?.path === 'string') copy.root = { ...copy.root, path: resolve(copy.root.path) };
  let text: string;
  try {
    text = JSON.stringify(copy);
  } catch (err) {
    throw new RuntimeError('invalid-spec', `spec: not serializable as JSON: ${errorMessage(err)}`);
  }
  // The root as create makes it (0711: mapped container roots search it), then ours.
  await mkdir(resolve(root), { recursive: true, mode: 0o711 });
  const parent = join(resolve(root), BUNDLES);
  await mkdir(parent, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(parent, `${id}-`));
  try {
    await writeFile(join(dir, 'config.json'), text, { mode: 0o600 });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/** Removes `bundle` if it is one of this root's private bundles (a caller's bundle is never touched). */
export async function removeSpecBundle(root: string, bundle: string | undefined): Promise<void> {
  if (bundle && dirname(bundle) === join(resolve(root), BUNDLES)) await rm(bundle, { recursive: true, force: true });
}

/** The private bundles of container `id` (<id>-XXXXXX): a damaged record no longer names its own. */
export async function privateBundlesOf(root: string, id: string): Promise<string[]> {
  const parent = join(resolve(root), BUNDLES);
  const names = await readdir(parent).catch(() => [] as string[]);
  return names.filter((n) => n.length === id.length + 7 && n.startsWith(`${id}-`)).map((n) => join(parent, n));
}
