import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { LookupQuotaService } from '@cairn/lookup';
import type { TenantEntity } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { withinOneDatabaseMinute } from './support/minute';
import { newApiKey, newTenant } from './factories/tenancy.factory';
import { fresh, publishRaw, sco, screen, screenOk, sdo, T0, type Applicant } from './factories/screening.factory';

const CHECK = `query($v: [String!]!) { checkIdentifiers(values: $v) { known } }`;
const REPORT = `mutation($i: ReportSightingInput!, $s: SharingInput) { reportSighting(input: $i, sharing: $s) { id } }`;
const QUOTA = 3000;

describe('screenApplicants: one batch of applicants against what each tenant may see', () => {
  let api: TestApp;
  let db: Client;
  const logLines: string[] = [];
  let a: TenantEntity; // healthcare, DE
  let b: TenantEntity; // healthcare, DE
  let x: TenantEntity; // healthcare, DE
  let c: TenantEntity; // financial-services, US
  let g: TenantEntity; // financial-services, US
  let lone: TenantEntity; // the only insurer, the only member in JP
  const key = new Map<TenantEntity, string>();

  beforeAll(async () => {
    api = await startTestApp({ env: { LOOKUP_QUOTA_PER_MINUTE: String(QUOTA) }, logLines });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    a = await newTenant(api.app, { name: 'Alpha Klinik', country: 'DE', sectors: ['healthcare'] });
    b = await newTenant(api.app, { name: 'Beta Praxis', country: 'DE', sectors: ['healthcare'] });
    x = await newTenant(api.app, { name: 'Xeno Spital', country: 'DE', sectors: ['healthcare'] });
    c = await newTenant(api.app, { name: 'Gamma Bank', country: 'US', sectors: ['financial-services'] });
    g = await newTenant(api.app, { name: 'Golf Credit Union', country: 'US', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    lone = await newTenant(api.app, { name: 'Lone Insurer KK', country: 'JP', sectors: ['insurance'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    await newTenant(api.app, { country: 'US', sectors: ['financial-services'] });
    for (const t of [a, b, x, c, g, lone]) key.set(t, await newApiKey(api.app, t));
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('finds the same applicant written differently: phone, Gmail, GitHub URL, résumé hash, mapped IP, checksum-case wallet', async () => {
    const v = fresh();
    await publishRaw(
      api,
      key.get(a)!,
      [
        sco('email-addr', { value: v.gmail }),
        sco('phone-number', { value: v.phone }),
        sco('user-account', { account_type: 'github', account_login: v.github.toUpperCase() }),
        sco('file', { name: 'cv.pdf', hashes: { 'SHA-256': v.sha } }),
        sco('ipv4-addr', { value: v.ip }),
        sco('cryptocurrency-wallet', { value: v.wallet }),
      ],
      { distribution: 'COMMUNITY', tlp: 'GREEN' },
    );

    const applicant: Applicant = {
      ref: `ats-${randomUUID()}`,
      emails: [v.gmailVariant.replace('dankim', 'd.a.n.kim.')],
      phones: [v.phoneVariant],
      handles: [{ platform: 'GitHub', value: `https://github.com/${v.github}?tab=repositories` }],
      resumeHashes: [`sha256:${v.sha.toUpperCase()}`],
      ips: [`::ffff:${v.ip}`],
      wallets: [`ethereum:${v.wallet.toUpperCase().replace('0X', '0x')}`],
    };
    const [answer] = await screenOk(api, key.get(b)!, [applicant]);
    expect(answer.ref).toBe(applicant.ref);
    expect(answer.rejected).toEqual([]);
    expect(answer.matches.map((m) => m.field)).toEqual(['EMAIL', 'PHONE', 'HANDLE', 'RESUME_HASH', 'IP', 'WALLET']);
    expect(answer.matches.find((m) => m.field === 'PHONE')).toMatchObject({ normalised: v.phoneE164, value: v.phoneVariant });
    for (const m of answer.matches) {
      // One member other than b: known, but no count (small-count protection); its cell is shared by three members.
      expect(m).toMatchObject({
        reporters: null,
        cells: [{ sector: 'healthcare', area: 'DE', label: expect.any(String) }],
        latestTlp: 'GREEN',
      });
    }
    expect(answer.signals).toMatchObject({
      matchedIdentifiers: 6,
      maxReporters: null,
      matchedFields: ['EMAIL', 'HANDLE', 'IP', 'PHONE', 'RESUME_HASH', 'WALLET'],
    });
  });

  it('identifiers the viewer may not see do not match: organisation-only, another sector, other recipients', async () => {
    const [own, sector, recipients] = [fresh(), fresh(), fresh()];
    await publishRaw(api, key.get(a)!, [sco('email-addr', { value: own.gmail })], { distribution: 'ORGANISATION', tlp: 'AMBER' });
    await publishRaw(api, key.get(a)!, [sco('email-addr', { value: sector.gmail })], { distribution: 'SECTOR', tlp: 'GREEN' });
    await publishRaw(api, key.get(a)!, [sco('email-addr', { value: recipients.gmail })], {
      distribution: 'RECIPIENTS',
      tlp: 'RED',
      recipientTenantIds: [c.id],
    });
    const applicant = (ref: string): Applicant => ({ ref, emails: [own.gmailVariant, sector.gmailVariant, recipients.gmailVariant] });
    const matched = async (t: TenantEntity) => (await screenOk(api, key.get(t)!, [applicant('r')]))[0].matches.map((m) => m.value);

    expect(await matched(a)).toEqual([own.gmailVariant, sector.gmailVariant, recipients.gmailVariant]);
    expect(await matched(b)).toEqual([sector.gmailVariant]);
    expect(await matched(c)).toEqual([recipients.gmailVariant]);
    expect(await matched(g)).toEqual([]);
    expect(await matched(lone)).toEqual([]);
    // What an outsider gets for an invisible identifier is exactly what it gets for one nobody published.
    const never = fresh();
    const [hidden] = await screenOk(api, key.get(g)!, [{ ref: 'r', emails: [own.gmailVariant] }]);
    const [absent] = await screenOk(api, key.get(g)!, [{ ref: 'r', emails: [never.gmailVariant] }]);
    expect({ ...hidden }).toEqual({ ...absent });
  });

  it('small crowds stay protected: counts shown only for k members other than the viewer, cells only where k report', async () => {
    const v = fresh();
    for (const t of [a, b, x])
      await publishRaw(api, key.get(t)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    await publishRaw(api, key.get(lone)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const [byG] = await screenOk(api, key.get(g)!, [{ ref: 'r', ips: [v.ip] }]);
    expect(byG.matches[0].reporters).toBe(4);
    // The lone insurer's cell is never its own (insurance / JP): it is reported at a coarser level.
    expect(byG.matches[0].cells.map((cell) => `${cell.sector}/${cell.area}`)).not.toContain('insurance/JP');
    expect(JSON.stringify(byG)).not.toMatch(/JP|insurance|asia/);
    // a sees three others (b, x, lone): shown; lone alone would not be.
    expect((await screenOk(api, key.get(a)!, [{ ref: 'r', ips: [v.ip] }]))[0].matches[0].reporters).toBe(4);
    const solo = fresh();
    await publishRaw(api, key.get(lone)!, [sco('ipv4-addr', { value: solo.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const [one] = await screenOk(api, key.get(g)!, [{ ref: 'r', ips: [solo.ip] }]);
    expect(one.matches[0]).toMatchObject({ reporters: null, sightings: 0 });
    expect(one.matches[0].cells.map((cell) => cell.area)).not.toContain('JP');
    for (const t of [a, b, x, c, lone]) for (const s of [t.id, t.slug, t.name]) expect(JSON.stringify([byG, one])).not.toContain(s);
  });

  it('reports the hiring context of sightings and the linked actor and persona, never who sighted', async () => {
    const v = fresh();
    const ind = sdo('indicator', {
      pattern: `[user-account:account_type = 'github' AND user-account:account_login = '${v.github}']`,
      pattern_type: 'stix',
      valid_from: T0,
    });
    const actor = sdo('threat-actor', { name: 'Famous Chollima' });
    const persona = sco('persona', { persona_name: `Dan Kim ${v.github}`, persona_type: 'job-applicant' });
    const [indId, actorId, personaId] = await publishRaw(api, key.get(c)!, [ind, actor, persona], {
      distribution: 'COMMUNITY',
      tlp: 'GREEN',
    });
    await publishRaw(
      api,
      key.get(c)!,
      [
        sdo('relationship', { relationship_type: 'attributed-to', source_ref: indId, target_ref: actorId }),
        sdo('relationship', { relationship_type: 'related-to', source_ref: indId, target_ref: personaId }),
      ],
      { distribution: 'COMMUNITY', tlp: 'GREEN' },
    );
    const stages = { a: 'APPLICATION', b: 'OFFER', x: 'INTERVIEW' } as const;
    for (const [name, t] of [
      ['a', a],
      ['b', b],
      ['x', x],
    ] as const) {
      const res = await gql(
        api.baseUrl,
        REPORT,
        {
          i: { sightingOf: indId, firstSeen: '2025-06-03T09:00:00Z', interviewStage: stages[name], roleCategory: 'SOFTWARE' },
          s: { distribution: 'COMMUNITY', tlp: 'GREEN' },
        },
        { authorization: key.get(t)! },
      );
      expect(res.errors).toBeUndefined();
    }
    const [answer] = await screenOk(api, key.get(g)!, [
      { ref: 'r', handles: [{ platform: 'github', value: `@${v.github}` }], names: [`  DAN   kim ${v.github}`] },
    ]);
    const handle = answer.matches.find((m) => m.field === 'HANDLE')!;
    expect(handle).toMatchObject({
      reporters: 4,
      sightings: 3,
      interviewStages: ['APPLICATION', 'INTERVIEW', 'OFFER'],
      roleCategories: ['SOFTWARE'],
      linkedActors: ['Famous Chollima'],
      linkedPersonas: [personaId],
    });
    expect(handle.cells).toEqual(expect.arrayContaining([expect.objectContaining({ sector: 'healthcare', area: 'DE' })]));
    // The persona's protected name matches by its keyed hash.
    expect(answer.matches.find((m) => m.field === 'NAME')).toMatchObject({ linkedPersonas: [personaId] });
    expect(answer.signals).toMatchObject({
      sightedIdentifiers: 1,
      linkedActors: ['Famous Chollima'],
      interviewStages: ['APPLICATION', 'INTERVIEW', 'OFFER'],
      maxReporters: 4,
    });
  });

  it('reports bad values per applicant and value, and screens the rest', async () => {
    const v = fresh();
    await publishRaw(api, key.get(a)!, [sco('ipv4-addr', { value: v.ip })], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const answers = await screenOk(api, key.get(b)!, [
      {
        ref: 'first',
        phones: ['020 7946 0958', '+1 202 555 01x7'],
        emails: ['not-an-address'],
        ips: [v.ip],
        handles: [
          { platform: 'myspace', value: 'kim' },
          { platform: 'telegram', value: '@abc' },
        ],
      },
      { ref: 'second', phones: ['020 7946 0958'], country: 'GB', wallets: ['0x1234'], resumeHashes: ['d41d8cd98f00b204e9800998ecf8427e'] },
    ]);
    expect(answers[0].matches.map((m) => m.value)).toEqual([v.ip]);
    expect(answers[0].rejected).toEqual([
      { field: 'EMAIL', value: 'not-an-address', reason: expect.stringMatching(/@/) },
      { field: 'PHONE', value: '020 7946 0958', reason: expect.stringMatching(/country code/) },
      { field: 'PHONE', value: '+1 202 555 01x7', reason: expect.stringMatching(/digits/) },
      { field: 'HANDLE', value: 'myspace:kim', reason: expect.stringMatching(/unknown platform/) },
      { field: 'HANDLE', value: 'telegram:@abc', reason: expect.stringMatching(/telegram handle/) },
    ]);
    // With the applicant's country the national number parses; the others stay rejected.
    expect(answers[1].rejected.map((r) => r.field)).toEqual(['RESUME_HASH', 'WALLET']);
    expect(answers[1].rejected[0].reason).toMatch(/MD5/);
  });

  it('refuses a malformed batch whole with BAD_USER_INPUT naming the applicant', async () => {
    const long = await screen(api, key.get(b)!, [{ ref: 'ok' }, { ref: 'x'.repeat(201) }]);
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_APPLICANT', field: 'applicants[1].ref' });
    const many = await screen(api, key.get(b)!, [{ ref: 'many', ips: Array.from({ length: 101 }, (_, i) => `10.9.0.${i}`) }]);
    expect(many.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_APPLICANT', field: 'applicants[0]' });
    const crowd = await screen(
      api,
      key.get(b)!,
      Array.from({ length: 1001 }, (_, i) => ({ ref: `r${i}` })),
    );
    expect(crowd.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_APPLICANTS', field: 'applicants' });
    expect(JSON.stringify([long, many, crowd])).not.toMatch(/stack|at Object|typeorm|postgres|QueryFailedError/i);
  });

  it('never stores nor logs the ref: no table, no audit entry, no log line holds it', async () => {
    const ref = `candidate-${randomUUID()}`;
    await screenOk(api, key.get(b)!, [{ ref, emails: [fresh().gmail], ips: ['198.51.100.77'] }]);
    await api.app.get(LookupQuotaService).closeWindows();
    const { rows: columns } = await db.query(
      `SELECT table_schema, table_name, column_name FROM information_schema.columns
        WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND data_type IN ('text', 'jsonb', 'json', 'character varying', 'ARRAY', 'character')`,
    );
    expect(columns.some((col) => col.table_name === 'audit_log')).toBe(true);
    for (const col of columns) {
      const hit = await db.query(
        `SELECT 1 FROM "${col.table_schema}"."${col.table_name}" WHERE "${col.column_name}"::text LIKE $1 LIMIT 1`,
        [`%${ref}%`],
      );
      expect([col.table_name, col.column_name, hit.rowCount]).toEqual([col.table_name, col.column_name, 0]);
    }
    expect(logLines.join('\n')).not.toContain(ref);
  });

  it('counts against the lookup quota, shared with checkIdentifiers: neither is a way around the other', async () => {
    // Exact counts within one per-minute window: again, afresh, if the minute ended meanwhile.
    await withinOneDatabaseMinute(db, async () => {
      const q = await newTenant(api.app, { country: 'DE', sectors: ['healthcare'] });
      const qKey = await newApiKey(api.app, q, ['intel:read']);
      // Duplicates across applicants are one identifier: 1,000 applicants with the same e-mail cost 1.
      const same = fresh().gmail;
      expect(
        await screenOk(
          api,
          qKey,
          Array.from({ length: 1000 }, (_, i) => ({ ref: `dup${i}`, emails: [same] })),
        ),
      ).toHaveLength(1000);
      const ips = Array.from({ length: QUOTA }, (_, i) => `10.${Math.floor(i / 250) + 100}.${i % 250}.1`);
      const batch: Applicant[] = Array.from({ length: Math.ceil(ips.length / 100) }, (_, i) => ({
        ref: `b${i}`,
        ips: ips.slice(i * 100, i * 100 + 100),
      }));
      await screenOk(api, qKey, batch.slice(0, 10)); // 1,000 + 1
      await screenOk(api, qKey, batch.slice(10, 20)); // 2,000 + 1
      const over = await screen(api, qKey, batch.slice(20));
      expect(over.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'QUOTA_EXCEEDED', quota: 'per-minute' });
      // The remaining 999 still fit; then checkIdentifiers is refused as well.
      expect((await gql(api.baseUrl, CHECK, { v: ips.slice(0, 999) }, { authorization: qKey })).errors).toBeUndefined();
      const check = await gql(api.baseUrl, CHECK, { v: ['198.51.100.200'] }, { authorization: qKey });
      expect(check.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'QUOTA_EXCEEDED' });
      expect((await screen(api, qKey, [{ ref: 'again', ips: ['198.51.100.201'] }])).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    });
  });

  it('needs intel:read, and a credential', async () => {
    const sightingsOnly = await newApiKey(api.app, a, ['sightings:write']);
    expect((await screen(api, sightingsOnly, [{ ref: 'r', ips: ['198.51.100.1'] }])).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await gql(api.baseUrl, `query { screenApplicants(applicants: [{ ref: "r" }]) { ref } }`)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
