// The process's user with the defaults runc applies: a config without process.user, or a
// user without uid or gid, runs as 0 (the schema makes every field of process.user optional).
import type { Process, User } from './types.js';

export interface ProcessUser extends User {
  uid: number;
  gid: number;
}

export function processUser(p: Pick<Process, 'user'>): ProcessUser {
  return { ...p.user, uid: p.user?.uid ?? 0, gid: p.user?.gid ?? 0 };
}
