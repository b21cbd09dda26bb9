import { findUnstorable } from './door-rules';

describe('findUnstorable', () => {
  it('names the path of a string with NUL or an unpaired surrogate, through objects and arrays', () => {
    expect(findUnstorable({ b: { objects: [{ name: 'ok' }, { name: 'ok', labels: ['fine', 'bad\u0000'] }] } })).toBe(
      'variables.b.objects[1].labels[1]',
    );
    expect(findUnstorable({ v: ['a', '\ud800x'] })).toBe('variables.v[1]');
    expect(findUnstorable('\u0000')).toBe('variables');
  });

  it('names the object that holds a bad key', () => {
    expect(findUnstorable({ b: { objects: [{ ['x\u0000']: 1 }] } })).toBe('variables.b.objects[0]');
  });

  it('finds nothing in storable text, numbers, nulls and empty containers', () => {
    expect(findUnstorable({ a: [1, null, true, {}, [], 'é 😀'], b: { c: 'text' } })).toBeUndefined();
    expect(findUnstorable(undefined)).toBeUndefined();
    expect(findUnstorable(42)).toBeUndefined();
  });

  it('walks a nesting deeper than the call stack would allow', () => {
    let deep: unknown = 'bad\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(findUnstorable({ d: deep })).toBe(`variables.d${'[0]'.repeat(20_000)}`);
  });

  it('cuts long keys in the path to 64 characters', () => {
    const key = 'k'.repeat(100);
    expect(findUnstorable({ [key]: '\u0000' })).toBe(`variables.${'k'.repeat(64)}`);
  });
});
