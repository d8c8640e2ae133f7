// The command line as data, read from the same definitions --help shows (parser.ts `cli`):
// a recorder that stands in for yargs notes every command, option and positional the
// definitions declare. The man pages and the shell completion are made from this, so a
// command or option added to the CLI appears in both without a list kept by hand.
import type { Argv, Options, PositionalOptions } from 'yargs';
import { cli } from '../parser.js';

export interface OptionDoc {
  name: string;
  /** Other spellings without dashes ("b" for -b). */
  aliases: string[];
  type: 'string' | 'boolean' | 'number' | 'count' | 'array';
  describe: string;
  default?: string;
  choices?: string[];
  required: boolean;
}

export interface CommandDoc {
  name: string;
  /** The command as defined, e.g. "kill <id> [signal]". */
  usage: string;
  describe: string;
  positionals: OptionDoc[];
  options: OptionDoc[];
}

export interface CliDoc {
  name: string;
  usage: string;
  globals: OptionDoc[];
  commands: CommandDoc[];
}

type YargsOptions = Options | PositionalOptions;

function optionDoc(name: string, o: YargsOptions): OptionDoc {
  const alias = o.alias === undefined ? [] : Array.isArray(o.alias) ? o.alias : [o.alias];
  const opt = o as Options;
  // yargs takes the type from `type` or from a flag such as `boolean: true`.
  const type = o.array ? 'array' : opt.count ? 'count' : opt.boolean ? 'boolean' : opt.number ? 'number' : (o.type ?? 'string');
  const doc: OptionDoc = {
    name,
    aliases: alias.map(String),
    type: type === 'array' || type === 'count' || type === 'boolean' || type === 'number' ? type : 'string',
    describe: String(o.describe ?? opt.description ?? opt.desc ?? ''),
    required: Boolean(o.demandOption),
  };
  if (o.default !== undefined) doc.default = String(o.default);
  if (o.choices !== undefined) doc.choices = (Array.isArray(o.choices) ? o.choices : [o.choices]).map(String);
  return doc;
}

/** A stand-in for yargs that records what a builder declares. */
class Recorder {
  script = '';
  usageText = '';
  readonly opts = new Map<string, OptionDoc>();
  readonly posits = new Map<string, OptionDoc>();
  readonly cmds: CommandDoc[] = [];

  /** The recorder behind a Proxy, so that any yargs method it does not know chains on. */
  asArgv(): Argv {
    const self: Argv = new Proxy(this, {
      get(target, prop) {
        const v = (target as unknown as Record<string | symbol, unknown>)[prop];
        if (typeof v !== 'function') return () => self;
        return (...args: unknown[]) => {
          (v as (...a: unknown[]) => unknown).apply(target, args);
          return self;
        };
      },
    }) as unknown as Argv;
    return self;
  }

  option(key: string | Record<string, Options>, o: Options = {}): void {
    if (typeof key !== 'string') {
      for (const [k, v] of Object.entries(key)) this.option(k, v);
      return;
    }
    if (o.hidden) return; // yargs leaves hidden options out of --help
    const old = this.opts.get(key);
    const doc = optionDoc(key, o);
    if (old) doc.aliases = [...new Set([...old.aliases, ...doc.aliases])];
    this.opts.set(key, doc);
  }

  options(key: string | Record<string, Options>, o?: Options): void {
    this.option(key, o);
  }

  hide(key: string): void {
    this.opts.delete(key);
  }

  positional(key: string, o: PositionalOptions = {}): void {
    this.posits.set(key, optionDoc(key, o));
  }

  alias(key: string, alias: string | string[]): void {
    const o = typeof key === 'string' ? this.opts.get(key) : undefined;
    if (o) o.aliases.push(...(Array.isArray(alias) ? alias : [alias]));
  }

  help(name: string | boolean = 'help', describe = 'Show help'): void {
    if (typeof name === 'string') this.option(name, { type: 'boolean', describe });
  }

  scriptName(name: string): void {
    this.script = name;
  }

  usage(text: string): void {
    this.usageText = text;
  }

  command(cmd: string | readonly string[] | CommandModule, describe?: string | false, builder?: unknown): void {
    if (typeof cmd === 'object' && !Array.isArray(cmd)) {
      const m = cmd as CommandModule;
      if (m.command !== undefined) this.command(m.command, m.describe ?? m.description ?? '', m.builder);
      return;
    }
    if (describe === false) return; // a hidden command
    const usage = Array.isArray(cmd) ? String(cmd[0]) : String(cmd);
    const sub = new Recorder();
    if (typeof builder === 'function') (builder as (a: Argv) => unknown)(sub.asArgv());
    else if (builder && typeof builder === 'object') sub.option(builder as Record<string, Options>);
    // Every positional of the command string, described where .positional() did.
    const positionals: OptionDoc[] = [];
    for (const m of usage.matchAll(/([<[])([^\]>.]+)(\.\.)?[\]>]/g)) {
      const p = sub.posits.get(m[2]!) ?? { name: m[2]!, aliases: [], type: 'string', describe: '', required: false };
      p.required = m[1] === '<';
      if (m[3]) p.type = 'array';
      positionals.push(p);
    }
    this.cmds.push({ name: usage.split(/\s+/)[0]!, usage, describe: describe ?? '', positionals, options: [...sub.opts.values()] });
  }
}

interface CommandModule {
  command?: string | readonly string[];
  describe?: string | false;
  description?: string | false;
  builder?: unknown;
}

/** What `build` declares on a yargs instance: its global options and its commands. */
export function describeArgv(build: (y: Argv) => Argv): CliDoc {
  const r = new Recorder();
  build(r.asArgv());
  const name = r.script || 'lxcri';
  return { name, usage: r.usageText.replace(/\$0/g, name), globals: [...r.opts.values()], commands: r.cmds };
}

/** The lxcri command line: its global options and every command with its own options. */
export function describeCli(): CliDoc {
  return describeArgv((y) => cli(y, () => undefined));
}
