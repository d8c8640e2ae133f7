// yargs' failure messages as the one line every lxcri error is. Most are one line already;
// a bad choice is several ("Invalid values:" and one indented line per argument).
const CHOICE = /^Argument: (.+?), Given: (.+?), Choices: (.+)$/;

export function usageLine(msg: string): string {
  const lines = msg.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines[0] === 'Invalid values:' && lines.length > 1) {
    const parts = lines.slice(1).map((l) => {
      const m = CHOICE.exec(l);
      if (!m) return l;
      const choices = m[3]!.split(', ').map((c) => c.replace(/^"(.*)"$/, '$1'));
      return `invalid value ${m[2]} for --${m[1]} (one of: ${choices.join(', ')})`;
    });
    return parts.join('; ');
  }
  return lines.join(' ');
}
