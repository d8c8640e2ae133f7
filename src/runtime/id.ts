// Container IDs: they name a directory, a liblxc container and cgroups.
import { RuntimeError } from '../base/errors.js';

/**
 * The longest ID: <root>/<id> is a directory entry (255 bytes at most) and liblxc locks
 * the container with a file named ".<id>" (one more), so 254. Nothing else derived from
 * the ID depends on its length (sockets are reached through short paths, see shortsock.ts).
 */
export const MAX_ID_LENGTH = 254;

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/** The ID as error messages show it: a long one cut. */
const shown = (id: string): string => (id.length > 64 ? `${id.slice(0, 64)}...` : id);

export function checkId(id: string): void {
  if (id.length > MAX_ID_LENGTH) {
    throw new RuntimeError(
      'invalid-argument',
      `invalid container ID "${shown(id)}" (${id.length} characters): at most ${MAX_ID_LENGTH}, as liblxc's lock file ".<id>" must fit a 255-byte file name`,
    );
  }
  if (!ID_RE.test(id)) {
    throw new RuntimeError('invalid-argument', `invalid container ID "${shown(JSON.stringify(id).slice(1, -1))}": use letters, digits and _ . + - (not first)`);
  }
}
