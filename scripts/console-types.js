#!/usr/bin/env node
// Writes apps/console/src/api/schema.ts: TypeScript types for every enum, input and object type
// of schema.graphql, so the console is typed from the schema the server emits (no codegen package).
// `node scripts/console-types.js --check` exits 1 when the committed file is stale.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { buildSchema, isEnumType, isInputObjectType, isObjectType, isScalarType, isListType, isNonNullType } = require('graphql');

const root = join(__dirname, '..');
const OUT = join(root, 'apps/console/src/api/schema.ts');
const SCALARS = { ID: 'string', String: 'string', Int: 'number', Float: 'number', Boolean: 'boolean', DateTime: 'string', JSON: 'any' };

function ts(type) {
  if (isNonNullType(type)) return inner(type.ofType);
  return `${inner(type)} | null`;
}
function inner(type) {
  if (isListType(type)) {
    const t = ts(type.ofType);
    return `Array<${t}>`;
  }
  if (isScalarType(type)) return SCALARS[type.name] ?? 'unknown';
  return type.name;
}
const doc = (d, pad = '') => (d ? `${pad}/** ${d.replace(/\*\//g, '* /').replace(/\s*\n\s*/g, ' ')} */\n` : '');

function generate() {
  const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
  const out = [
    '// Generated from schema.graphql by scripts/console-types.js (npm run build runs it). Do not edit.',
    '/* eslint-disable */',
    '',
  ];
  const types = Object.values(schema.getTypeMap())
    .filter((t) => !t.name.startsWith('__'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const t of types) {
    if (isEnumType(t)) {
      const values = t.getValues().map((v) => v.value);
      out.push(doc(t.description) + `export type ${t.name} = ${values.map((v) => JSON.stringify(v)).join(' | ')};`);
      out.push(`export const ${t.name}Values: readonly ${t.name}[] = ${JSON.stringify(values)};`, '');
    } else if (isInputObjectType(t)) {
      out.push(doc(t.description) + `export interface ${t.name} {`);
      for (const f of Object.values(t.getFields()))
        out.push(
          doc(f.description, '  ') + `  ${f.name}${isNonNullType(f.type) && f.defaultValue === undefined ? '' : '?'}: ${ts(f.type)};`,
        );
      out.push('}', '');
    } else if (isObjectType(t)) {
      out.push(doc(t.description) + `export interface ${t.name} {`);
      for (const f of Object.values(t.getFields())) out.push(doc(f.description, '  ') + `  ${f.name}: ${ts(f.type)};`);
      out.push('}', '');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

if (require.main === module) {
  const text = generate();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      /* missing */
    }
    if (current !== text) {
      process.stderr.write('apps/console/src/api/schema.ts is stale: run node scripts/console-types.js\n');
      process.exit(1);
    }
  } else writeFileSync(OUT, text);
}
module.exports = { generate, OUT };
