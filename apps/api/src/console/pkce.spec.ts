import { webcrypto } from 'node:crypto';
import { codeChallenge, randomToken, type PkceCrypto } from '../../../console/src/api/pkce';

const crypto = webcrypto as unknown as PkceCrypto;

describe('the console’s PKCE helper', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', crypto)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes fresh verifiers of 43 unreserved characters, each its own challenge', async () => {
    const [a, b] = [randomToken(crypto), randomToken(crypto)];
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(await codeChallenge(a, crypto)).not.toBe(await codeChallenge(b, crypto));
  });

  it('refuses a verifier too short or with characters outside the unreserved set', async () => {
    await expect(codeChallenge('short', crypto)).rejects.toThrow(/43 to 128/);
    await expect(codeChallenge('a'.repeat(42) + '+', crypto)).rejects.toThrow(/43 to 128/);
  });
});
