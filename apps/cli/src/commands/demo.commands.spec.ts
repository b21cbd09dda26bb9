import { generateDemo } from '@cairn/demo';
import { runCli } from '../cli-runner';
import { demoCommands } from './demo.commands';
import { createTestDatabase } from '../../../../test/support/database';
import { fakeIo, sqlOn, cliEnv } from '../../../../test/support/cli';

const SCALE = '0.1';
const TABLES = [
  'tenant',
  'app_user',
  'sharing_group',
  'sharing_group_member',
  'stix_object',
  'observable_index',
  'sighting_fact',
  'audit_log',
];

describe('seed-demo: all or nothing', () => {
  const saved = { ...process.env };
  let databaseUrl: string;

  const sql = sqlOn(() => databaseUrl);
  const counts = async () =>
    (
      await sql<{ counts: Record<string, number> }>(
        `SELECT json_build_object(${TABLES.map((t) => `'${t}', (SELECT count(*) FROM ${t})`).join(', ')}) AS counts`,
      )
    )[0].counts;
  const useDatabase = (url: string) => {
    databaseUrl = url;
    Object.assign(process.env, cliEnv(url));
  };
  afterAll(() => {
    process.env = saved;
  });

  it('loads into a database whose exchange tenant exists already (a server started there once without demo data)', async () => {
    useDatabase(await createTestDatabase());
    await sql(
      `INSERT INTO tenant (slug, name, country, sectors, kind) VALUES ('cairn-exchange', 'Cairn exchange', 'NL', '{}', 'exchange')`,
    );
    const run = fakeIo();
    expect(await runCli(demoCommands, ['seed-demo', '--scale', SCALE, '--anchor', '2026-01-15'], run.io)).toBe(0);
    expect(run.out.join('\n')).toContain('Demo data loaded');
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM tenant WHERE kind = 'exchange'`))[0].n).toBe(1);
    // Every sighting has its fact, and the activity leads up to the anchor day.
    const [f] = await sql<{ sightings: number; facts: number; last: Date }>(
      `SELECT (SELECT count(*)::int FROM stix_object WHERE type = 'sighting') AS sightings, count(*)::int AS facts, max(last_seen) AS last FROM sighting_fact`,
    );
    expect(f.facts).toBe(f.sightings);
    expect(f.last.toISOString() < '2026-01-15').toBe(true);
    expect(f.last.toISOString() > '2026-01-01').toBe(true);
  });

  it.each(['2026-02-30', 'today'])('refuses the anchor %j as a usage error', async (anchor) => {
    const run = fakeIo();
    expect(await runCli(demoCommands, ['seed-demo', '--anchor', anchor], run.io)).toBe(2);
    expect(run.err.join('\n')).toContain('--anchor must be a date');
  });

  it('refuses a second load, naming what exists, and writes nothing', async () => {
    useDatabase(await createTestDatabase());
    expect(await runCli(demoCommands, ['seed-demo', '--scale', SCALE], fakeIo().io)).toBe(0);
    const before = await counts();
    const again = fakeIo();
    expect(await runCli(demoCommands, ['seed-demo', '--scale', SCALE], again.io)).toBe(1);
    const text = again.err.join('\n');
    const data = generateDemo({ seed: 1, scale: Number(SCALE) });
    expect(text).toContain('nothing was written');
    expect(text).toContain(data.tenants[0].slug);
    expect(text).not.toMatch(/\n\s+at |duplicate key|violates/);
    expect(await counts()).toEqual(before);
  });

  it('refuses another seed whose data overlaps only in a user e-mail address, and writes nothing', async () => {
    useDatabase(await createTestDatabase());
    const data = generateDemo({ seed: 1, scale: Number(SCALE) });
    const user = data.tenants[0].users[0];
    // Someone else's account under an address the demo would create.
    await sql(`INSERT INTO tenant (slug, name, country, sectors) VALUES ('someone-else', 'Someone else', 'DE', '{healthcare}')`);
    await sql(
      `INSERT INTO app_user (tenant_id, email, name, role, password_hash) SELECT id, $1, 'X', 'reader', 'scrypt$x' FROM tenant WHERE slug = 'someone-else'`,
      [user.email],
    );
    const before = await counts();
    const run = fakeIo();
    expect(await runCli(demoCommands, ['seed-demo', '--scale', SCALE], run.io)).toBe(1);
    expect(run.err.join('\n')).toContain(user.email);
    expect(await counts()).toEqual(before);
  });
});
