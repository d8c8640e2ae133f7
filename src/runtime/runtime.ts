// The library API: a Runtime manages the containers under one root directory.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nullLogger, type Logger } from '../log/types.js';
import { Container, type DeleteOptions } from './container.js';
import { checkId } from './id.js';
import type { CreateRequest, Created } from './create.js';
import { deleteById } from './delete.js';
import { errnoCode, errorMessage, notFound, RuntimeError } from '../base/errors.js';
import { runtimeConfig, type RuntimeConfig, type RuntimeOptions } from './config.js';
import { localHost, type ProcessHost } from './processhost.js';
import { readRecord } from './record.js';
import { removeSpecBundle, writeSpecBundle } from './specbundle.js';

export class Runtime {
  readonly config: RuntimeConfig;
  readonly log: Logger;
  /** Who starts the monitor and lxcri-attach (see processhost.ts): this process by default. */
  readonly host: ProcessHost;

  constructor(config: RuntimeOptions = {}, log: Logger = nullLogger, host: ProcessHost = localHost) {
    this.config = runtimeConfig(config);
    this.log = log;
    this.host = host;
  }

  runtimeDir(id: string): string {
    return join(this.config.root, id);
  }

  /**
   * Create a container from a bundle directory or a spec object; it is "created" (its
   * init waiting for start) when this resolves. On failure nothing it made is left.
   */
  async create(req: CreateRequest): Promise<Created & { container: Container }> {
    if ((req.bundle === undefined) === (req.spec === undefined)) {
      throw new RuntimeError('invalid-argument', 'create needs either a bundle or a spec');
    }
    // Loaded on demand: create needs child processes, sockets and the addon; nothing else does.
    const { createContainer } = await import('./create.js');
    if (req.bundle !== undefined) return this.created(req.id, await createContainer(this.config, { ...req, bundle: req.bundle }, this.log, this.host));
    checkId(req.id);
    const bundle = await writeSpecBundle(this.config.root, req.id, req.spec!);
    try {
      return this.created(req.id, await createContainer(this.config, { ...req, bundle }, this.log, this.host));
    } catch (err) {
      await removeSpecBundle(this.config.root, bundle);
      throw err;
    }
  }

  private created(id: string, c: Created): Created & { container: Container } {
    return { ...c, container: new Container(id, c.runtimeDir, c.record, this) };
  }

  /** Load an existing container; rejects with a not-found error for unknown IDs. */
  async get(id: string): Promise<Container> {
    checkId(id);
    const dir = this.runtimeDir(id);
    const rec = await readRecord(dir).catch((err: unknown) => {
      if (err instanceof RuntimeError) throw err; // a damaged record, named as such
      throw new RuntimeError('system', `container "${id}": unreadable state: ${errorMessage(err)}`);
    });
    if (!rec) throw notFound(id);
    return new Container(id, dir, rec, this);
  }

  /** IDs of the containers under the root (hidden entries skipped). */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.config.root);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw err;
    }
    const ids: string[] = [];
    for (const n of names.sort()) {
      if (n.startsWith('.')) continue;
      if ((await stat(join(this.config.root, n)).catch(() => undefined))?.isDirectory()) ids.push(n);
    }
    return ids;
  }

  /**
   * Delete a container: stopped, or any with force (killed first). Unknown IDs are an
   * error unless forced (force is idempotent, as podman and CRI-O call it more than once).
   * Resolves with the warnings of failing poststop hooks.
   */
  async delete(id: string, opts: DeleteOptions = {}): Promise<string[]> {
    return deleteById(this.config, id, opts.force ?? false, this.log);
  }
}
