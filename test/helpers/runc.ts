// runc on a private root, to compare lxcri with the reference runtime on the same bundle.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { Env, runCmd, type Result } from './lxcri.js';

export const RUNC = '/usr/bin/runc';

export class Runc {
  readonly root = join('/run', `lxcri-test-runc-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);

  run(args: string[], opts: { input?: string; timeoutMs?: number; stdoutFile?: string } = {}): Promise<Result> {
    return runCmd(RUNC, ['--root', this.root, ...args], { env: process.env, ...opts });
  }

  async cleanup(): Promise<void> {
    if (!existsSync(this.root)) return;
    for (const id of readdirSync(this.root)) await this.run(['delete', '--force', id]);
    rmSync(this.root, { recursive: true, force: true });
  }
}

export type Run = (args: string[], opts?: { stdoutFile?: string }) => Promise<Result>;

/**
 * lxcri and runc side by side for a test file that compares them on the same bundles:
 * each on a private root, both cleaned up after the file.
 */
export function sideBySide(): { env: Env; runc: Runc; lxcri: Run; ref: Run } {
  const env = new Env();
  const runc = new Runc();
  afterAll(async () => {
    await env.cleanup();
    await runc.cleanup();
  });
  return { env, runc, lxcri: (args, opts) => env.run(args, opts), ref: (args, opts) => runc.run(args, opts) };
}
