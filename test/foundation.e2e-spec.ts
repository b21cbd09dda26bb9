import { Client } from 'pg';
import { gql, startTestApp, TestApp } from './support/test-app';
import { createServer } from 'node:net';
import { testServerUrl } from './support/database';
import { listen, PortInUseError } from '../apps/api/src/listen';
import { createApp } from '../apps/api/src/create-app';

describe('API foundation over real HTTP', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(async () => {
    await api.close();
  });

  it('reports health with the database up', async () => {
    const res = await fetch(`${api.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers GraphQL and echoes a sane request id', async () => {
    const res = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc.123' },
      body: JSON.stringify({ query: '{ serverInfo { name stixVersion taxiiVersion } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('req-abc.123');
    expect(await res.json()).toEqual({ data: { serverInfo: { name: 'Cairn', stixVersion: '2.1', taxiiVersion: '2.1' } } });
  });

  it('replaces an unsafe request id with its own', async () => {
    const res = await fetch(`${api.baseUrl}/health`, { headers: { 'x-request-id': 'x\u00e9<script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics counting requests by route', async () => {
    await fetch(`${api.baseUrl}/health`);
    const res = await fetch(`${api.baseUrl}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/cairn_http_requests_total\{method="GET",route="\/health",status="200"\} [1-9]/);
    expect(text).toContain('cairn_http_request_duration_seconds_bucket');
    expect(text).toContain('cairn_process_resident_memory_bytes');
  });

  it('gives a GraphQL error code and no stack trace for a bad query', async () => {
    const res = await gql(api.baseUrl, '{ serverInfo { nope } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.js:\d+/);
  });

  it('rejects a body that is not JSON with 400 and no stack trace', async () => {
    const res = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toMatch(/at .*\.js:\d+|node_modules/);
  });
});

describe('health when the database becomes unreachable', () => {
  it('reports down (503) while connections are refused, and up again after', async () => {
    const api = await startTestApp();
    const database = new URL(api.databaseUrl).pathname.slice(1);
    const admin = new Client({ connectionString: testServerUrl() });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
      const down = await fetch(`${api.baseUrl}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'error', database: 'down' });

      await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`);
      const up = await fetch(`${api.baseUrl}/health`);
      expect(up.status).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE ${database} WITH ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
      await api.close();
    }
  });
});

describe('start-up on a busy port', () => {
  it('fails with a message naming the port, not a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const api = await startTestApp();
    const second = await createApp({ config: api.config, appDatabaseUrl: api.appDatabaseUrl, connectDatabase: true });
    try {
      const error = await listen(second, '127.0.0.1', port).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect((error as Error).message).toBe(
        `Port ${port} is already in use on 127.0.0.1: stop the other process or set PORT to a free port.`,
      );
    } finally {
      await second.close();
      await api.close();
      blocker.close();
    }
  });
});
