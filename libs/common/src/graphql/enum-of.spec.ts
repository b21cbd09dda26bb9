import { graphqlEnumOf } from './enum-of';

describe('graphqlEnumOf', () => {
  it('names each value as GraphQL allows and keeps the value', () => {
    expect(graphqlEnumOf(['CLEAR', 'AMBER+STRICT', 'detected-after-hire'])).toEqual({
      CLEAR: 'CLEAR',
      AMBER_STRICT: 'AMBER+STRICT',
      DETECTED_AFTER_HIRE: 'detected-after-hire',
    });
  });

  it('takes another naming', () => {
    expect(graphqlEnumOf(['active', 'suspended'], (v) => v)).toEqual({ active: 'active', suspended: 'suspended' });
  });

  it('refuses two values that would share a name', () => {
    expect(() => graphqlEnumOf(['a-b', 'a_b'])).toThrow(/A_B/);
  });
});
