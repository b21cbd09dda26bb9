import { readFileSync } from 'node:fs';

// The console is typed from schema.graphql (apps/console/src/api/schema.ts, generated): a schema
// change without regenerating would let the console compile against types the server no longer has.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generate, OUT } = require('../../../../scripts/console-types.js') as { generate(): string; OUT: string };

describe('console types', () => {
  it('apps/console/src/api/schema.ts is generated from the committed schema.graphql (node scripts/console-types.js)', () => {
    expect(readFileSync(OUT, 'utf8')).toBe(generate());
  });
});
