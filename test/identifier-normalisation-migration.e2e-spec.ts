import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { IntelService } from '@cairn/intel';
import { IdentifierNormalisation1766000700000 } from '../libs/database/src/migrations/1766000700000-identifier-normalisation';
import { startTestApp, type TestApp } from './support/test-app';
import { machineViewer, newApiKey, newTenant } from './factories/tenancy.factory';
import { fresh, sco, screenOk } from './factories/screening.factory';

// Index rows written under the normalisation before issue 19 are rebuilt by the migration, so that
// screening (and checkIdentifiers) find them by the canonical form.
describe('migration IdentifierNormalisation1766000700000: index rows of the old normalisation are rebuilt', () => {
  let api: TestApp;
  let db: Client;
  const run = () =>
    new IdentifierNormalisation1766000700000().up({
      query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows,
    } as unknown as QueryRunner);

  beforeAll(async () => {
    api = await startTestApp();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('re-keys raw e-mail and phone rows and indexes payment-URI wallets, keeping audience and cell; idempotent', async () => {
    const pub = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    const other = await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    await newTenant(api.app, { country: 'FR', sectors: ['insurance'] });
    const key = await newApiKey(api.app, other, ['intel:read']);
    const v = fresh();
    const wallet = sco('cryptocurrency-wallet', { value: `bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?label=${v.github}` });
    const ip = sco('ipv4-addr', { value: v.ip });
    await api.app.get(IntelService).storeObjects(machineViewer(pub), [wallet, ip], { distribution: 'COMMUNITY', tlp: 'GREEN' });
    const {
      rows: [row],
    } = await db.query(`SELECT o.pk::text AS pk FROM stix_object o WHERE o.id = $1`, [ip.id]);
    const {
      rows: [walletRow],
    } = await db.query(`SELECT o.pk::text AS pk FROM stix_object o WHERE o.id = $1`, [wallet.id]);
    // As the code before stored them: raw e-mail and phone keys in the old form, no row for the URI.
    const oldEmail = `dan.kim.${v.github}+jobs@googlemail.com`;
    for (const [kind, k] of [
      ['EMAIL', oldEmail],
      ['PHONE', '+4402079469999'],
    ]) {
      await db.query(
        `INSERT INTO observable_index (object_pk, kind, key, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, cell_sector, cell_area)
         SELECT object_pk, $2, $3, publisher_tenant_id, distribution, audience_sectors, audience_countries, audience_group_id, audience_recipients, cell_sector, cell_area
           FROM observable_index WHERE object_pk = $1::bigint AND kind = 'IPV4'`,
        [row.pk, kind, k],
      );
    }
    await db.query(`DELETE FROM observable_index WHERE object_pk = $1::bigint`, [walletRow.pk]);
    const applicant = {
      ref: 'm',
      emails: [`DanKim${v.github}@gmail.com`],
      phones: ['+44 20 7946 9999'],
      wallets: ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2'],
    };
    expect((await screenOk(api, key, [applicant]))[0].matches).toEqual([]);

    await run();
    await run();
    const rows = (
      await db.query(
        `SELECT kind, key, cell_sector, distribution FROM observable_index WHERE object_pk = ANY ($1::bigint[]) ORDER BY kind, key`,
        [[row.pk, walletRow.pk]],
      )
    ).rows;
    expect(rows.map((r) => `${r.kind} ${r.key}`)).toEqual([
      `EMAIL dankim${v.github}@gmail.com`,
      `IPV4 ${v.ip}`,
      'PHONE +442079469999',
      'WALLET 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    ]);
    // Re-keyed rows keep their object's audience and cell; a wallet never indexed before has no cell yet (lookup reindex gives it one).
    expect(new Set(rows.filter((r) => r.kind !== 'WALLET').map((r) => `${r.cell_sector} ${r.distribution}`)).size).toBe(1);
    expect(rows.find((r) => r.kind === 'WALLET')).toMatchObject({ cell_sector: null, distribution: 'COMMUNITY' });
    expect((await screenOk(api, key, [applicant]))[0].matches.map((m) => m.field)).toEqual(['EMAIL', 'PHONE', 'WALLET']);
  });
});
