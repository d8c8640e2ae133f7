// Man pages in roff (man macros) from the command line's definitions (registry.ts) and
// the settings table: lxcri(8) with the global options, the environment and the files,
// and lxcri-<command>(8) for each command.
import { DEFAULT_ENV_FILE } from '../envfile.js';
import { SETTINGS, type SettingDef } from '../settings.js';
import type { CliDoc, CommandDoc, OptionDoc } from './registry.js';

export interface ManPage {
  /** File name, e.g. "lxcri-create.8". */
  file: string;
  text: string;
}

/** Text for roff text lines: backslashes, minus signs and a control character starting a line. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

const bold = (s: string): string => `\\fB${esc(s)}\\fR`;
const italic = (s: string): string => `\\fI${esc(s)}\\fR`;

function header(name: string, version: string): string {
  // No hyphenation and no justification: option names must stay whole.
  return `.TH ${esc(name.toUpperCase())} 8 "" "lxcri ${esc(version)}" "System Administration"\n.nh\n.ad l\n`;
}

function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** ".TP" paragraph of one option: its spellings, its value and what it does. */
function optionItem(o: OptionDoc): string {
  const names = [...o.aliases.filter((a) => a.length === 1), o.name, ...o.aliases.filter((a) => a.length > 1)].map((n) => bold(flag(n)));
  let value = '';
  if (o.choices) value = ` ${o.choices.map(bold).join('|')}`;
  else if (o.type === 'number') value = ` ${italic('N')}`;
  else if (o.type !== 'boolean' && o.type !== 'count') value = ` ${italic('value')}`;
  const notes: string[] = [];
  if (o.required) notes.push('required');
  if (o.default !== undefined && o.default !== '' && o.type !== 'boolean') notes.push(`default: ${o.default}`);
  if (o.type === 'array') notes.push('repeatable');
  const text = [o.describe, notes.length ? `(${notes.join('; ')})` : ''].filter(Boolean).join(' ');
  return `.TP\n${names.join(', ')}${value}\n${esc(text || ' ')}\n`;
}

function positionalText(c: CommandDoc): string {
  return c.positionals.map((p) => (p.required ? italic(p.name) : `[${italic(p.name)}${p.type === 'array' ? '...' : ''}]`)).join(' ');
}

function synopsis(cli: CliDoc, c: CommandDoc): string {
  const opts = c.options.length ? ` [${italic('options')}]` : '';
  return `.SH SYNOPSIS\n${bold(cli.name)} [${italic('global options')}] ${bold(c.name)}${opts} ${positionalText(c)}\n`;
}

function commandPage(cli: CliDoc, c: CommandDoc, version: string): ManPage {
  const page = `${cli.name}-${c.name}`;
  let t = header(page, version);
  t += `.SH NAME\n${esc(page)} \\- ${esc(c.describe)}\n`;
  t += synopsis(cli, c);
  t += `.SH DESCRIPTION\n${esc(c.describe)}.\n`;
  if (c.positionals.length) {
    t += '.SH ARGUMENTS\n';
    for (const p of c.positionals) {
      const notes = [p.required ? 'required' : '', p.default !== undefined ? `default: ${p.default}` : ''].filter(Boolean);
      t += `.TP\n${italic(p.name)}\n${esc([p.describe, notes.length ? `(${notes.join('; ')})` : ''].filter(Boolean).join(' ') || ' ')}\n`;
    }
  }
  if (c.options.length) {
    t += '.SH OPTIONS\n';
    for (const o of c.options) t += optionItem(o);
  }
  t += '.SH GLOBAL OPTIONS\nThese come before the command; ';
  t += `${bold(cli.name)}(8) describes them:\n`;
  t += `${cli.globals.map((o) => bold(flag(o.name))).join(',\n')}.\n`;
  t += `.SH SEE ALSO\n${bold(cli.name)}(8)\n`;
  return { file: `${page}.8`, text: t };
}

function mainPage(cli: CliDoc, version: string): ManPage {
  let t = header(cli.name, version);
  t += `.SH NAME\n${esc(cli.name)} \\- OCI container runtime on liblxc\n`;
  t += `.SH SYNOPSIS\n${bold(cli.name)} [${italic('global options')}] ${italic('command')} [${italic('options')}] [${italic('arguments')}]\n`;
  t += '.SH DESCRIPTION\n';
  t += `${bold(cli.name)} runs containers of OCI runtime-spec bundles through liblxc, for CRI-O (through conmon), podman, or by hand.\n`;
  t += 'Every failure is one line on standard error and a non-zero exit status.\n';
  t += '.SH COMMANDS\n';
  for (const c of cli.commands) t += `.TP\n${bold(c.name)} ${positionalText(c)}\n${esc(c.describe)}; see ${bold(`${cli.name}-${c.name}`)}(8).\n`;
  t += '.SH GLOBAL OPTIONS\n';
  for (const o of cli.globals) t += optionItem(o);
  t += '.SH ENVIRONMENT\n';
  t += `Every setting has a flag and a variable. A flag wins over the process environment, which wins over the environment file, which wins over the default.\n`;
  for (const d of Object.values(SETTINGS) as SettingDef[]) {
    const dflt = d.default === '' ? '' : ` Default: ${d.default}.`;
    t += `.TP\n${bold(d.env)}\n${esc(`${d.describe} (${flag(d.flag)}).${dflt}`)}\n`;
  }
  t += `.TP\n${bold('LXCRI_ENV_FILE')}\n${esc(`the environment file (default ${DEFAULT_ENV_FILE}).`)}\n`;
  t += '.SH FILES\n';
  t += `.TP\n${bold(DEFAULT_ENV_FILE)}\n${esc('the environment file: LXCRI_* settings as NAME=value lines, read on every call.')}\n`;
  t += `.TP\n${bold(SETTINGS.root.default)}\n${esc('runtime state, one directory per container.')}\n`;
  t += `.TP\n${bold(SETTINGS.logFile.default)}\n${esc("the log: lxcri's JSON lines and liblxc's lines (starting with \"lxc \").")}\n`;
  t += '.SH EXIT STATUS\n';
  t += `0 on success, 1 for a failed operation, 2 for a usage error; ${bold('run')} and ${bold('exec')} exit with the status of the container's process.\n`;
  t += '.SH SEE ALSO\n';
  t += `${cli.commands.map((c) => `${bold(`${cli.name}-${c.name}`)}(8)`).join(',\n')},\n${bold('runc')}(8), ${bold('lxc')}(7), ${bold('crio')}(8), ${bold('podman')}(1)\n`;
  return { file: `${cli.name}.8`, text: t };
}

/** lxcri.8 and one page per command. */
export function manPages(cli: CliDoc, version: string): ManPage[] {
  return [mainPage(cli, version), ...cli.commands.map((c) => commandPage(cli, c, version))];
}
