/**
 * Surface of the native addon `build/Release/lxcri_native.node` (C++ sources
 * in `native/`): a thin 1:1 layer over liblxc. This file is the only
 * declaration of that surface.
 *
 * Load it with `createRequire(import.meta.url)(pathToNodeFile) as NativeModule`.
 *
 * Errors: a failing liblxc call throws (or, for the Promise-returning
 * methods, rejects with) a {@link NativeError} whose message is
 * `<what failed>: <liblxc's own reason>`, e.g.
 * `setConfigItem lxc.foo.bar=1: Invalid argument - Unsupported config key "lxc.foo.bar"`.
 * System calls that fail throw an Error whose `code` is the errno name ('ENOENT') and
 * `errno` its negated number, as Node's own system errors.
 * Arguments of the wrong type throw a plain `TypeError`.
 */

/** Error raised when a liblxc call fails. */
export interface NativeError extends Error {
  /**
   * The message part of every line liblxc logged (ERROR level) during the
   * failed call, oldest first; the last one is the reason in `message`.
   * Empty when liblxc logged nothing.
   */
  readonly lxcLog: readonly string[];
}

/** One `struct lxc_container` handle (`lxc_container_new`). */
export interface NativeContainer {
  /**
   * Drops this handle's reference (`lxc_container_put`). Idempotent; every
   * other method throws afterwards. A garbage-collected handle that was never
   * released is put by its finalizer. A pending initPid() call keeps
   * its own reference and still settles.
   */
  release(): void;

  /** Drops the in-memory configuration (`c->clear_config`). */
  clearConfig(): void;

  /**
   * Writes the in-memory configuration to `path` (`c->save_config`).
   * Note: liblxc also creates the directory `<lxcpath>/<name>/` and fails if
   * it cannot (e.g. `<lxcpath>` missing). If no configuration is in memory
   * (fresh handle without a config file, or after clearConfig()), liblxc
   * first loads lxc.default_config (/etc/lxc/default.conf) and saves that.
   */
  saveConfig(path: string): void;

  /** `c->set_config_item`. Unknown keys and invalid values throw. */
  setConfigItem(key: string, value: string): void;

  /** `c->init_pid`, off the JS thread; -1 when the container is not running. */
  initPid(): Promise<number>;
}

export type NsTypeName = 'net' | 'uts' | 'ipc' | 'pid' | 'mnt' | 'user' | 'cgroup' | 'time';

/** One step of the mount-point walk (mountPointStep). */
export interface MountPointStep {
  fd: number;
  type: 'dir' | 'file' | 'link' | 'other' | 'missing';
  /** A symlink's target, read through the fd (never followed). */
  target?: string;
  /** Made by this step. */
  made: boolean;
}

/** A connection seqpacketAccept took, with its peer's credentials (SO_PEERCRED). */
export interface SeqpacketPeer {
  /** The connection: non-blocking and close-on-exec; the caller closes it. */
  fd: number;
  pid: number;
  uid: number;
  gid: number;
}

/** One message seqpacketRecv took. */
export interface SeqpacketMessage {
  /** Its bytes; empty (and `fds` too) when the peer closed. */
  data: Buffer;
  /** The fds it carried (SCM_RIGHTS), close-on-exec, in order; the caller closes them. */
  fds: number[];
}

/** What watchReadable returns. */
export interface ReadableWatch {
  /** Stops watching and frees the handle (on the loop's next turn). Idempotent; safe inside
   * onReadable; must come before the caller closes the fd. */
  close(): void;
  /** The handle keeps the event loop alive again (the default). */
  ref(): void;
  /** The handle no longer keeps the event loop alive. */
  unref(): void;
}

/** The addon module. */
export interface NativeModule {
  /** `lxc_get_version()`, e.g. "5.0.2". */
  version(): string;

  /**
   * `lxc_container_new(name, lxcpath)`; throws if liblxc returns NULL.
   * Does not create anything on disk.
   */
  Container: new (name: string, lxcpath: string) => NativeContainer;

  /** `mkfifo(path, mode)` with exactly that mode (the umask does not apply). */
  mkfifo(path: string, mode: number): void;

  /**
   * The type of the namespace an nsfs file refers to (ioctl NS_GET_NSTYPE), as liblxc
   * names it: "net", "uts", "ipc", "pid", "mnt", "user", "cgroup", "time"; null when the
   * file is not a namespace. Throws (a system error: `code` as Node's, e.g. 'ENOENT') when it cannot be opened.
   */
  nsType(path: string): NsTypeName | null;

  /**
   * A new pseudo-terminal pair: the master from `posix_openpt`, or from opening `ptmx`
   * (another devpts instance's ptmx, e.g. `/proc/PID/root/dev/pts/ptmx`), unlocked
   * (TIOCSPTLCK), the slave through `TIOCGPTPEER`. Both fds are close-on-exec and opened
   * with O_NOCTTY; `name` is `/dev/pts/N` (TIOCGPTN), N in that devpts instance. The
   * caller closes both (fs.closeSync).
   */
  openpty(ptmx?: string): { master: number; slave: number; name: string };

  /**
   * Clears (true) or sets (false) FD_CLOEXEC on `fd`. Node makes the fds it inherited
   * close-on-exec; a process that lxcri-attach forks from this one gets an fd only
   * when it is inheritable. Throws (a system error: `code` as Node's, e.g. 'ENOENT') for a bad fd.
   */
  setInheritable(fd: number, inheritable: boolean): void;

  /**
   * A memfd copy of the file at `path` (named `name`), mode 0555, sealed against writes,
   * growth and shrinking: its close-on-exec fd, for the caller to close.
   */
  sealedCopy(path: string, name: string): number;

  /** A memfd named `name` holding `data` (offset 0), sealed against every change: its close-on-exec fd, for the caller to close. */
  sealedData(name: string, data: Buffer): number;

  /** Sets PR_SET_CHILD_SUBREAPER for this process; returns whether it was set before. */
  childSubreaper(on: boolean): boolean;

  /**
   * `waitpid(pid, WNOHANG)` for a child of this process that Node did not spawn (an
   * attached process): its raw wait status once it has ended, which reaps it; null while
   * it runs. Throws (`code` ECHILD) when `pid` is no child of this process.
   */
  reap(pid: number): number | null;

  /**
   * Sets the propagation of the root mount of `pid`'s mount namespace (not recursive).
   * Throws (a system error: `code` as Node's, e.g. 'ENOENT') when the namespace cannot be entered or the mount changed.
   */
  setRootPropagation(pid: number, kind: 'shared' | 'slave' | 'private' | 'unbindable'): void;

  /**
   * `flock(fd, LOCK_SH|LOCK_NB)` ("shared"), `LOCK_EX|LOCK_NB` ("exclusive") or `LOCK_UN`
   * ("unlock"): true when done, false when another open file holds a conflicting lock.
   * Throws (a system error: `code` as Node's, e.g. 'ENOENT') on any other failure.
   */
  flock(fd: number, op: 'shared' | 'exclusive' | 'unlock'): boolean;

  /** `pipe2(O_CLOEXEC)`: [read end, write end]; the caller closes both (fs.closeSync). */
  pipe(): [number, number];

  /**
   * An O_PATH fd of the directory `path` (symlinks followed: a rootfs or bind source the
   * operator named). The caller closes it (fs.closeSync). Throws (a system error: `code` as Node's, e.g. 'ENOENT').
   */
  openDirPath(path: string): number;

  /**
   * One step of an fd walk (src/lxc/mountpoints.ts): opens `name` (one component) in
   * `dirfd` with O_PATH|O_NOFOLLOW, making it first with mkdirat or openat(O_EXCL) when it
   * is missing and `create` says what to make. A symlink is not followed: its target is
   * returned. `fd` is -1 with type "missing" when it is missing and create is null;
   * otherwise the caller closes it. inheritOwner: what is made gets dirfd's owner.
   */
  mountPointStep(dirfd: number, name: string, create: 'dir' | 'file' | null, inheritOwner: boolean): MountPointStep;

  /** `ioctl(fd, TIOCSWINSZ)` with these rows and columns (0 to 65535). */
  setWinsize(fd: number, rows: number, cols: number): void;

  /**
   * Connects to the SOCK_STREAM unix socket `socketPath` and sends one message: the
   * non-empty `payload` with exactly `fd` attached (SCM_RIGHTS). Blocks until sent.
   * Throws (a system error: `code` as Node's, e.g. 'ENOENT') when connecting or sending fails.
   */
  sendFd(socketPath: string, fd: number, payload: string): void;

  /** Puts the terminal `fd` in raw mode; its previous settings (for termRestore), or null
   * when `fd` is not a terminal. */
  termRaw(fd: number): Buffer | null;

  /** Gives the terminal `fd` the settings termRaw returned. */
  termRestore(fd: number, saved: Buffer): void;

  /** `ioctl(fd, TIOCGWINSZ)`; null when `fd` is not a terminal. */
  getWinsize(fd: number): { rows: number; cols: number } | null;

  /** A close-on-exec duplicate of fd `fd` of process `pid` (pidfd_getfd). */
  pidfdGetfd(pid: number, fd: number): number;

  /**
   * Copies `input` (-1: none) to the pty `master` and the master to `output` on the thread
   * pool. `done` resolves once no slave is open any more, or once the caller has closed
   * `stop` (a pipe's write end) and what the master held is copied; rejects on a read or
   * write error of the pty. The caller keeps its fds open until `done` settles.
   */
  relayPty(input: number, output: number, master: number): { done: Promise<void>; stop: number };

  /**
   * A listening AF_UNIX SOCK_SEQPACKET socket at `path` (the lxcri service socket,
   * libexec/svcproto.h): non-blocking, close-on-exec, backlog 128, its file's mode `mode`
   * (chmod after bind, before listen: nobody connects while the mode is the umask's). A
   * path longer than sun_path is bound through /proc/self/fd/N/<name> of an O_PATH fd of
   * its directory. An existing file at `path` throws 'EADDRINUSE' (the caller removes a
   * stale socket first). Throws (a system error: `code` as Node's) and leaves no file
   * behind when it fails.
   */
  seqpacketListen(path: string, mode: number): number;

  /** `accept4(SOCK_NONBLOCK|SOCK_CLOEXEC)` and the peer's SO_PEERCRED; null when no
   * connection waits (EAGAIN). */
  seqpacketAccept(fd: number): SeqpacketPeer | null;

  /**
   * One message (`recvmsg`, MSG_DONTWAIT|MSG_CMSG_CLOEXEC); null when none waits (EAGAIN).
   * A message longer than `maxBytes`, with more than `maxFds` fds (at most 253) or with
   * other control data is consumed, every fd it carried closed, and a system error with
   * `code` 'EMSGSIZE' thrown.
   */
  seqpacketRecv(fd: number, maxBytes: number, maxFds: number): SeqpacketMessage | null;

  /**
   * Sends `data` as one message with `fds` attached (SCM_RIGHTS), MSG_NOSIGNAL. When the
   * socket is full it waits (poll, on this thread) up to `timeoutMs`, then throws `code`
   * 'ETIMEDOUT'. Any other failure (EPIPE when the peer closed, ...) throws.
   */
  seqpacketSend(fd: number, data: Buffer, fds: number[], timeoutMs: number): void;

  /**
   * Calls `onReadable` on the event loop whenever `fd` is readable, or hung up (POLLHUP),
   * or once more on POLLERR (libuv then stops watching; the caller's read sees the error).
   * A uv_poll_t: it keeps the loop alive until close() or unref(), and keeps working when
   * the returned object is garbage-collected. Throws (a system error) for an fd epoll
   * cannot watch ('EPERM': a regular file) or one the loop already watches ('EEXIST').
   * An exception from onReadable is an uncaught exception.
   */
  watchReadable(fd: number, onReadable: () => void): ReadableWatch;
}
