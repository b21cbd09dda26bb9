import { ModulesContainer } from '@nestjs/core';
import { TenancyService } from '@cairn/tenancy';
import { withCliContext } from './cli-context';
import { createTestDatabase } from '../../../test/support/database';
import { sqlOn, cliEnv } from '../../../test/support/cli';

// A CLI call needs the domain services, not the API's doors: none of them may start in its context.
describe('the CLI application context', () => {
  const saved = { ...process.env };
  let databaseUrl: string;
  const sql = sqlOn(() => databaseUrl);

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    Object.assign(process.env, cliEnv(databaseUrl));
  });
  afterAll(() => {
    process.env = saved;
  });

  it('has the domain services but no GraphQL module, no HTTP controller, no WebSocket door and no LISTEN connection', async () => {
    const seen = await withCliContext(
      async ({ app }) => {
        const modules = [...app.get(ModulesContainer).values()];
        // The services a command calls answer, over the database.
        const tenants = await app.get(TenancyService).listTenants();
        const database = new URL(databaseUrl).pathname.slice(1);
        const sessions = await sql<{ application_name: string; query: string }>(
          `SELECT application_name, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database],
        );
        return {
          tenants: Array.isArray(tenants),
          modules: modules.map((m) => m.metatype.name),
          controllers: modules.flatMap((m) => [...m.controllers.keys()].map((k) => (typeof k === 'function' ? k.name : String(k)))),
          providers: modules.flatMap((m) => [...m.providers.keys()].map((k) => (typeof k === 'function' ? k.name : String(k)))),
          sessions,
        };
      },
      () => undefined,
    );
    expect(seen.tenants).toBe(true);
    expect(seen.modules).toEqual(expect.arrayContaining(['TenancyModule', 'IntelModule', 'LookupModule']));
    expect(seen.modules.filter((name) => /GraphQL|Apollo|Taxii(?!Services)|^Sightings(?!Services)/.test(name))).toEqual([]);
    expect(seen.controllers).toEqual([]);
    for (const door of ['FeedHub', 'WsDoor', 'GraphQLSchemaHost']) expect(seen.providers).not.toContain(door);
    expect(seen.sessions.filter((s) => s.application_name === 'cairn-feed-listener' || /^\s*LISTEN/i.test(s.query))).toEqual([]);
    expect(seen.sessions.map((s) => s.application_name)).toContain('cairn-cli');
  });
});
