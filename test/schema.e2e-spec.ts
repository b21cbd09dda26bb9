import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAppSchema } from '../apps/api/src/print-schema';

describe('schema.graphql', () => {
  it('is what the code-first resolvers generate (run `npm run schema` after changing them)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printAppSchema());
  });
});
