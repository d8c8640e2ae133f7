// The resident lxcri service: one per root dir (it holds <root>/.lxcri.lock while it
// runs), listening on <root>/.lxcri.sock (0600), or on the socket systemd passes
// (lxcri.socket). Root callers only; each connection is one call (call.ts). It exits after
// an idle time: everything a container is stays in the root dir, so a new service, or a
// call run in-process, sees exactly what this one saw.
import { closeSync, constants, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, errorMessage, RuntimeError } from '../base/errors.js';
import { lxc } from '../base/native.js';
import { SVC } from '../base/svcproto.js';
import { Channel } from './channel.js';
import type { Logger } from '../log/types.js';
import { namespacesOf, serveCall, type Main } from './call.js';
import { KeyedMutex } from './keyedmutex.js';

export interface ServeOptions {
  root: string;
  idleMs: number;
  log: Logger;
  main: Main;
  /** The listening socket systemd passed (LISTEN_FDS), instead of binding one. */
  inherited?: number;
  /** Resolves when the service should stop (SIGTERM). */
  stop?: Promise<void>;
  /** The files of its code: once one is replaced (an upgrade), it stops, and the next call starts the new code. */
  codeFiles?: string[];
}

/** Inode and mtime of each file: what an install changes. */
function stampOf(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const st = statSync(f);
        return `${st.ino}:${st.mtimeMs}`;
      } catch {
        return 'missing';
      }
    })
    .join(' ');
}

/** How often the service looks whether its socket is still its own (a removed root dir). */
const CHECK_MS = 1000;

export async function serve(o: ServeOptions): Promise<number> {
  mkdirSync(o.root, { recursive: true, mode: 0o711 });
  const lock = openSync(join(o.root, SVC.lock), constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    if (!lxc().flock(lock, 'exclusive')) throw new RuntimeError('exists', `another lxcri service serves ${o.root}`);
    return await listen(o);
  } finally {
    closeSync(lock);
  }
}

async function listen(o: ServeOptions): Promise<number> {
  const path = join(o.root, SVC.socket);
  let fd: number;
  if (o.inherited !== undefined) {
    fd = o.inherited;
  } else {
    // A socket left by a service that died: the lock says none serves it now.
    try {
      unlinkSync(path);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    fd = lxc().seqpacketListen(path, 0o600);
  }
  // systemd owns an inherited socket's path; our own is looked at (a removed root dir ends us).
  const ino = o.inherited === undefined ? statSync(path).ino : undefined;
  const calls = new KeyedMutex();
  let active = 0;
  let lastCall = Date.now();
  const svc = { root: o.root, log: o.log, calls, main: o.main, namespaces: namespacesOf('self') };
  o.log.info('lxcri service started', { root: o.root, socket: path, inherited: o.inherited !== undefined });

  const accept = (): void => {
    for (;;) {
      let peer: ReturnType<ReturnType<typeof lxc>['seqpacketAccept']>;
      try {
        peer = lxc().seqpacketAccept(fd);
      } catch (err) {
        o.log.warn('lxcri service: accept failed', { error: errorMessage(err) });
        return;
      }
      if (!peer) return;
      if (peer.uid !== 0) {
        // The socket is 0600 root; a process that still reaches it (passed the fd) is refused.
        o.log.warn('lxcri service: refused a caller that is not root', { pid: peer.pid, uid: peer.uid });
        refuse(peer.fd, `lxcri: the lxcri service serves root only (uid ${peer.uid})\n`);
        continue;
      }
      active++;
      void serveCall(peer.fd, peer, svc).finally(() => {
        active--;
        lastCall = Date.now();
      });
    }
  };
  const watch = lxc().watchReadable(fd, accept);

  const stillOurs = (): boolean => {
    if (ino === undefined) return true;
    try {
      return statSync(path).ino === ino;
    } catch {
      return false;
    }
  };
  const code = stampOf(o.codeFiles ?? []);
  await new Promise<void>((res) => {
    const tick = setInterval(() => {
      const idle = active === 0 && Date.now() - lastCall >= o.idleMs;
      if (idle || !stillOurs() || stampOf(o.codeFiles ?? []) !== code) {
        clearInterval(tick);
        res();
      }
    }, Math.min(CHECK_MS, Math.max(50, o.idleMs / 4)));
    void o.stop?.then(() => {
      clearInterval(tick);
      res();
    });
  });
  // New clients find no socket (and start a new service, which waits for our lock);
  // those already queued are served first.
  if (o.inherited === undefined && stillOurs()) unlinkSync(path);
  accept();
  watch.close();
  while (active > 0) await new Promise((r) => setTimeout(r, 20));
  closeSync(fd);
  o.log.info('lxcri service stopped', { root: o.root });
  return 0;
}

/** Answers a refused caller's request (read first: closing on an unread request would reset the connection, and the answer with it). */
function refuse(fd: number, text: string): void {
  let answered = false;
  const answer = (): void => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    try {
      ch.send(SVC.msg.exit, ['1', text]);
    } catch {
      /* it is gone */
    }
    ch.close();
  };
  const ch = new Channel(fd, {
    message: (_data, fds) => {
      for (const f of fds) closeSync(f);
      answer();
    },
    end: answer,
  });
  const timer = setTimeout(answer, 1000);
}
