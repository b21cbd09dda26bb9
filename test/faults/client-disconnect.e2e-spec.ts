import { connect } from 'node:net';
import { Client } from 'pg';
import { dprkBundle } from '../fixtures/stix-bundles';
import { startTestApp, type TestApp } from '../support/test-app';
import { PublishService } from '@cairn/intel';
import { waitFor } from '../support/wait';
import { newApiKey, newTenant } from '../factories/tenancy.factory';

describe('clients that misbehave at the connection level', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ env: { K_ANONYMITY: '1' } }); // One or two members only, and this test is not about small crowds: k = 1 lets them report.
  });
  afterAll(async () => {
    await api.close();
  });

  it('a client that disconnects in the middle of a publish leaves the bundle stored whole or not at all', async () => {
    const tenant = await newTenant(api.app, { sectors: ['technology'] });
    const key = await newApiKey(api.app, tenant);
    const bundle = dprkBundle(100);
    bundle.objects = bundle.objects.filter((o) => o.type !== 'report');
    // The server-side publish, so the test can abort while it runs and then wait for it to end.
    const publishing = api.app.get(PublishService);
    const running: Array<Promise<unknown>> = [];
    const original = publishing.publishBundle.bind(publishing);
    const spy = jest.spyOn(publishing, 'publishBundle').mockImplementation((...args) => {
      const p = original(...args);
      running.push(p);
      return p;
    });
    const controller = new AbortController();
    const request = fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: key },
      body: JSON.stringify({
        query: 'mutation($b: JSON!) { publishBundle(bundle: $b, sharing: { distribution: COMMUNITY, tlp: AMBER }) { created } }',
        variables: { b: bundle },
      }),
      signal: controller.signal,
    }).catch((e: Error) => e);
    await waitFor(() => running.length > 0, { what: 'the publish to start on the server' });
    controller.abort();
    expect((await request) as { name?: string }).toMatchObject({ name: 'AbortError' });

    // Whatever the server had reached, the transaction either committed whole or rolled back:
    // publishing the same bundle again must then store everything, or nothing new at all.
    await Promise.allSettled(running);
    spy.mockRestore();
    const count = async () => {
      const owner = new Client({ connectionString: api.databaseUrl });
      await owner.connect();
      const { rows } = await owner.query('SELECT count(*)::int AS n FROM stix_object WHERE publisher_tenant_id = $1', [tenant.id]);
      await owner.end();
      return rows[0].n as number;
    };
    const afterAbort = await count();
    const again = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: key },
      body: JSON.stringify({
        query: 'mutation($b: JSON!) { publishBundle(bundle: $b, sharing: { distribution: COMMUNITY, tlp: AMBER }) { created unchanged } }',
        variables: { b: bundle },
      }),
    });
    const { data } = (await again.json()) as { data: { publishBundle: { created: number; unchanged: number } } };
    const whole = await count();
    if (afterAbort === 0) expect(data.publishBundle.created).toBe(whole);
    else expect([afterAbort, data.publishBundle.created]).toEqual([whole, 0]);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  }, 30_000);

  it('a request with a header split by CR/LF (header injection) is refused with 400, and the server stays up', async () => {
    const { port } = new URL(api.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rSet-Cookie: injected=1\r\n\r\n');
      });
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      // Only a bound, should the server keep the connection open: the answer is read on 'end'.
      setTimeout(() => (socket.destroy(), resolve(data)), 10_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(answer).not.toMatch(/Set-Cookie: injected/i);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  });
});
