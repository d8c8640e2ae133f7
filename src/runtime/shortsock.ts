// Unix sockets whose path would not fit sun_path (108 bytes): <root>/<id>/... grows with
// the root and the ID. The socket is bound through /proc/self/fd/<dir fd>/<name>, which
// the kernel resolves to the same directory entry whatever the directory's own path; the
// directory fd stays open until the server is closed, because libuv unlinks the bound
// name on close and a reused fd number would point that unlink elsewhere.
import { closeSync, constants, openSync } from 'node:fs';
import type { Server } from 'node:net';
import { basename, dirname } from 'node:path';

export interface ShortListen {
  /** Closes the server (which unlinks the socket), then the directory fd. */
  close(): void;
}

/** `server.listen` on `path` whatever its length; resolves once it listens. */
export async function listenShort(server: Server, path: string): Promise<ShortListen> {
  const dirFd = openSync(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    // Synchronous in libuv: the unlink through dirFd is done when close() returns.
    if (server.listening) server.close();
    closeSync(dirFd);
  };
  try {
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(`/proc/self/fd/${dirFd}/${basename(path)}`, () => {
        server.off('error', rej);
        res();
      });
    });
  } catch (err) {
    close();
    throw err;
  }
  return { close };
}
