// The lxcri command line as yargs sees it: the global options and every command of the
// table (commands/index.ts), as --help shows them. main.ts parses with it; the man pages
// and the completion are made from it (doc/registry.ts).
import type { Argv } from 'yargs';
import type { Call, Trailing } from './command.js';
import { COMMANDS } from './commands/index.js';
import { globalOptions, type GlobalArgs } from './globals.js';

export function cli(y: Argv, chosen: (cmd: string, call: Call) => void, trailing: Trailing = { words: [], env: [] }): Argv<GlobalArgs> {
  let a = globalOptions(y.version(false));
  for (const c of COMMANDS) a = c.register(a, (call) => chosen(c.name, call), trailing);
  return a
    .scriptName('lxcri')
    .usage('$0 [global options] <command> [options] <id>')
    .help('help')
    .option('version', { alias: 'v', type: 'boolean', describe: 'print the version' })
    .alias('help', 'h');
}
