// A namespace joined by path must be a namespace of the type the spec says (checked with
// the NS_GET_NSTYPE ioctl: a bind-mounted namespace file shows no type in its name).
// nsfs names the types as liblxc does (net, mnt, ...).
import { lxc } from '../base/native.js';
import { errnoCode, errorMessage, invalidSpec } from '../base/errors.js';
import { echo } from '../base/message.js';
import { nsfsName } from './namespaces.js';
import type { NamespaceType } from './types.js';

export function checkNamespaceFile(type: NamespaceType, path: string): void {
  let actual: string | null;
  try {
    actual = lxc().nsType(path);
  } catch (err) {
    const why = errnoCode(err) === 'ENOENT' ? 'no such file' : errorMessage(err);
    throw invalidSpec(`${type} namespace path ${echo(path)}: ${why}`);
  }
  if (actual === null) throw invalidSpec(`${type} namespace path ${echo(path)} is not a namespace`);
  if (actual !== nsfsName(type)) {
    throw invalidSpec(`${type} namespace path ${echo(path)} is a ${actual} namespace`);
  }
}
