import { isStixId } from '@cairn/stix';
import { isKeyedObjectId, keyedObjectId } from './keyed-id';

const SECRET = 'a test secret that is long enough';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const SUBMITTED = 'indicator--5b1d6f3e-0a2c-5d8e-9f10-1a2b3c4d5e6f';

describe('keyedObjectId', () => {
  it('is a well-formed STIX id (UUID version 5, RFC 4122 variant) of the same type, deterministic per publisher', () => {
    const id = keyedObjectId(SUBMITTED, A, SECRET);
    expect(isStixId(id, 'indicator')).toBe(true);
    expect(id).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keyedObjectId(SUBMITTED, A, SECRET)).toBe(id);
    expect(id).not.toBe(SUBMITTED);
  });

  it('differs by publisher, by submitted id and by secret', () => {
    const id = keyedObjectId(SUBMITTED, A, SECRET);
    expect(keyedObjectId(SUBMITTED, B, SECRET)).not.toBe(id);
    expect(keyedObjectId(SUBMITTED.replace('5b1d', '5b1e'), A, SECRET)).not.toBe(id);
    expect(keyedObjectId(SUBMITTED, A, `${SECRET}!`)).not.toBe(id);
  });

  it('is recognised as keyed for its own publisher only, and under its own type only', () => {
    const id = keyedObjectId(SUBMITTED, A, SECRET);
    expect(isKeyedObjectId(id, A, SECRET)).toBe(true);
    expect(isKeyedObjectId(id, B, SECRET)).toBe(false);
    expect(isKeyedObjectId(id.replace('indicator--', 'identity--'), A, SECRET)).toBe(false);
    expect(isKeyedObjectId(SUBMITTED, A, SECRET)).toBe(false);
    expect(isKeyedObjectId('indicator--not-a-uuid', A, SECRET)).toBe(false);
  });
});
