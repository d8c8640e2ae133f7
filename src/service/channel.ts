// One connection of the service socket: whole messages in and out (SOCK_SEQPACKET) with
// the fds they carry, read on the event loop as they come.
import { closeSync } from 'node:fs';
import { lxc } from '../base/native.js';
import { encodeMessage, SVC } from '../base/svcproto.js';

/** How long a send may wait for a client that does not read (its socket buffer full). */
const SEND_TIMEOUT_MS = 5000;

export interface ChannelEvents {
  /** A message and the fds it carried (the receiver owns them). */
  message(data: Buffer, fds: number[]): void;
  /** The peer closed, or its socket failed: no message comes any more. */
  end(reason?: Error): void;
}

export class Channel {
  private readonly watch: ReturnType<ReturnType<typeof lxc>['watchReadable']>;
  private open = true;
  private closed = false;

  constructor(
    readonly fd: number,
    private readonly on: ChannelEvents,
  ) {
    this.watch = lxc().watchReadable(fd, () => this.readable());
  }

  private readable(): void {
    while (this.open) {
      let m: { data: Buffer; fds: number[] } | null;
      try {
        m = lxc().seqpacketRecv(this.fd, SVC.maxMsg, SVC.maxFds);
      } catch (err) {
        this.stop();
        this.on.end(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (m === null) return;
      if (m.data.length === 0) {
        for (const fd of m.fds) closeSync(fd);
        this.stop();
        this.on.end();
        return;
      }
      try {
        this.on.message(m.data, m.fds);
      } catch (err) {
        // A failing call fails alone: this connection ends, the service goes on.
        this.stop();
        this.on.end(err instanceof Error ? err : new Error(String(err)));
        return;
      }
    }
  }

  /** Sends one message; throws when the peer is gone or does not read. */
  send(type: string, fields: ReadonlyArray<string>, fds: ReadonlyArray<number> = []): void {
    if (!this.open) throw new Error('the client is gone');
    lxc().seqpacketSend(this.fd, encodeMessage(type, fields), [...fds], SEND_TIMEOUT_MS);
  }

  /** No more reading; the socket stays until close(). */
  private stop(): void {
    if (!this.open) return;
    this.open = false;
    this.watch.close();
  }

  /** Closes the socket (once). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop();
    closeSync(this.fd);
  }
}
