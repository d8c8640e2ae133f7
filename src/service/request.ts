// A client's request (libexec/svcproto.h, SVC_MSG_REQUEST), checked field by field: any
// client may send anything, and a bad request must cost one error line, nothing more.
import { isAbsolute } from 'node:path';
import { decodeMessage, SVC } from '../base/svcproto.js';

export interface Request {
  cwd: string;
  argv: string[];
  env: Record<string, string>;
  /** The client's 0, 1, 2, then the fds --preserve-fds passes. */
  fds: number[];
}

/** Why a request is refused: said to the client in one line. */
export class BadRequest extends Error {}

const count = (s: string | undefined, what: string): number => {
  if (s === undefined || !/^\d{1,6}$/.test(s)) throw new BadRequest(`${what} is not a count`);
  return Number(s);
};

export function parseRequest(data: Buffer, fds: number[]): Request {
  const m = decodeMessage(data);
  if (!m) throw new BadRequest('not a message');
  if (m.type !== SVC.msg.request) throw new BadRequest(`message type ${JSON.stringify(m.type)} is no request`);
  const f = m.fields;
  if (f[0] !== SVC.version) throw new BadRequest(`protocol version ${JSON.stringify(f[0] ?? '')} (this service speaks ${SVC.version})`);
  const cwd = f[1];
  if (cwd === undefined || !isAbsolute(cwd)) throw new BadRequest('the working directory is not an absolute path');
  const argc = count(f[2], 'argc');
  const argv = f.slice(3, 3 + argc);
  if (argv.length !== argc) throw new BadRequest('argv is shorter than argc');
  const envc = count(f[3 + argc], 'envc');
  const envList = f.slice(4 + argc, 4 + argc + envc);
  if (envList.length !== envc || f.length !== 4 + argc + envc) throw new BadRequest('the environment does not match envc');
  // No prototype: a variable named __proto__ is a variable like any other.
  const env = Object.create(null) as Record<string, string>;
  for (const e of envList) {
    const eq = e.indexOf('=');
    if (eq <= 0) continue; // as a process's environ: entries without a name are ignored
    const k = e.slice(0, eq);
    if (!Object.hasOwn(env, k)) env[k] = e.slice(eq + 1); // getenv takes the first
  }
  if (fds.length < 3) throw new BadRequest(`${fds.length} file descriptors (stdin, stdout and stderr are needed)`);
  return { cwd, argv, env, fds };
}
