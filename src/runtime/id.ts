// Container IDs: they name a directory, a liblxc container and cgroups.
import { RuntimeError } from './errors.js';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,1023}$/;

export function checkId(id: string): void {
  if (!ID_RE.test(id)) {
    throw new RuntimeError('invalid-argument', `invalid container ID "${id}": use letters, digits and _ . + - (not first)`);
  }
}
