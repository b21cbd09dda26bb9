import type { Socket } from 'node:net';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Client } from 'pg';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { TenancyService } from '@cairn/tenancy';
import { newTenant } from '../../../test/factories/tenancy.factory';
import { startServiceContext, type ServiceContext } from '../../../test/support/service-context';
import { queryAndCommit, queryPipelined, sideBySide } from './pipeline';
import type { AccessScope } from './access-scope';

/**
 * queryAndCommit on the real database: the feed order's row lock (feed_counter) is free again as
 * soon as the statement that took it is done — before the transaction's runner returns — and a
 * failing statement rolls the whole transaction back.
 */
describe('a last statement committed right behind it (libs/access)', () => {
  let ctx: ServiceContext;
  let owner: Client;
  let dataSource: DataSource;
  let scope: AccessScope;
  const lastSeq = async () => BigInt((await owner.query('SELECT last_seq::text AS seq FROM feed_counter')).rows[0].seq as string);
  /** Whether another connection can take the feed lock now, without waiting. */
  const lockIsFree = async () => {
    await owner.query('BEGIN');
    try {
      await owner.query('SELECT 1 FROM feed_counter FOR UPDATE NOWAIT');
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === '55P03') return false;
      throw err;
    } finally {
      await owner.query('ROLLBACK');
    }
  };

  beforeAll(async () => {
    ctx = await startServiceContext();
    owner = await ctx.owner();
    dataSource = ctx.app.get<DataSource>(getDataSourceToken());
    const tenant = await newTenant(ctx.app);
    scope = await ctx.app.get(TenancyService).accessScope(tenant.id);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('with m.query the lock stays held until the runner commits (what queryAndCommit removes)', async () => {
    const held = await ctx.app.get(TenancyService).asViewer(scope, async (m) => {
      await m.query('UPDATE feed_counter SET last_seq = last_seq RETURNING last_seq', []);
      return lockIsFree();
    });
    expect(held).toBe(false);
  });

  it('the statement is committed, and the lock free, while the runner has yet to return', async () => {
    const before = await lastSeq();
    const inside = await ctx.app.get(TenancyService).asViewer(scope, async (m) => {
      const rows = await queryAndCommit<{ seq: string }>(
        m,
        'UPDATE feed_counter SET last_seq = last_seq + $1 RETURNING last_seq::text AS seq',
        [3],
      );
      return { rows, free: await lockIsFree(), seen: await lastSeq() };
    });
    expect(inside.rows).toEqual([{ seq: String(before + 3n) }]);
    expect(inside.free).toBe(true);
    expect(inside.seen).toBe(before + 3n);
    expect(await lastSeq()).toBe(before + 3n);
  });

  it('a failing statement rolls back what the transaction did before it, and its error is thrown', async () => {
    const before = await lastSeq();
    const failed = ctx.app.get(TenancyService).asViewer(scope, async (m) => {
      await m.query('UPDATE feed_counter SET last_seq = last_seq + 1', []);
      return queryAndCommit(m, 'UPDATE feed_counter SET last_seq = last_seq + (1 / (last_seq - last_seq))', []);
    });
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    expect(await lastSeq()).toBe(before);
    expect(await lockIsFree()).toBe(true);
  });

  it("in beginWith's transaction (asViewer), its COMMIT ends it: nothing is sent behind the statement and the COMMIT", async () => {
    const before = await lastSeq();
    const sent: string[] = [];
    let spy: jest.SpyInstance | undefined;
    try {
      await ctx.app.get(TenancyService).asViewer(scope, async (m) => {
        // Every statement on the transaction's connection from here on, asViewer's own after fn included.
        const connection = (m.queryRunner as unknown as { databaseConnection: Client }).databaseConnection;
        const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
        spy = jest.spyOn(connection, 'query').mockImplementation(((...args: unknown[]) => {
          sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
          return query(...args);
        }) as never);
        await queryAndCommit(m, 'UPDATE feed_counter SET last_seq = last_seq + 2', []);
      });
    } finally {
      spy?.mockRestore();
    }
    expect(sent).toEqual(['UPDATE feed_counter SET last_seq = last_seq + 2', 'COMMIT']);
    expect(await lastSeq()).toBe(before + 2n);
    expect(await lockIsFree()).toBe(true);
  });

  it('in a transaction beginWith did not open, COMMIT and a BEGIN go behind it: committed, lock free, the runner still commits', async () => {
    const before = await lastSeq();
    const inside = await dataSource.transaction(async (m) => {
      await queryAndCommit(m, 'UPDATE feed_counter SET last_seq = last_seq + 4', []);
      return { free: await lockIsFree(), seen: await lastSeq(), open: m.queryRunner!.isTransactionActive };
    });
    expect(inside).toEqual({ free: true, seen: before + 4n, open: true });
    expect(await lastSeq()).toBe(before + 4n);
  });

  it('statements sent before it go in the same round trip; the first of them to fail is thrown, and nothing behind it is kept', async () => {
    const before = await lastSeq();
    const sent: string[][] = [];
    const asViewer = <T>(fn: (m: EntityManager) => Promise<T>) =>
      ctx.app.get(TenancyService).asViewer(scope, async (m) => {
        const connection = (m.queryRunner as unknown as { databaseConnection: Client & { pipeline: boolean } }).databaseConnection;
        const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
        const spy = jest.spyOn(connection, 'query').mockImplementation(((...args: unknown[]) => {
          const text = typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text);
          // Statements sent while the connection is in pipeline mode share one round trip.
          if (connection.pipeline && sent.length && sent.at(-1)![0] !== 'alone') sent.at(-1)!.push(text);
          else sent.push(connection.pipeline ? [text] : ['alone', text]);
          return query(...args);
        }) as never);
        try {
          return await fn(m);
        } finally {
          spy.mockRestore();
        }
      });
    const rows = await asViewer((m) =>
      queryAndCommit<{ seq: string }>(
        m,
        'UPDATE feed_counter SET last_seq = last_seq + 1 RETURNING last_seq::text AS seq',
        [],
        [
          { sql: 'SELECT 1 FROM feed_counter FOR UPDATE', params: [] },
          { sql: 'SELECT $1::int AS checked', params: [7] },
        ],
      ),
    );
    expect(rows).toEqual([{ seq: String(before + 1n) }]);
    expect(sent).toEqual([
      [
        'SELECT 1 FROM feed_counter FOR UPDATE',
        'SELECT $1::int AS checked',
        'UPDATE feed_counter SET last_seq = last_seq + 1 RETURNING last_seq::text AS seq',
        'COMMIT',
      ],
    ]);

    const failed = asViewer((m) =>
      queryAndCommit(
        m,
        'UPDATE feed_counter SET last_seq = last_seq + 1',
        [],
        [
          { sql: 'SELECT 1 FROM feed_counter FOR UPDATE', params: [] },
          { sql: "SELECT 'refused'::int", params: [] },
        ],
      ),
    );
    await expect(failed).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await lastSeq()).toBe(before + 1n);
    expect(await lockIsFree()).toBe(true);
  });

  it('the statements of one pipeline leave in one write to the socket', async () => {
    const writes = await ctx.app.get(TenancyService).asViewer(scope, async (m) => {
      const socket = (m.queryRunner as unknown as { databaseConnection: { connection: { stream: Socket } } }).databaseConnection.connection
        .stream;
      let calls = 0;
      const count = <K extends '_write' | '_writev'>(name: K) => {
        const original = socket[name] as (...args: unknown[]) => unknown;
        return jest.spyOn(socket, name as never).mockImplementation(((...args: unknown[]) => {
          calls++;
          return original.apply(socket, args);
        }) as never);
      };
      const spies = [count('_write'), count('_writev')];
      try {
        const rows = await queryPipelined(m, [
          { sql: 'SELECT 1 AS a', params: [] },
          { sql: 'SELECT $1::int AS b', params: [2] },
          { sql: 'SELECT 3 AS c', params: [] },
        ]);
        expect(rows).toEqual([[{ a: 1 }], [{ b: 2 }], [{ c: 3 }]]);
      } finally {
        spies.forEach((s) => s.mockRestore());
      }
      return calls;
    });
    expect(writes).toBe(1);
  });

  it('outside a transaction it is a plain query', async () => {
    const before = await lastSeq();
    const rows = await queryAndCommit<{ seq: string }>(dataSource.manager, 'SELECT last_seq::text AS seq FROM feed_counter', []);
    expect(rows).toEqual([{ seq: String(before) }]);
  });

  describe('sideBySide', () => {
    it("returns each step's result in order, and leaves the connection out of pipeline mode", async () => {
      const out = await ctx.app.get(TenancyService).asViewer(scope, async (m) => {
        const connection = (m.queryRunner as unknown as { databaseConnection: Client & { pipeline: boolean } }).databaseConnection;
        const results = await sideBySide(m, [
          async () => (await m.query('SELECT 1 AS n'))[0].n as number,
          async () => (await m.query('SELECT $1::text AS t', ['two']))[0].t as string,
        ] as const);
        return { results, pipeline: connection.pipeline, after: (await m.query('SELECT 3 AS n'))[0].n as number };
      });
      expect(out).toEqual({ results: [1, 'two'], pipeline: false, after: 3 });
    });

    it("sends the steps' statements together: none waits in the client for another to be answered", async () => {
      const waiting = await ctx.app.get(TenancyService).asViewer(scope, async (m) => {
        const connection = (m.queryRunner as unknown as { databaseConnection: { _queryQueue: unknown[] } }).databaseConnection;
        let queued = -1;
        await sideBySide(m, [
          () => m.query('SELECT pg_sleep(0.01)'),
          async () => {
            const second = m.query('SELECT 2');
            // node-postgres's own queue of queries not yet written (out of pipeline mode the second would wait there).
            queued = connection._queryQueue.length;
            return second;
          },
        ]);
        return queued;
      });
      expect(waiting).toBe(0);
    });

    it('a step that fails while its other statements are on the wire: they are answered before the connection goes back', async () => {
      const failed = ctx.app.get(TenancyService).asViewer(scope, (m) =>
        sideBySide(m, [
          async () => {
            const replies = [
              m.query(`SELECT pg_sleep(0.1), current_setting('cairn.tenant_id', true) AS viewer, 1 AS a`),
              m.query(`SELECT pg_sleep(0.1), current_setting('cairn.tenant_id', true) AS viewer, 2 AS b`),
              m.query(`SELECT pg_sleep(0.1), current_setting('cairn.tenant_id', true) AS viewer, 3 AS c`),
            ];
            for (const r of replies) r.catch(() => undefined);
            // Both are on the wire by the next turn of the event loop; the step gives up before their replies.
            await new Promise((resolve) => setImmediate(resolve));
            throw new Error('refused before the replies');
          },
        ]),
      );
      await expect(failed).rejects.toThrow('refused before the replies');
      // Every later query gets its own answer: none of the viewer's rows reaches another caller.
      for (let i = 0; i < 12; i++) {
        const [row] = await dataSource.query(`SELECT $1::int AS n, current_setting('cairn.tenant_id', true) AS viewer`, [i]);
        expect({ n: row.n, viewer: row.viewer ?? '' }).toEqual({ n: i, viewer: '' });
      }
    });

    it("throws the failure a run in turn would meet, not a step's refusal because another aborted the transaction", async () => {
      const before = await lastSeq();
      const failed = ctx.app.get(TenancyService).asViewer(scope, (m) =>
        sideBySide(m, [
          async () => {
            await m.query('UPDATE feed_counter SET last_seq = last_seq + 1');
            // Sent after the second step's statement has failed: refused as "transaction aborted".
            await m.query('SELECT 2');
          },
          () => m.query('SELECT 1 / (last_seq - last_seq) FROM feed_counter'),
        ]),
      );
      await expect(failed).rejects.toThrow(/division by zero/);
      expect(await lastSeq()).toBe(before);
    });
  });
});
