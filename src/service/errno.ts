// An errno number from the client (a failed fork or exec) in words, as Node words its own.
import { getSystemErrorMap } from 'node:util';

export function errnoMessage(errno: number): string {
  const known = getSystemErrorMap().get(-Math.abs(errno));
  return known ? `${known[0]}: ${known[1]}` : `errno ${errno}`;
}
