// Compiles the OCI runtime-spec JSON schemas into standalone validator code at build
// time, so the CLI neither ships the schema files nor pays ajv's compile cost per call.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import standaloneCode from 'ajv/dist/standalone/index.js';

const [schemaDir, outDir] = process.argv.slice(2);
if (!schemaDir || !outDir) {
  console.error('usage: gen-validators.mjs SCHEMA_DIR OUT_DIR');
  process.exit(2);
}
const files = ['defs.json', 'defs-linux.json', 'config-linux.json', 'config-schema.json',
  'state-schema.json', 'features-linux.json', 'features-schema.json'];
const ajv = new Ajv({ code: { source: true, esm: false }, allErrors: false, strict: false });
for (const f of files) ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, f), 'utf8')), f);
// The shared copy holds only the Linux platform schemas; other platforms' sections are
// accepted as plain objects here (lxcri runs Linux containers only and ignores them).
for (const p of ['solaris', 'windows', 'vm', 'zos']) ajv.addSchema({ [p]: { type: 'object' } }, `config-${p}.json`);
const code = standaloneCode.default
  ? standaloneCode.default(ajv, { config: 'config-schema.json', state: 'state-schema.json', features: 'features-schema.json' })
  : standaloneCode(ajv, { config: 'config-schema.json', state: 'state-schema.json', features: 'features-schema.json' });
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'validators.cjs'), code);
writeFileSync(join(outDir, 'validators.d.cts'), `export interface ValidationError { instancePath: string; message?: string; keyword: string; params: Record<string, unknown>; }
export interface Validator { (data: unknown): boolean; errors?: ValidationError[] | null; }
export declare const config: Validator;
export declare const state: Validator;
export declare const features: Validator;
`);
