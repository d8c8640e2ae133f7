// The readiness channel of create: lxcri-init connects to <runtime dir>/init/notify before it
// unmounts its init dir, and sends "ok" or "error <code> <message>" once it has checked the
// process can be executed. With process.terminal the line is "ok console <fd> /dev/pts/N":
// the init's fd of the pty master it made in the container's devpts, for create to take.
import { chmod, chown } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { listenShort } from './shortsock.js';

export type InitReport = { ok: true; console?: InitConsole } | { ok: false; code: number; message: string };

/** The pty lxcri-init opened for process.terminal: its master's fd number in the init. */
export interface InitConsole {
  fd: number;
  /** The slave, as the container sees it. */
  name: string;
}

export interface NotifyListener {
  /** Resolves with the first report lxcri-init sends. */
  readonly report: Promise<InitReport>;
  /**
   * The report, if lxcri-init sent one, once the monitor has exited. The init reports
   * and exits before its monitor does, so its connection is queued by then; but Node may
   * hand us the monitor's exit before it accepts that connection (under load it does).
   */
  drain(): Promise<InitReport | undefined>;
  close(): void;
}

/** One turn of the event loop: its poll phase accepts and reads what is queued. */
const turn = (): Promise<void> => new Promise((res) => setImmediate(res));

export function parseReport(line: string): InitReport {
  const t = line.trim();
  if (t === 'ok') return { ok: true };
  const c = /^ok console (\d{1,9}) (\/dev\/pts\/\d{1,9})$/.exec(t);
  if (c) return { ok: true, console: { fd: Number(c[1]), name: c[2]! } };
  const m = /^error (\d+) (.*)$/s.exec(t);
  if (m) return { ok: false, code: Number(m[1]), message: m[2]! };
  return { ok: false, code: 125, message: `unexpected report from lxcri-init: ${JSON.stringify(t.slice(0, 200))}` };
}

export async function listenNotify(path: string, uid: number, gid: number): Promise<NotifyListener> {
  let resolveReport!: (r: InitReport) => void;
  let received: InitReport | undefined;
  let open = 0;
  const report = new Promise<InitReport>((r) => (resolveReport = r));
  const server: Server = createServer((sock) => {
    let buf = '';
    open++;
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.length > 8192) sock.destroy();
    });
    sock.on('end', () => {
      // lxcri-init connects long before it reports (while its init dir is still mounted):
      // a connection that ends without a line is an init that died, which the monitor's
      // exit or the death watch report with its cause.
      if (buf.trim() === '') return;
      received ??= parseReport(buf);
      resolveReport(received);
    });
    sock.on('close', () => open--);
    sock.on('error', () => undefined);
  });
  const listening = await listenShort(server, path);
  try {
    // lxcri-init connects as the process user, or as a root without DAC_OVERRIDE when it
    // fails before the switch: anyone who reaches this directory may connect.
    await chown(path, uid, gid);
    await chmod(path, 0o666);
  } catch (err) {
    listening.close();
    throw err;
  }
  const drain = async (): Promise<InitReport | undefined> => {
    // Two poll phases accept a queued connection; the init wrote and closed it before it
    // exited, so its data and end are queued as well and arrive within a few turns.
    for (let i = 0; i < 3 && !received; i++) await turn();
    const until = Date.now() + 2000;
    while (!received && open > 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 5));
    return received;
  };
  return { report, drain, close: () => listening.close() };
}
