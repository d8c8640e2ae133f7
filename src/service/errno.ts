// An errno number from the client (a failed fork or exec) in words.
import { getSystemErrorName } from 'node:util';

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOEXEC: 'exec format error',
  EAGAIN: 'resource temporarily unavailable',
  ENOMEM: 'out of memory',
  EMFILE: 'too many open files',
};

export function errnoMessage(errno: number): string {
  let name: string;
  try {
    name = getSystemErrorName(-Math.abs(errno));
  } catch {
    return `errno ${errno}`;
  }
  return WORDS[name] ? `${name}: ${WORDS[name]}` : name;
}
