// Schema validation of config.json (and of state/features output in tests) with the
// validators generated from the runtime-spec schemas at build time.
import { RuntimeError } from '../base/errors.js';
import { echo } from '../base/message.js';
import type { ValidationError, Validator } from './generated/validators.cjs';

type Schema = 'config' | 'state' | 'features';

async function validators(): Promise<Record<Schema, Validator>> {
  // Loaded on demand: 200 KB of generated code that only create and the tests need.
  const mod = await import('./generated/validators.cjs');
  return (mod.default ?? mod) as Record<Schema, Validator>;
}

function describe(e: ValidationError): string {
  // Paths and names come from the file: one line, cut (an annotation key may be 100 KB).
  const where = e.instancePath === '' ? '(top level)' : echo(e.instancePath);
  let msg = e.message ?? e.keyword;
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    msg += ` "${echo(e.params.additionalProperty)}"`;
  } else if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) {
    msg += `: ${e.params.allowedValues.map(String).join(', ')}`;
  }
  return `${where}: ${msg}`;
}

/** Throws an invalid-spec error naming the first offending field. */
export async function validateSchema(schema: Schema, data: unknown, what: string): Promise<void> {
  const v = (await validators())[schema];
  if (v(data)) return;
  const first = v.errors?.[0];
  throw new RuntimeError('invalid-spec', `${what} does not match the OCI schema: ${first ? describe(first) : 'invalid'}`);
}
