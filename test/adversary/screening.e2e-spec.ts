import { Client } from 'pg';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from '../support/test-app';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { fresh, publishRaw, sco, screen, screenOk, type Applicant, type Screening } from '../factories/screening.factory';

/**
 * A hostile member holds the public tenant directory and may publish, sight and screen as it
 * likes. Whatever it sends, screening answers must not tell it who reported an identifier: not by
 * counts, not by the difference between two answers, not by errors, not by where a value sits in
 * a batch, and the reporter must not learn that it was screened.
 */
describe('adversary: what screening answers give away', () => {
  let api: TestApp;
  let db: Client;
  let hostile: TenantEntity; // healthcare, DE
  let p: TenantEntity;
  let q: TenantEntity;
  let r: TenantEntity;
  let lone: TenantEntity; // the only insurer, the only member in JP
  const key = new Map<TenantEntity, string>();
  let directory: string;

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    hostile = await newTenant(api.app, { name: 'Hostile GmbH', country: 'DE', sectors: ['healthcare'] });
    p = await newTenant(api.app, { name: 'Papa Klinik', country: 'DE', sectors: ['healthcare'] });
    q = await newTenant(api.app, { name: 'Quebec Praxis', country: 'DE', sectors: ['healthcare'] });
    r = await newTenant(api.app, { name: 'Romeo Bank', country: 'US', sectors: ['financial-services'] });
    for (let i = 0; i < 4; i++) await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    lone = await newTenant(api.app, { name: 'Lone Insurer KK', country: 'JP', sectors: ['insurance'] });
    for (const t of [hostile, p, q, r, lone]) key.set(t, await newApiKey(api.app, t));
    const dir = await gql<{ tenants: Array<{ name: string }> }>(
      api.baseUrl,
      '{ tenants { name country sectors } }',
      {},
      { authorization: key.get(hostile)! },
    );
    expect(dir.errors).toBeUndefined();
    directory = JSON.stringify(dir.data!.tenants);
    expect(directory).toContain('Lone Insurer KK');
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const names = () => [p, q, r, lone].flatMap((t) => [t.id, t.slug, t.name]);

  it('an identifier only the lone member reported: no count, no cell of its own, nothing that names it', async () => {
    const v = fresh();
    await publishRaw(api, key.get(lone)!, [sco('email-addr', { value: v.gmail }), sco('ipv4-addr', { value: v.ip })], {
      distribution: 'COMMUNITY',
      tlp: 'GREEN',
    });
    const [answer] = await screenOk(api, key.get(hostile)!, [{ ref: 'probe', emails: [v.gmailVariant], ips: [v.ip] }]);
    expect(answer.matches).toHaveLength(2);
    for (const m of answer.matches) {
      expect(m.reporters).toBeNull();
      expect(m.cells.map((c) => `${c.sector}/${c.area}`)).not.toEqual(expect.arrayContaining(['insurance/JP']));
    }
    expect(answer.signals.maxReporters).toBeNull();
    const text = JSON.stringify(answer);
    for (const s of names()) expect(text).not.toContain(s);
    expect(text).not.toMatch(/JP|insurance|asia|japan/i);
  });

  it('differencing two answers counts nobody: the signals never sum reporters across identifiers', async () => {
    // Z: three members other than the hostile one (count shown). X: the lone member only (hidden).
    const [z, xv] = [fresh(), fresh()];
    for (const t of [p, q, r])
      await publishRaw(api, key.get(t)!, [sco('ipv4-addr', { value: z.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publishRaw(api, key.get(lone)!, [sco('ipv4-addr', { value: xv.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const [zOnly] = await screenOk(api, key.get(hostile)!, [{ ref: 'z', ips: [z.ip] }]);
    const [both] = await screenOk(api, key.get(hostile)!, [{ ref: 'z', ips: [z.ip, xv.ip] }]);
    expect(zOnly.matches[0].reporters).toBe(3);
    // A union over {X, Z} would say 4 and so tell that X has exactly one reporter, not among Z's.
    expect(both.signals.maxReporters).toBe(zOnly.signals.maxReporters);
    expect(both.matches.find((m) => m.value === xv.ip)!.reporters).toBeNull();
    // Every figure in the signals is one of the per-identifier figures, or counts the caller's own identifiers.
    const perIdentifier = new Set(both.matches.map((m) => m.reporters));
    expect(perIdentifier.has(both.signals.maxReporters)).toBe(true);
  });

  it('publishing the identifier itself does not lift the hidden count: only other members count', async () => {
    const v = fresh();
    await publishRaw(api, key.get(lone)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publishRaw(api, key.get(hostile)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publishRaw(api, key.get(p)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const [answer] = await screenOk(api, key.get(hostile)!, [{ ref: 'own', ips: [v.ip] }]);
    expect(answer.matches[0].reporters).toBeNull(); // lone and p: two others, fewer than k = 3
  });

  it('an identifier’s answer does not depend on the batch around it (no position or neighbour side channel)', async () => {
    const v = fresh();
    await publishRaw(api, key.get(lone)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const alone = (await screenOk(api, key.get(hostile)!, [{ ref: 'a', ips: [v.ip] }]))[0];
    const crowd: Applicant[] = Array.from({ length: 40 }, (_, i) => ({
      ref: `n${i}`,
      ips: [`10.77.${i}.1`],
      emails: [`n${i}@example.org`],
    }));
    const inBatch = (
      await screenOk(api, key.get(hostile)!, [...crowd.slice(0, 20), { ref: 'a', ips: [`10.78.0.1`, v.ip] }, ...crowd.slice(20)])
    )[20];
    expect(inBatch.matches).toEqual(alone.matches);
  });

  it('invisible, never published and unparseable-elsewhere values answer the same; errors carry no data', async () => {
    const [hidden, never] = [fresh(), fresh()];
    await publishRaw(api, key.get(lone)!, [sco('email-addr', { value: hidden.gmail })], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await publishRaw(api, key.get(p)!, [sco('email-addr', { value: hidden.gmail.replace('Dan', 'Eve') })], {
      distribution: 'RECIPIENTS',
      tlp: 'RED',
      recipientTenantIds: [q.id],
    });
    const ask = (email: string) => screenOk(api, key.get(hostile)!, [{ ref: 'same', emails: [email] }]);
    const strip = (s: Screening[]) =>
      JSON.stringify(s)
        .replaceAll(hidden.gmailVariant, 'V')
        .replaceAll(never.gmailVariant, 'V')
        .replaceAll(hidden.gmail.replace('Dan', 'Eve'), 'V');
    expect(strip(await ask(hidden.gmailVariant))).toBe(strip(await ask(never.gmailVariant)));
    expect(strip(await ask(hidden.gmail.replace('Dan', 'Eve')))).toBe(strip(await ask(never.gmailVariant)));
    // A malformed batch is refused for its shape alone, before anything is looked up.
    const bad = await screen(api, key.get(hostile)!, [{ ref: '', emails: [hidden.gmailVariant] }]);
    const badNever = await screen(api, key.get(hostile)!, [{ ref: '', emails: [never.gmailVariant] }]);
    expect(JSON.stringify(bad.errors)).toBe(JSON.stringify(badNever.errors));
    expect(JSON.stringify(bad)).not.toMatch(/stack|QueryFailedError|relation|observable_index/i);
  });

  it('the reporter does not learn that it was screened: nothing it can read changes', async () => {
    const v = fresh();
    await publishRaw(api, key.get(lone)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const seenByLone = async () => {
      const audit = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1`, [lone.id]);
      const objects = await gql(api.baseUrl, '{ objects(first: 1000) { edges { node { id } } } }', {}, { authorization: key.get(lone)! });
      return JSON.stringify([audit.rows[0].n, objects.data]);
    };
    const before = await seenByLone();
    await screenOk(api, key.get(hostile)!, [{ ref: 'silent', ips: [v.ip] }]);
    expect(await seenByLone()).toBe(before);
  });
});
