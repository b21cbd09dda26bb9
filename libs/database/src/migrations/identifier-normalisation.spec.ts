import { normaliseEmail, normalisePhone, normaliseWallet } from '@cairn/stix';
import { canonicalEmail, canonicalPhone, walletOfUri } from './1766000700000-identifier-normalisation';

// The migration writes its rules out (it runs outside the module aliases); these keep them equal to the code's.
describe('migration IdentifierNormalisation1766000700000 (pure part)', () => {
  it.each([
    'dan.kim+jobs@googlemail.com',
    'd.a.n@gmail.com',
    'x+y@protonmail.ch',
    'dan.kim@pm.me',
    'a.b+c@outlook.com',
    'a.b+c@fastmail.com',
    'a.b+c@example.org',
    'kim@xn--bcher-kva.example',
  ])('e-mail key %p is re-keyed as normaliseEmail has it', (key) => {
    const n = normaliseEmail(key);
    expect(canonicalEmail(key)).toBe(n.ok ? n.value : undefined);
  });
  it.each(['+4402079460958', '+442079460958', '+49030123456', '+12025550147', '+390612345678', '+15550100', '+610293744000'])(
    'phone key %p is re-keyed as normalisePhone has it',
    (key) => {
      const n = normalisePhone(key);
      expect(canonicalPhone(key)).toBe(n.ok ? n.value : undefined);
    },
  );
  it.each([
    'bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=1',
    'ethereum:0x52908400098527886E0F7030069857D2E4169EE7@1',
    'BITCOIN:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ',
  ])('wallet URI %p gives the address normaliseWallet gives', (uri) => {
    const n = normaliseWallet(uri);
    expect(walletOfUri(uri)).toBe(n.ok ? n.value : undefined);
  });
  it('leaves what it does not understand alone', () => {
    expect([canonicalEmail('nope'), canonicalPhone('+0123'), walletOfUri('bitcoin:nothing')]).toEqual([undefined, undefined, undefined]);
  });
});
