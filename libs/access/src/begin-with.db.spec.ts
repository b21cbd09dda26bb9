import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { beginWith, textLiteral, uuidLiteral } from './begin-with';
import { readAndCommit } from './pipeline';

/** beginWith: one transaction, as dataSource.transaction opens one, with its first statement sent together with BEGIN. */
describe('beginWith (libs/access)', () => {
  let ctx: ServiceContext;
  let ds: DataSource;
  const tenant = '5f0c6f7e-1d2a-4b3c-8d4e-9f00aa11bb22';

  beforeAll(async () => {
    ctx = await startServiceContext();
    ds = ctx.app.get<DataSource>(getDataSourceToken());
  });
  afterAll(async () => {
    await ctx.close();
  });

  const setting = (m: { query(sql: string): Promise<Array<{ v: string | null }>> }) =>
    m.query(`SELECT current_setting('cairn.tenant_id', true) AS v`).then((r) => r[0].v);

  it('gives fn the first statement’s rows, inside one transaction whose local settings end with it', async () => {
    const seen = await beginWith(
      ds,
      `SELECT set_config('cairn.tenant_id', ${uuidLiteral(tenant)}::text, true) AS v, txid_current_if_assigned() IS NULL AS fresh`,
      async (m, rows) => {
        const [{ in_tx }] = await m.query(`SELECT now() = statement_timestamp() AS in_tx`);
        return { rows, inside: await setting(m), in_tx };
      },
    );
    expect(seen.rows).toEqual([{ v: tenant, fresh: true }]);
    expect(seen.inside).toBe(tenant);
    // now() is the transaction's start: a later statement in the same transaction sees an earlier one.
    expect(seen.in_tx).toBe(false);
    // The pooled connection comes back without the setting (transaction-local), every time.
    for (let i = 0; i < 12; i++) expect(['', null]).toContain(await setting(ds));
  });

  it('rolls back what fn wrote when fn throws, and when the first statement fails, leaving no connection in an aborted transaction', async () => {
    const owner = await ctx.owner();
    await owner.query(`CREATE TABLE bw_probe_t (n int); GRANT SELECT, INSERT ON bw_probe_t TO cairn_app`);
    await expect(
      beginWith(ds, `SELECT 1 AS one`, async (m) => {
        await m.query(`INSERT INTO bw_probe_t VALUES (1)`);
        throw new Error('fn failed');
      }),
    ).rejects.toThrow('fn failed');
    await expect(beginWith(ds, `SELECT 1 / 0 AS boom`, async () => 'never')).rejects.toThrow(/division by zero/);
    // Every pooled connection still answers (none was left in a failed transaction).
    const answers = await Promise.all(Array.from({ length: 12 }, () => ds.query(`SELECT count(*)::int AS n FROM bw_probe_t`)));
    for (const [{ n }] of answers) expect(n).toBe(0);
  });

  it('keeps nested manager.transaction working (a savepoint inside the one transaction)', async () => {
    const out = await beginWith(ds, `SELECT set_config('cairn.tenant_id', ${textLiteral(tenant)}, true) AS v`, async (m) => {
      await m.transaction(async (inner) => {
        expect(await setting(inner)).toBe(tenant);
      });
      await m
        .transaction(async () => {
          throw new Error('inner');
        })
        .catch(() => undefined);
      return setting(m);
    });
    expect(out).toBe(tenant);
  });

  it('refuses anything but a UUID as a literal', () => {
    expect(() => uuidLiteral(`x'; DROP TABLE tenant; --`)).toThrow('not a UUID');
    expect(textLiteral(`it's`)).toBe(`'it''s'`);
  });

  describe('with a statement ahead of the transaction (`before`)', () => {
    beforeAll(async () => {
      const owner = await ctx.owner();
      await owner.query(`CREATE TABLE bw_ahead_t (n int); GRANT SELECT, INSERT ON bw_ahead_t TO cairn_app`);
    });
    const count = async () => (await ds.query(`SELECT count(*)::int AS n FROM bw_ahead_t`))[0].n as number;

    it('gives fn its rows, and it stays committed when the transaction rolls back (it ran on its own)', async () => {
      const before = await count();
      await expect(
        beginWith(
          ds,
          `SELECT set_config('cairn.tenant_id', ${uuidLiteral(tenant)}::text, true) AS v`,
          async (m, rows, ahead) => {
            expect(rows).toEqual([{ v: tenant }]);
            expect(ahead).toEqual([{ n: 7 }]);
            await m.query(`INSERT INTO bw_ahead_t VALUES (2)`);
            throw new Error('refused after the charge');
          },
          { sql: `INSERT INTO bw_ahead_t VALUES ($1) RETURNING n`, params: [7] },
        ),
      ).rejects.toThrow('refused after the charge');
      // The statement ahead committed; what fn wrote in the transaction did not.
      expect(await count()).toBe(before + 1);
      expect((await ds.query(`SELECT count(*)::int AS n FROM bw_ahead_t WHERE n = 2`))[0].n).toBe(0);
    });

    it('when it fails, its error is thrown, fn does not run, and no connection is left in a transaction', async () => {
      let ran = false;
      await expect(
        beginWith(
          ds,
          `SELECT 1 AS one`,
          async () => {
            ran = true;
          },
          { sql: `SELECT 1 / $1::int AS boom`, params: [0] },
        ),
      ).rejects.toThrow(/division by zero/);
      expect(ran).toBe(false);
      // A connection left inside a transaction would answer with the transaction's older now().
      const answers = await Promise.all(Array.from({ length: 12 }, () => ds.query(`SELECT now() = statement_timestamp() AS fresh`)));
      for (const [{ fresh }] of answers) expect(fresh).toBe(true);
    });
  });

  describe('readAndCommit', () => {
    it("in beginWith's transaction: the read and its COMMIT are all that is sent, and the transaction is over", async () => {
      const sent: string[] = [];
      let spy: jest.SpyInstance | undefined;
      try {
        const rows = await beginWith(ds, `SELECT set_config('cairn.tenant_id', ${uuidLiteral(tenant)}::text, true) AS v`, async (m) => {
          const connection = (m.queryRunner as unknown as { databaseConnection: { query: (...a: unknown[]) => unknown } })
            .databaseConnection;
          const query = connection.query.bind(connection);
          spy = jest.spyOn(connection, 'query').mockImplementation(((...args: unknown[]) => {
            const q = args[0] as string | { name?: string; text: string };
            sent.push(typeof q === 'string' ? q : `${q.name}: ${q.text}`);
            return query(...args);
          }) as never);
          return readAndCommit<{ v: string }>(m, {
            name: 'bw_read_last',
            sql: `SELECT current_setting('cairn.tenant_id', true) AS v`,
            params: [],
          });
        });
        expect(rows).toEqual([{ v: tenant }]);
      } finally {
        spy?.mockRestore();
      }
      expect(sent).toEqual([`bw_read_last: SELECT current_setting('cairn.tenant_id', true) AS v`, 'COMMIT']);
    });

    it('in any other transaction it is a plain read, and the transaction goes on', async () => {
      const out = await ds.transaction(async (m) => {
        await m.query(`SELECT set_config('cairn.tenant_id', ${textLiteral(tenant)}, true)`);
        const [{ v }] = await readAndCommit<{ v: string }>(m, { sql: `SELECT current_setting('cairn.tenant_id', true) AS v`, params: [] });
        return { v, still: await setting(m) };
      });
      expect(out).toEqual({ v: tenant, still: tenant });
    });
  });
});
