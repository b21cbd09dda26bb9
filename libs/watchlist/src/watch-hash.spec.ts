import { createHash } from 'node:crypto';
import { hmacBlocks, watchHash, watchKey } from './watch-hash';

describe('watch hashes', () => {
  it('the padded blocks give the same HMAC as node:crypto (what the database computes with sha256)', () => {
    const key = watchKey('a test secret');
    const { inner, outer } = hmacBlocks(key);
    for (const [kind, k] of [
      ['EMAIL', 'ann@example.com'],
      ['PHONE', '+442079460958'],
      ['HANDLE', 'github:ann-ops'],
      ['EMAIL', 'hmac:ab12'],
    ]) {
      const sql = createHash('sha256')
        .update(
          Buffer.concat([
            outer,
            createHash('sha256')
              .update(Buffer.concat([inner, Buffer.from(`${kind}\u0001${k}`, 'utf8')]))
              .digest(),
          ]),
        )
        .digest();
      expect(sql.equals(watchHash(key, kind, k))).toBe(true);
    }
  });

  it('depends on the secret, the kind and the key', () => {
    const a = watchKey('one');
    expect(watchHash(a, 'EMAIL', 'x@example.com').equals(watchHash(watchKey('two'), 'EMAIL', 'x@example.com'))).toBe(false);
    expect(watchHash(a, 'EMAIL', 'x@example.com').equals(watchHash(a, 'HANDLE', 'x@example.com'))).toBe(false);
  });
});
