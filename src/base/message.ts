// Text that goes into a message: one line whatever it holds, and never a wall of it.
// Error messages echo values from config.json, the image and the command line; a line
// break would split the one error line (and a log record), a 100 KB value would bury it.

/** Longest value echoed in a message (characters), as runc and crun keep theirs short. */
export const MAX_ECHO = 200;

const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;

const escapeChar = (c: string): string => {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    }
  }
};

/** `s` on one line: line breaks and other control characters written as \n, \t, \xHH. */
export function oneLine(s: string): string {
  return s.replace(CONTROL, escapeChar);
}

/**
 * `s` cut to at most `max` characters (never inside a surrogate pair), with a marker that
 * says how long it was: "aaaa... (100000 characters)".
 */
export function cut(s: string, max = MAX_ECHO): string {
  if (s.length <= max) return s;
  let end = max;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate without its pair
  return `${s.slice(0, end)}... (${s.length} characters)`;
}

/** A value as a message shows it: one line, cut. */
export const echo = (s: string, max = MAX_ECHO): string => oneLine(cut(s, max));
