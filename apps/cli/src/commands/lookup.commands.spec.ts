import { runCli } from '../cli-runner';
import { demoCommands } from './demo.commands';
import { lookupCommands } from './lookup.commands';
import { createTestDatabase } from '../../../../test/support/database';
import { fakeIo, sqlOn, cliEnv } from '../../../../test/support/cli';

describe('lookup reindex repairs the index and the sighting facts', () => {
  const saved = { ...process.env };
  let databaseUrl: string;
  const sql = sqlOn(() => databaseUrl);
  const facts = () =>
    sql<{ row: Record<string, unknown> }>(`SELECT to_jsonb(f) AS row FROM sighting_fact f ORDER BY feed_seq`).then((r) =>
      r.map((x) => x.row),
    );
  const index = () =>
    sql<{ row: Record<string, unknown> }>(`SELECT to_jsonb(i) AS row FROM observable_index i ORDER BY object_pk, kind, key`).then((r) =>
      r.map((x) => x.row),
    );

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    Object.assign(process.env, cliEnv(databaseUrl));
    expect(await runCli(demoCommands, ['seed-demo', '--scale', '0.2', '--anchor', '2026-03-01'], fakeIo().io)).toBe(0);
  });
  afterAll(() => {
    process.env = saved;
  });

  it('writes back the very facts and index rows that were lost, and is idempotent', async () => {
    const factsBefore = await facts();
    const indexBefore = await index();
    expect(factsBefore.length).toBeGreaterThan(100);
    // What a store without its hooks left behind: sightings with no facts, objects with no index rows.
    await sql(`DELETE FROM sighting_fact`);
    await sql(`DELETE FROM observable_index`);
    const run = fakeIo();
    expect(await runCli(lookupCommands, ['lookup', 'reindex'], run.io)).toBe(0);
    expect(run.out.join('\n')).toContain(`${factsBefore.length} missing sighting facts written`);
    expect(await facts()).toEqual(factsBefore);
    expect(await index()).toEqual(indexBefore);

    const again = fakeIo();
    expect(await runCli(lookupCommands, ['lookup', 'reindex'], again.io)).toBe(0);
    expect(again.out.join('\n')).toContain(' 0 missing sighting facts written');
    expect(await facts()).toEqual(factsBefore);
  });

  it("files each repaired sighting under the cell its document names, not its publisher's cell as it is now", async () => {
    const factsBefore = await facts();
    // Some demo members report under a coarser cell than their own (small-crowd protection) …
    expect(factsBefore.some((f) => !/^[A-Z]{2}$/.test(String(f.cell_area)))).toBe(true);
    // … which they would not any more once more members joined: a repair that used the cell of
    // now would describe one sighting by a second cell.
    const cells = await sql<{ country: string; sector: string }>(
      `SELECT DISTINCT country, sectors[1] AS sector FROM tenant WHERE kind = 'member'`,
    );
    for (const c of cells) {
      for (let i = 0; i < 3; i++)
        await sql(`INSERT INTO tenant (slug, name, country, sectors) VALUES ($1, $1, $2, $3)`, [
          `late-${c.sector}-${c.country}-${i}`.toLowerCase(),
          c.country,
          [c.sector],
        ]);
    }
    // Half the facts lost (every other one): the rest stay as they are.
    await sql(`DELETE FROM sighting_fact WHERE feed_seq % 2 = 0`);
    const run = fakeIo();
    expect(await runCli(lookupCommands, ['lookup', 'reindex'], run.io)).toBe(0);
    expect(await facts()).toEqual(factsBefore);
  });
});
