// Process entry of the bundled CLI.
import { openSync } from 'node:fs';
import { warmUp } from './warmup.js';
import { main } from './main.js';
import { errorMessage } from '../base/errors.js';

async function entry(): Promise<number> {
  // Build and install time only: see warmup.ts.
  if (process.env.LXCRI_WARMUP === '1') {
    const devnull = openSync('/dev/null', 'w');
    return warmUp((args) => main(args, {}, { stdin: 0, stdout: devnull, stderr: devnull }));
  }
  return main(process.argv.slice(2), process.env, { stdin: 0, stdout: 1, stderr: 2 });
}

entry().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // One line, as every error: the message without the stack.
    process.stderr.write(`lxcri: internal error: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
