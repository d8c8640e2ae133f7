// Every command of the CLI, in --help's order: main.ts parses with this table, and the man
// pages and the completion are made from it (doc/registry.ts).
import type { Command } from '../command.js';
import { command as create } from './create.js';
import { command as del } from './delete.js';
import { command as events } from './events.js';
import { command as exec } from './exec.js';
import { command as features } from './features.js';
import { command as inspect } from './inspect.js';
import { command as kill } from './kill.js';
import { command as list } from './list.js';
import { command as pause, resumeCommand as resume } from './pause.js';
import { command as ps } from './ps.js';
import { command as run } from './run.js';
import { command as service } from './service.js';
import { command as spec } from './spec.js';
import { command as start } from './start.js';
import { command as state } from './state.js';
import { command as update } from './update.js';

export const COMMANDS: readonly Command[] = [create, start, state, kill, del, inspect, pause, resume, update, list, exec, spec, ps, events, features, run, service];
