// lxcri as a library: a Runtime over a root directory and the Containers in it.
export { Runtime } from './runtime/runtime.js';
export { Container, type ContainerContext, type DeleteOptions, type WaitOptions } from './runtime/container.js';
export type { CreateRequest, Created } from './runtime/create.js';
export type { DetachedProcess, ExecOptions } from './runtime/exec.js';
export type { HasFd, StdioOptions, StdioTarget } from './runtime/stdio.js';
export type { ContainerRecord } from './runtime/record.js';
export { RuntimeError, type ErrorKind } from './base/errors.js';
export { runtimeConfig, DEFAULT_ROOT, type Features, type RuntimeConfig, type RuntimeOptions, type Timeouts } from './runtime/config.js';
export { HELPERS, libexecCandidates } from './base/location.js';
export { parseSignal } from './runtime/signals.js';
export type { Logger, Fields } from './log/types.js';
export type * from './spec/types.js';
