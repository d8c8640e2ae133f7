// The wire between the lxcri client (bin/lxcri) and the resident service: defined for C in
// libexec/svcproto.h, which says what each message holds; test/unit/svcproto.test.ts holds
// the two to the same values (SVC.msg.spawn is SVC_MSG_SPAWN there).
export const SVC = {
  version: '1',
  socket: '.lxcri.sock',
  lock: '.lxcri.lock',
  maxMsg: 65536,
  maxFds: 64,
  msg: {
    request: 'Q',
    spawned: 'P',
    failed: 'F',
    ended: 'W',
    spawn: 'S',
    kill: 'K',
    exit: 'X',
    local: 'L',
  },
  spawn: {
    setsid: 's',
  },
} as const;

/** One message: its type and NUL-terminated fields. */
export function encodeMessage(type: string, fields: ReadonlyArray<string>): Buffer {
  const parts = [Buffer.from(type, 'latin1')];
  for (const f of fields) {
    if (f.includes('\0')) throw new Error('a message field must not contain NUL');
    parts.push(Buffer.from(f, 'utf8'), Buffer.alloc(1));
  }
  const out = Buffer.concat(parts);
  if (out.length > SVC.maxMsg) throw new Error(`a message of ${out.length} bytes exceeds ${SVC.maxMsg}`);
  return out;
}

/** A message's type and fields; null when it is malformed (no type, a field without its NUL). */
export function decodeMessage(data: Buffer): { type: string; fields: string[] } | null {
  if (data.length < 1) return null;
  const fields: string[] = [];
  let at = 1;
  while (at < data.length) {
    const nul = data.indexOf(0, at);
    if (nul < 0) return null;
    fields.push(data.toString('utf8', at, nul));
    at = nul + 1;
  }
  return { type: String.fromCharCode(data[0]!), fields };
}
