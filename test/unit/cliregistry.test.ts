// The recorder behind the man pages and the completion (src/cli/doc/registry.ts) sees
// what yargs' own --help shows, for every form a command definition may take: option
// maps, aliases, choices, hidden options and commands, command modules, positionals.
import yargs, { type Argv } from 'yargs';
import { describe, expect, it } from 'vitest';
import { describeArgv, describeCli } from '../../src/cli/doc/registry.js';

const build = (y: Argv): Argv =>
  y
    .scriptName('t')
    .usage('$0 <command>')
    .version(false)
    .option('glob', { type: 'string', describe: 'a global' })
    .options({ two: { type: 'boolean', alias: 'x', describe: 'from an option map' } })
    .option('secret', { type: 'string', hidden: true })
    .command('alpha <id> [rest..]', 'first', (a) =>
      a
        .positional('id', { type: 'string', describe: 'the id' })
        .option('num', { type: 'number', default: 3, describe: 'a number' })
        .option('fmt', { alias: 'f', choices: ['x', 'y'] as const, describe: 'a choice' })
        .example('t alpha 1', 'an example'),
    )
    .command({ command: 'beta', describe: 'a module', builder: { key: { type: 'string', describe: 'from a builder map' } }, handler: () => undefined })
    .command('gamma', false, (a) => a.option('never', { type: 'boolean' }))
    .help('help')
    .alias('help', 'h')
    .epilog('the end');

/** Long options and command names of real yargs --help output. */
function yargsHelp(args: string[]): { options: string[]; commands: string[] } {
  let out = '';
  build(yargs()).exitProcess(false).parse([...args, '--help'], {}, (_e, _a, o) => {
    out = o;
  });
  return {
    options: [...out.matchAll(/^ +(?:-\w, )?--([\w-]+)/gm)].map((m) => m[1]!).sort(),
    commands: [...out.matchAll(/^ {2}t (\w+)/gm)].map((m) => m[1]!),
  };
}

describe('command line registry', () => {
  const doc = describeArgv(build);

  it('has the commands and global options --help shows', () => {
    expect(doc.name).toBe('t');
    expect(doc.usage).toBe('t <command>');
    expect(doc.commands.map((c) => c.name)).toEqual(yargsHelp([]).commands);
    expect(doc.globals.map((o) => o.name).sort()).toEqual(yargsHelp([]).options);
    expect(doc.globals.find((o) => o.name === 'two')!.aliases).toEqual(['x']);
    expect(doc.globals.find((o) => o.name === 'help')!.aliases).toEqual(['h']);
  });

  it("has each command's options and positionals as --help shows them", () => {
    for (const c of doc.commands) {
      expect([...doc.globals, ...c.options].map((o) => o.name).sort(), c.name).toEqual(yargsHelp([c.name, 'x']).options);
    }
    const alpha = doc.commands[0]!;
    expect(alpha.usage).toBe('alpha <id> [rest..]');
    expect(alpha.positionals).toMatchObject([
      { name: 'id', describe: 'the id', required: true },
      { name: 'rest', type: 'array', required: false },
    ]);
    expect(alpha.options).toMatchObject([
      { name: 'num', type: 'number', default: '3' },
      { name: 'fmt', aliases: ['f'], choices: ['x', 'y'] },
    ]);
    expect(doc.commands[1]!.options).toMatchObject([{ name: 'key', describe: 'from a builder map' }]);
  });

  it("reads lxcri's own definitions", () => {
    const cli = describeCli();
    expect(cli.commands.map((c) => c.name)).toContain('create');
    expect(cli.globals.map((o) => o.name)).toEqual(expect.arrayContaining(['root', 'log-file', 'systemd-cgroup', 'help', 'version']));
    expect(cli.commands.find((c) => c.name === 'list')!.options.find((o) => o.name === 'format')!.choices).toEqual(['table', 'json']);
  });
});
