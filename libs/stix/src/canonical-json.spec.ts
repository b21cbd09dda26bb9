import { canonicalJson } from './canonical-json';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    // U+20AC (€) sorts before U+1F600 (surrogate pair D83D…) by code unit, although its code point is smaller either way;
    // "\r" (0x0d) sorts before "1" (0x31).
    expect(canonicalJson({ '\u{1F600}': 1, '€': 2, '1': 3, '\r': 4 })).toBe('{"\\r":4,"1":3,"€":2,"😀":1}');
  });

  it('serialises numbers the ECMAScript way', () => {
    expect(canonicalJson([0, -0, 1e21, 1e-7, 333333333.3333333, 4.5, 100, -1.5e-9])).toBe(
      '[0,0,1e+21,1e-7,333333333.3333333,4.5,100,-1.5e-9]',
    );
  });

  it('escapes only what JSON requires', () => {
    expect(canonicalJson('a"b\\c\n\u0001é€/')).toBe('"a\\"b\\\\c\\n\\u0001é€/"');
  });

  it('rejects values JSON cannot carry', () => {
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
    expect(() => canonicalJson(Infinity)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
    expect(() => canonicalJson('\uD800x')).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });

  it('refuses pathological nesting instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/too deep/);
  });
});
