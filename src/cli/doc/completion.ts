// Bash completion from the command line's definitions (registry.ts): command names,
// each command's options, option values (choices, files, directories) and container IDs
// (asked of lxcri itself, with the --root typed so far).
import type { CliDoc, CommandDoc, OptionDoc } from './registry.js';

const spellings = (o: OptionDoc): string[] => [o.name, ...o.aliases].map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
const takesValue = (o: OptionDoc): boolean => o.type !== 'boolean' && o.type !== 'count';

/** Shell words may only hold what a name or a choice holds; anything else is refused. */
function word(s: string): string {
  if (!/^[A-Za-z0-9_.:/+-]+$/.test(s)) throw new Error(`completion: "${s}" is not a plain word`);
  return s;
}

/** The compgen arguments for an option's value, from what its definition says it is. */
function valueCompletion(o: OptionDoc): string {
  if (o.choices) return `-W '${o.choices.map(word).join(' ')}'`;
  if (/director/i.test(o.describe)) return '-d';
  if (/\b(file|socket|program)\b/i.test(o.describe)) return '-f';
  return '';
}

/** `case` arms: each value-taking option's spellings and what completes its value. */
function valueArms(opts: OptionDoc[], indent: string): string {
  return opts
    .filter(takesValue)
    .map((o) => {
      const how = valueCompletion(o);
      const action = how ? `COMPREPLY=($(compgen ${how} -- "$cur"))` : 'COMPREPLY=()';
      return `${indent}${spellings(o).map(word).join('|')}) ${action}; return ;;\n`;
    })
    .join('');
}

function commandArm(c: CommandDoc): string {
  const opts = c.options.flatMap(spellings).map(word).join(' ');
  const first = c.positionals[0];
  // The ID of a command that takes a bundle names a new container: nothing to offer.
  const newId = c.options.some((o) => o.name === 'bundle');
  const positional = first?.name === 'id' ? (newId ? 'none' : 'ids') : first?.name === 'signal' ? 'signals' : 'files';
  return `            ${word(c.name)}) opts='${opts}'; what=${positional}; second=${c.positionals[1]?.name === 'signal' ? 'signals' : 'files'}
                case $prev in
${valueArms(c.options, '                ')}                esac ;;
`;
}

export function bashCompletion(cli: CliDoc): string {
  const name = word(cli.name);
  const globals = cli.globals.flatMap(spellings).map(word).join(' ');
  const globalValues = cli.globals.filter(takesValue).flatMap(spellings).map(word).join(' ');
  const commands = cli.commands.map((c) => word(c.name)).join(' ');
  return `# bash completion for ${name}; generated from its command definitions by make.
_${name}() {
    local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
    local globals='${globals}'
    local global_values=' ${globalValues} '
    local cmd='' w i npos=0 opts='' values='  ' what=files second=files
    local -a root=()
    # The command word and the positionals before the cursor; option values are skipped.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=\${COMP_WORDS[i]}
        if [[ -z $cmd ]]; then
            if [[ $global_values == *" $w "* ]]; then
                [[ $w == --root ]] && root=(--root "\${COMP_WORDS[i+1]}")
                ((i++))
            elif [[ $w != -* ]]; then
                cmd=$w
                case $cmd in
${cli.commands.map((c) => `                    ${word(c.name)}) values=' ${c.options.filter(takesValue).flatMap(spellings).map(word).join(' ')} ' ;;\n`).join('')}                esac
            fi
        elif [[ $values == *" $w "* || $global_values == *" $w "* ]]; then
            ((i++))
        elif [[ $w != -* ]]; then
            ((npos++))
        fi
    done
    if [[ -n $cmd ]]; then
        case $cmd in
${cli.commands.map(commandArm).join('')}            *) return ;;
        esac
    fi
    case $prev in
${valueArms(cli.globals, '        ')}    esac
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$globals" -- "$cur"))
        else
            COMPREPLY=($(compgen -W '${commands}' -- "$cur"))
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
        return
    fi
    ((npos > 0)) && what=$second
    case $what in
        ids) COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" "\${root[@]}" list -q 2>/dev/null)" -- "$cur")) ;;
        signals) COMPREPLY=($(compgen -A signal -- "$cur")) ;;
        none) COMPREPLY=() ;;
        *) COMPREPLY=($(compgen -f -- "$cur")) ;;
    esac
}
complete -F _${name} ${name}
`;
}
