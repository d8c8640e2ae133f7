// The library API: a Runtime manages the containers under one root directory.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { nullLogger, type Logger } from '../log/types.js';
import { Container } from './container.js';
import { checkId } from './id.js';
import type { CreateRequest, Created } from './create.js';
import { deleteContainer } from './delete.js';
import { errnoCode, notFound, RuntimeError } from './errors.js';
import { runtimeConfig, type RuntimeConfig } from './config.js';
import { readRecord } from './record.js';

export class Runtime {
  readonly config: RuntimeConfig;
  readonly log: Logger;

  constructor(config: Partial<RuntimeConfig> = {}, log: Logger = nullLogger) {
    this.config = runtimeConfig(config);
    this.log = log;
  }

  runtimeDir(id: string): string {
    return join(this.config.root, id);
  }

  /** Create a container from a bundle; it is "created" when this resolves. */
  async create(req: CreateRequest): Promise<Created & { container: Container }> {
    // Loaded on demand: create needs child processes, sockets and the addon; nothing else does.
    const { createContainer } = await import('./create.js');
    const created = await createContainer(this.config, req, this.log);
    return { ...created, container: new Container(req.id, created.runtimeDir, created.record) };
  }

  /** Load an existing container; rejects with a not-found error for unknown IDs. */
  async get(id: string): Promise<Container> {
    checkId(id);
    const dir = this.runtimeDir(id);
    const rec = await readRecord(dir).catch((err: unknown) => {
      throw new RuntimeError('system', `container "${id}": unreadable state: ${String(err)}`);
    });
    if (!rec) throw notFound(id);
    return new Container(id, dir, rec);
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
   * Delete a container. Unknown IDs are an error unless forced (force is idempotent, as
   * podman and CRI-O call it more than once).
   */
  async delete(id: string, opts: { force?: boolean } = {}): Promise<string[]> {
    checkId(id);
    const dir = this.runtimeDir(id);
    try {
      await stat(dir);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        if (opts.force) return [];
        throw notFound(id);
      }
      throw err;
    }
    const rec = await readRecord(dir).catch(() => undefined);
    return deleteContainer(dir, rec, opts.force ?? false, this.config.timeouts.delete, this.log);
  }
}
