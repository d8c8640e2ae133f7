// The hand-written spec types (src/spec/types.ts) against the vendored OCI schemas that the
// validator is compiled from, walking from Spec (config-schema.json, input) and State
// (state-schema.json, output) property by property. Every typed field must exist in the
// schema and have its kind. An input field is optional exactly when the schema does not
// require it (code that trusts a validated bundle cannot meet a shape its type does not
// admit); an output field the schema requires must be required (lxcri always prints it).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/lxcri.js';

type Json = Record<string, unknown>;
const SCHEMA_DIR = join(REPO, 'schema/oci-runtime-spec-v1.2.1');
const schemas = new Map<string, Json>(
  readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')).map((f) => [f, JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as Json]),
);

/** A schema node with the file its relative $refs resolve against. */
interface Node {
  file: string;
  s: Json;
}

function deref(n: Node): Node {
  let cur = n;
  for (let i = 0; i < 20 && typeof cur.s.$ref === 'string'; i++) {
    const [f, ptr = ''] = (cur.s.$ref as string).split('#');
    const file = f || cur.file;
    let s: unknown = schemas.get(file);
    if (!s) throw new Error(`schema ${file} not vendored`);
    for (const part of ptr.split('/').filter(Boolean)) s = (s as Json)[part];
    cur = { file, s: s as Json };
  }
  return cur;
}

/** Alternatives of a node (oneOf/anyOf/allOf flattened), each dereferenced. */
function alternatives(n: Node): Node[] {
  const d = deref(n);
  const alts = (['oneOf', 'anyOf', 'allOf'] as const).flatMap((k) => (Array.isArray(d.s[k]) ? (d.s[k] as Json[]) : []));
  if (!alts.length) return [d];
  return [d, ...alts.flatMap((a) => alternatives({ file: d.file, s: a }))];
}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object';

function schemaKinds(n: Node): Set<Kind> {
  const kinds = new Set<Kind>();
  for (const a of alternatives(n)) {
    const t = a.s.type;
    for (const k of Array.isArray(t) ? t : t === undefined ? [] : [t]) {
      kinds.add(k === 'integer' ? 'number' : (k as Kind));
    }
    if (a.s.properties) kinds.add('object');
    if (Array.isArray(a.s.enum)) for (const v of a.s.enum) kinds.add(typeof v as Kind);
  }
  return kinds;
}

function schemaEnum(n: Node): unknown[] | undefined {
  for (const a of alternatives(n)) if (Array.isArray(a.s.enum)) return a.s.enum as unknown[];
  return undefined;
}

function schemaProps(n: Node): { props: Map<string, Node>; required: Set<string> } {
  const props = new Map<string, Node>();
  const required = new Set<string>();
  for (const a of alternatives(n)) {
    for (const [k, v] of Object.entries((a.s.properties as Json | undefined) ?? {})) props.set(k, { file: a.file, s: v as Json });
    for (const r of (a.s.required as string[] | undefined) ?? []) required.add(r);
  }
  return { props, required };
}

function schemaItems(n: Node): Node {
  for (const a of alternatives(n)) if (a.s.items) return { file: a.file, s: a.s.items as Json };
  throw new Error('array schema without items');
}

// The TypeScript side: declarations of src/spec/types.ts by name.
const typesFile = join(REPO, 'src/spec/types.ts');
const sf = ts.createSourceFile(typesFile, readFileSync(typesFile, 'utf8'), ts.ScriptTarget.ES2022, true);
const decls = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
for (const st of sf.statements) {
  if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) decls.set(st.name.text, st);
}

/** input: what lxcri reads (validated); output: what it writes (must satisfy the schema). */
type Direction = 'input' | 'output';
let direction: Direction = 'input';

/** Compare one TS type with one schema node; push what does not match into `bad`. */
function check(where: string, t: ts.TypeNode, n: Node, bad: string[], seen: Set<string>): void {
  const kinds = schemaKinds(n);
  const expectKind = (k: Kind): void => {
    if (kinds.size && !kinds.has(k)) bad.push(`${where}: type says ${k}, schema says ${[...kinds].join('|')}`);
  };
  if (t.kind === ts.SyntaxKind.StringKeyword) return expectKind('string');
  if (t.kind === ts.SyntaxKind.NumberKeyword) return expectKind('number');
  if (t.kind === ts.SyntaxKind.BooleanKeyword) return expectKind('boolean');
  if (t.kind === ts.SyntaxKind.UnknownKeyword) return;
  if (ts.isArrayTypeNode(t)) {
    expectKind('array');
    return check(`${where}[]`, t.elementType, schemaItems(n), bad, seen);
  }
  if (ts.isTypeLiteralNode(t)) {
    expectKind('object');
    return checkMembers(where, t.members, n, bad, seen);
  }
  if (ts.isUnionTypeNode(t)) {
    const literals = t.types.map((u) => (ts.isLiteralTypeNode(u) && ts.isStringLiteral(u.literal) ? u.literal.text : undefined));
    if (literals.some((l) => l === undefined)) return void bad.push(`${where}: unions other than string literals are not checked`);
    expectKind('string');
    const values = schemaEnum(n);
    // Every value the validator admits must be representable in the type.
    for (const v of values ?? []) if (!literals.includes(v as string)) bad.push(`${where}: schema value ${JSON.stringify(v)} missing from the type`);
    return;
  }
  if (ts.isTypeReferenceNode(t)) {
    const name = t.typeName.getText(sf);
    if (name === 'Record') return expectKind('object');
    const d = decls.get(name);
    if (!d) return void bad.push(`${where}: unknown type ${name}`);
    if (ts.isTypeAliasDeclaration(d)) return check(where, d.type, n, bad, seen);
    expectKind('object');
    const key = `${name}@${where}`;
    if (seen.has(key)) return;
    seen.add(key);
    return checkMembers(`${where}(${name})`, d.members, n, bad, seen);
  }
  bad.push(`${where}: type form ${ts.SyntaxKind[t.kind]} not checked`);
}

function checkMembers(where: string, members: ts.NodeArray<ts.TypeElement>, n: Node, bad: string[], seen: Set<string>): void {
  const { props, required } = schemaProps(n);
  for (const m of members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = m.name.getText(sf);
    const at = `${where}.${name}`;
    const p = props.get(name);
    if (!p) {
      bad.push(`${at}: not in the schema`);
      continue;
    }
    const optional = !!m.questionToken;
    if (direction === 'input' ? optional === required.has(name) : optional && required.has(name)) {
      bad.push(`${at}: the type makes it ${optional ? 'optional' : 'required'}, the schema ${required.has(name) ? 'requires it' : 'does not require it'}`);
    }
    check(at, m.type, p, bad, seen);
  }
}

function drift(typeName: string, schemaFile: string, dir: Direction): string[] {
  direction = dir;
  const d = decls.get(typeName);
  if (!d || !ts.isInterfaceDeclaration(d)) throw new Error(`${typeName} is not an interface in types.ts`);
  const bad: string[] = [];
  checkMembers(typeName, d.members, { file: schemaFile, s: schemas.get(schemaFile)! }, bad, new Set());
  return bad;
}

describe('spec types against the vendored schemas', () => {
  it('Spec and everything reachable from it match config-schema.json', () => {
    expect(drift('Spec', 'config-schema.json', 'input')).toEqual([]);
  });

  it('State matches state-schema.json, plus the fields runc adds (rootfs, created)', () => {
    const extras = ['State.rootfs: not in the schema', 'State.created: not in the schema'];
    expect(drift('State', 'state-schema.json', 'output').filter((b) => !extras.includes(b))).toEqual([]);
  });

  it('the walk finds drift: a type field the schema lacks is reported', () => {
    const bad: string[] = [];
    const fake = ts.createSourceFile('x.ts', 'interface X { cwd: string; bogus?: number; terminal?: string }', ts.ScriptTarget.ES2022, true);
    const x = fake.statements[0] as ts.InterfaceDeclaration;
    const process = deref({ file: 'config-schema.json', s: (schemas.get('config-schema.json')!.properties as Json).process as Json });
    for (const m of x.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = (m.name as ts.Identifier).text;
      const p = schemaProps(process).props.get(name);
      if (!p) bad.push(`${name}: not in the schema`);
      else check(name, m.type, p, bad, new Set());
    }
    expect(bad).toEqual(['bogus: not in the schema', 'terminal: type says string, schema says boolean']);
  });
});
