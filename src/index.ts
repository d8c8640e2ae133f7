// lxcri as a library: a Runtime over a root directory and the Containers in it.
export { Runtime } from './runtime/runtime.js';
export { Container } from './runtime/container.js';
export { RuntimeError, type ErrorKind } from './runtime/errors.js';
export { runtimeConfig, DEFAULT_ROOT, type RuntimeConfig, type Timeouts } from './runtime/config.js';
export { parseSignal } from './runtime/signals.js';
export type { Logger, Fields } from './log/types.js';
export type * from './spec/types.js';
