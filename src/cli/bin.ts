// Process entry of the bundled CLI.
import { main } from './main.js';

main(process.argv.slice(2), process.env, { stdin: 0, stdout: 1, stderr: 2 }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`lxcri: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
