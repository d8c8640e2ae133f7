// One call served: the client's request, the command handler run as the CLI runs it
// (cli/main.ts) with the client's directory, environment and fds, the helpers started by
// the client (clienthost.ts), and the exit code sent back. A failing call fails alone.
import { closeSync, readlinkSync } from 'node:fs';
import { errorMessage } from '../base/errors.js';
import { decodeMessage, SVC } from '../base/svcproto.js';
import { RunInCaller, type CallSite, type Env, type Stdio } from '../cli/context.js';
import type { Logger } from '../log/types.js';
import { Channel } from './channel.js';
import { ClientHost } from './clienthost.js';
import type { KeyedMutex } from './keyedmutex.js';
import { BadRequest, parseRequest, type Request } from './request.js';

/** The CLI's entry (cli/main.ts main), as the service calls it. */
export type Main = (args: string[], env: Env, stdio: Stdio, site: CallSite) => Promise<number>;

export interface Service {
  /** The root this service serves (absolute). */
  root: string;
  log: Logger;
  calls: KeyedMutex;
  main: Main;
  /** The service's own mount and PID namespaces (a caller outside them runs in-process). */
  namespaces: Namespaces;
}

export interface Namespaces {
  mnt: string;
  pid: string;
}

/** The mount and PID namespaces of a process ('self': ours), as their /proc links name them. */
export function namespacesOf(pid: number | 'self'): Namespaces {
  return { mnt: readlinkSync(`/proc/${pid}/ns/mnt`), pid: readlinkSync(`/proc/${pid}/ns/pid`) };
}

export interface Peer {
  pid: number;
  uid: number;
}

/** Serves the call on a new connection; resolves once it is over and the connection closed. */
export function serveCall(fd: number, peer: Peer, svc: Service): Promise<void> {
  return new Promise<void>((done) => {
    let host: ClientHost | undefined;
    let request: Request | undefined;
    const channel: Channel = new Channel(fd, {
      message: (data, fds) => {
        if (!request) {
          try {
            request = parseRequest(data, fds);
          } catch (err) {
            for (const f of fds) closeSync(f);
            const why = err instanceof BadRequest ? err.message : errorMessage(err);
            svc.log.warn('bad request to the lxcri service', { pid: peer.pid, error: why });
            finish(1, `lxcri: bad request to the lxcri service: ${why}\n`);
            return;
          }
          void run(request);
          return;
        }
        for (const f of fds) closeSync(f); // nothing after the request carries fds
        const m = decodeMessage(data);
        if (!m || !host?.receive(m.type, m.fields)) {
          svc.log.warn('malformed message from a client of the lxcri service', { pid: peer.pid });
          channel.close();
          host?.lost();
        }
      },
      end: (reason) => {
        if (reason) svc.log.debug('a client of the lxcri service is gone', { pid: peer.pid, error: reason.message });
        host?.lost();
        if (!request) closeAll();
      },
    });

    const closeAll = (): void => {
      for (const f of request?.fds.splice(0) ?? []) closeSync(f);
      channel.close();
      done();
    };

    const reply = (type: string, fields: string[]): void => {
      try {
        channel.send(type, fields);
      } catch (err) {
        svc.log.debug('cannot answer a client of the lxcri service', { pid: peer.pid, error: errorMessage(err) });
      }
    };
    const finish = (code: number, text = ''): void => {
      reply(SVC.msg.exit, [String(code), text]);
      closeAll();
    };

    const run = async (req: Request): Promise<void> => {
      if (!sameNamespaces(peer.pid, svc.namespaces)) {
        // Its paths and PIDs would not be ours.
        reply(SVC.msg.local, []);
        closeAll();
        return;
      }
      const stdio = { stdin: req.fds[0]!, stdout: req.fds[1]!, stderr: req.fds[2]! };
      const h = (host = new ClientHost((type, fields, fds) => channel.send(type, fields, fds), [stdio.stdin, stdio.stdout, stdio.stderr], req.fds.slice(3)));
      try {
        const code = await svc.main(req.argv, req.env, stdio, { cwd: req.cwd, host: h, root: svc.root, serialize: (key, fn) => svc.calls.run(key, fn) });
        finish(code);
      } catch (err) {
        if (err instanceof RunInCaller && !h.started) {
          reply(SVC.msg.local, []);
          closeAll();
          return;
        }
        svc.log.error('lxcri service call failed', { error: errorMessage(err) });
        finish(1, `lxcri: internal error: ${errorMessage(err)}\n`);
      }
    };
  });
}

/** Whether the peer sees the files and PIDs the service sees. */
function sameNamespaces(pid: number, own: Namespaces): boolean {
  try {
    const peer = namespacesOf(pid);
    return peer.mnt === own.mnt && peer.pid === own.pid;
  } catch {
    return false;
  }
}
