// A program of a project that installed the lxcri package (test/integration/package.test.ts
// copies it there, type-checks it with tsc --strict and runs it as root). It drives every
// API call through `import ... from 'lxcri'` and prints what it saw as one line
// "RESULT {json}" on stdout; the test makes the assertions.
// Usage: node main.js ROOT BUNDLE OUTDIR PARTIAL_LIBEXEC_DIR
import { closeSync, createWriteStream, existsSync, openSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Runtime, RuntimeError, type Container, type Process, type Spec, type State } from 'lxcri';

const [root, bundle, outDir, partialLibexec] = process.argv.slice(2) as [string, string, string, string];
const rt = new Runtime({ root });
const result: Record<string, unknown> = { libexecDir: rt.config.libexecDir };

const failure = (err: unknown): string => (err instanceof RuntimeError ? `${err.kind}: ${err.message}` : `not a RuntimeError: ${String(err)}`);
const status = (c: Container): State['status'] => c.state().status;

// 1. From a bundle path, stdout and stderr to a file descriptor we opened.
const bOut = openSync(join(outDir, 'bundle.out'), 'w');
const { container: b } = await rt.create({ id: 'lib-pkg-b', bundle, stdio: { stdin: 'ignore', stdout: bOut, stderr: bOut } });
closeSync(bOut);
result.created = status(b);
await b.start();
result.started = status(b);
result.listed = await rt.list();
result.got = (await rt.get('lib-pkg-b')).state().pid === b.state().pid;

// exec in the foreground: exit status, stdout to our own stdout (a pipe: a net.Socket).
const base: Process = await b.process();
result.execCode = await b.exec({ ...base, args: ['sh', '-c', 'echo exec-to-pipe; exit 3'] }, { stdio: { stdin: 'ignore', stdout: process.stdout, stderr: 'ignore' } });
// ... and to a file descriptor.
const eOut = openSync(join(outDir, 'exec.out'), 'w');
result.execFileCode = await b.exec({ ...base, args: ['hostname'] }, { stdio: { stdout: eOut } });
closeSync(eOut);

// exec detached: its PID, in the container's cgroup; wait() reaps it and says how it ended.
const d = await b.execDetached({ ...base, args: ['sh', '-c', 'sleep 2; exit 5'] }, { stdio: { stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' } });
result.detachedPid = d.pid;
result.detachedCgroup = readFileSync(`/proc/${d.pid}/cgroup`, 'utf8').match(/^0::(.*)$/m)?.[1];
result.detachedExit = await d.wait();
result.detachedReaped = !existsSync(`/proc/${d.pid}`);

// pause / resume (cgroup v2 freezer).
try {
  await b.pause();
  result.paused = status(b);
  await b.resume();
  result.resumed = status(b);
} catch (err) {
  result.pause = failure(err);
}

// update: applied, or refused as on the CLI when the host lacks the controller.
try {
  await b.update({ pids: { limit: 20 } });
  result.update = 'ok';
} catch (err) {
  result.update = failure(err);
}
try {
  await b.update({ pids: { limit: 'many' } } as unknown as Parameters<Container['update']>[0]);
  result.badUpdate = 'accepted';
} catch (err) {
  result.badUpdate = failure(err);
}

// kill by name: the process traps TERM and exits 42; wait reports it.
b.kill('SIGTERM');
result.waitByName = await b.wait({ timeoutMs: 20_000 });
result.stoppedByName = status(b);
result.deleteWarnings = await b.delete();
result.bundleDeletedKept = existsSync(join(bundle, 'config.json')) && !existsSync(join(root, 'lib-pkg-b'));
try {
  b.kill('TERM');
  result.killDeleted = 'no error';
} catch (err) {
  result.killDeleted = failure(err);
}

// 2. From a spec object (a private bundle), stdout and stderr to a stream.
const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8')) as Spec;
spec.process!.args = ['sh', '-c', 'echo from-spec-object; exec sleep 60'];
const stream = createWriteStream(join(outDir, 'spec.out'));
await once(stream, 'open');
const { container: s } = await rt.create({ id: 'lib-pkg-s', spec, stdio: { stdin: 'ignore', stdout: stream, stderr: stream } });
stream.close();
result.specBundle = s.state().bundle;
result.specBundleConfig = existsSync(join(s.state().bundle, 'config.json'));
await s.start();
// The shell writes before it sleeps; KILL only once it has (start returns at its execve).
for (let i = 0; i < 500 && !readFileSync(join(outDir, 'spec.out'), 'utf8').includes('from-spec-object'); i++) {
  await new Promise((r) => setTimeout(r, 20));
}
try {
  s.kill('SIGNOPE');
} catch (err) {
  result.unknownSignal = failure(err);
}
// kill by number (9 = KILL): wait says 128+9.
s.kill(9);
result.waitByNumber = await s.wait({ timeoutMs: 20_000 });
await s.delete();
result.specBundleGone = !existsSync(result.specBundle as string);

// 3. A missing helper: a RuntimeError naming it; nothing is left behind.
try {
  await new Runtime({ root, libexecDir: partialLibexec }).create({ id: 'lib-pkg-m', bundle });
  result.missingHelper = 'created';
} catch (err) {
  result.missingHelper = failure(err);
}
result.missingLeft = existsSync(join(root, 'lib-pkg-m'));

// Bad input: neither bundle nor spec; an unknown signal name.
try {
  await rt.create({ id: 'lib-pkg-x' });
} catch (err) {
  result.noBundle = failure(err);
}
result.unknownId = await rt.get('lib-pkg-none').then(
  () => 'found',
  (err: unknown) => failure(err),
);

process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
