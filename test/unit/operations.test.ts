// The status × operation table: what each status allows and the one wording of each refusal.
import { describe, expect, it } from 'vitest';
import { allows, type Operation } from '../../src/runtime/operations.js';
import type { Status } from '../../src/spec/types.js';

const STATUSES: Status[] = ['creating', 'created', 'running', 'paused', 'stopped'];
const OPS: Operation[] = ['start', 'kill', 'exec', 'pause', 'resume', 'update', 'stats', 'delete'];

describe('operations', () => {
  it('allows each operation in exactly the statuses runc allows it in', () => {
    const table = Object.fromEntries(OPS.map((op) => [op, STATUSES.filter((s) => allows(op, s))]));
    expect(table).toEqual({
      start: ['created'],
      kill: ['created', 'running', 'paused'],
      exec: ['created', 'running'],
      pause: ['running'],
      resume: ['paused'],
      update: ['created', 'running', 'paused'],
      stats: ['created', 'running', 'paused'],
      delete: ['stopped'],
    });
  });
});
