import { DEFAULT_SCRYPT, PasswordService } from './password.service';

describe('PasswordService', () => {
  // Small N keeps the spec fast; one test below checks the production parameters end to end.
  const passwords = new PasswordService({ N: 2 ** 10, r: 8, p: 1 });

  it('encodes scrypt$N$r$p$salt$hash with a fresh salt per hash', async () => {
    const a = await passwords.hash('correct horse battery');
    const b = await passwords.hash('correct horse battery');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it('verifies the right password and refuses any other', async () => {
    const hash = await passwords.hash('correct horse battery');
    expect(await passwords.verify('correct horse battery', hash)).toBe(true);
    expect(await passwords.verify('correct horse batterY', hash)).toBe(false);
    expect(await passwords.verify('', hash)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, so raising N later keeps old hashes valid', async () => {
    const old = await new PasswordService({ N: 2 ** 11, r: 8, p: 1 }).hash('an older password');
    expect(await passwords.verify('an older password', old)).toBe(true);
  });

  it('uses N=2^15 by default', async () => {
    const hash = await new PasswordService().hash('production strength');
    expect(hash.startsWith(`scrypt$${DEFAULT_SCRYPT.N}$8$1$`)).toBe(true);
    expect(DEFAULT_SCRYPT.N).toBe(32768);
    expect(await new PasswordService().verify('production strength', hash)).toBe(true);
  });

  it('answers false, not an exception, for malformed or abusive hashes', async () => {
    const good = await passwords.hash('correct horse battery');
    const parts = good.split('$');
    for (const bad of [
      '',
      'plain',
      'bcrypt$2b$10$abc',
      good.replace('scrypt$1024', 'scrypt$1000'),
      ['scrypt', String(2 ** 24), ...parts.slice(2)].join('$'),
      good.slice(0, -10),
    ]) {
      expect(await passwords.verify('correct horse battery', bad)).toBe(false);
    }
  });

  it('refuses passwords shorter than 12 or absurdly long', async () => {
    await expect(passwords.hash('short')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(passwords.hash('x'.repeat(1025))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(passwords.hash('exactly12chr')).resolves.toMatch(/^scrypt\$/);
  });

  it('has a dummy hash that no password matches, computed once', async () => {
    const dummy = await passwords.dummyHash();
    expect(await passwords.dummyHash()).toBe(dummy);
    expect(await passwords.verify('correct horse battery', dummy)).toBe(false);
  });

  it('generates random passwords that pass its own policy', () => {
    const a = PasswordService.generate();
    expect(a.length).toBeGreaterThanOrEqual(12);
    expect(a).not.toBe(PasswordService.generate());
  });
});
