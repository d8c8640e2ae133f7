// service: the resident lxcri service for the root dir (src/service/server.ts). bin/lxcri
// starts it on demand, or systemd does (lxcri.socket, lxcri.service); it serves calls
// until it has been idle for --service-idle seconds, or until SIGTERM.
import { dirname, join } from 'node:path';
import type { Context } from '../context.js';
import { defineCommand } from '../command.js';

/** The socket systemd passed (sd_listen_fds: LISTEN_PID is us, one fd, at 3). */
function systemdSocket(env: Context['env']): number | undefined {
  return env.LISTEN_PID === String(process.pid) && env.LISTEN_FDS === '1' ? 3 : undefined;
}

export async function service(ctx: Context): Promise<number> {
  const rt = await ctx.runtime();
  const [{ serve }, { main }] = await Promise.all([import('../../service/server.js'), import('../main.js')]);
  // The calls load these anyway: loaded now, the first call is as quick as the next.
  await Promise.all([import('../../runtime/create.js'), import('../../runtime/exec.js'), import('../../runtime/delete.js')]);
  let stop!: () => void;
  const stopped = new Promise<void>((res) => (stop = res));
  // This process is the service: its signals and its last-resort error handling are its own.
  const onSignal = (): void => stop();
  const onStray = (err: unknown): void => ctx.log.error('lxcri service: an error no call caught', { error: err instanceof Error ? err.message : String(err) });
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('unhandledRejection', onStray);
  try {
    // The loader and the bundle next to it (lib/lxcri/): an upgrade replaces them.
    const loader = process.argv[1];
    const codeFiles = loader ? [loader, join(dirname(loader), 'lxcri-main.cjs')] : [];
    return await serve({ root: rt.config.root, idleMs: ctx.settings.serviceIdle * 1000, log: ctx.log, main, inherited: systemdSocket(ctx.env), stop: stopped, codeFiles });
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('unhandledRejection', onStray);
  }
}

export const command = defineCommand({
  usage: 'service',
  describe: 'serve lxcri calls for the root dir until idle (bin/lxcri starts it on demand, or systemd)',
  options: (a) => a,
  // Never served by a service.
  call: () => ({ id: '', inCaller: true, run: (ctx) => service(ctx) }),
});
