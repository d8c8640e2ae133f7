// Which operation each container status allows, and the one wording of each refusal
// (runc's phrase "container not running: ID" where runc has one): the table every verb
// asks instead of deciding it again.
import type { Status } from '../spec/types.js';
import { notRunning, RuntimeError } from './errors.js';
import type { ContainerRecord } from './record.js';
import { containerStatus } from './status.js';

export type Operation = 'start' | 'kill' | 'exec' | 'pause' | 'resume' | 'update' | 'stats' | 'delete';

const ALLOWED: Record<Operation, readonly Status[]> = {
  start: ['created'],
  kill: ['created', 'running', 'paused'],
  exec: ['created', 'running'],
  pause: ['running'],
  resume: ['paused'],
  update: ['created', 'running', 'paused'],
  stats: ['created', 'running', 'paused'],
  delete: ['stopped'],
};

const invalidState = (id: string, what: string): RuntimeError => new RuntimeError('invalid-state', `container "${id}" ${what}`);

/** Why `op` is refused in `status`: one error with fixed wording. */
function refusal(op: Operation, status: Status, id: string): RuntimeError {
  if (op === 'delete') return invalidState(id, `is ${status}: stop it first or use --force`);
  // Without a live init there is nothing to operate on (start says what it waits for).
  if (status === 'stopped' || (status === 'creating' && op !== 'start')) return notRunning(id);
  switch (op) {
    case 'start':
      return invalidState(id, `is ${status}, not created`);
    case 'pause':
      return invalidState(id, status === 'paused' ? 'is already paused' : `is ${status}, not running`);
    case 'resume':
      return invalidState(id, `is ${status}, not paused`);
    default:
      return invalidState(id, `is ${status}`);
  }
}

/** May `op` run in `status`? */
export const allows = (op: Operation, status: Status): boolean => ALLOWED[op].includes(status);

/** The container's status now, if it allows `op`; else the refusal. */
export function checkOperation(rec: ContainerRecord, op: Operation): Status {
  const status = containerStatus(rec);
  if (!allows(op, status)) throw refusal(op, status, rec.id);
  return status;
}
