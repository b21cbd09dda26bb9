import { Client } from 'pg';
import { dprkBundle } from '../fixtures/stix-bundles';
import { inFlightOf } from '../../apps/api/src/create-app';
import { gracefulShutdown } from '../../apps/api/src/shutdown';
import { gql, startTestApp } from '../support/test-app';
import { collect, wsClient } from '../support/ws';
import { untilSubscriptions, waitFor } from '../support/wait';
import { newApiKey, newTenant } from '../factories/tenancy.factory';
import { keptAlive, openRequest } from '../support/raw-http';

describe('graceful shutdown (what SIGTERM runs)', () => {
  it('finishes the publish in flight, closes subscriptions with a reason, then refuses new connections', async () => {
    const api = await startTestApp({ env: { K_ANONYMITY: '1' } }); // One or two members only, and this test is not about small crowds: k = 1 lets them report.
    const tenant = await newTenant(api.app, { sectors: ['technology'] });
    const key = await newApiKey(api.app, tenant);
    const subscriber = wsClient(api.baseUrl, key);
    const events = collect(subscriber, 'subscription { indicatorPublished { id } }');
    await untilSubscriptions(api.app, 1);

    const bundle = dprkBundle(150);
    // The fixture's report carries a TLP:RED granular marking, which COMMUNITY sharing may not take.
    bundle.objects = bundle.objects.filter((o) => o.type !== 'report');
    const publish = gql<{ publishBundle: { created: number } }>(
      api.baseUrl,
      'mutation($b: JSON!) { publishBundle(bundle: $b, sharing: { distribution: COMMUNITY, tlp: AMBER }) { created } }',
      { b: bundle },
      { authorization: key },
    );
    // Shut down while the publish is in flight: once the server has the request.
    await waitFor(() => inFlightOf(api.app).count > 0, { what: 'the publish request to reach the server' });
    const shutdown = gracefulShutdown(api.app, inFlightOf(api.app), 20_000);

    const res = await publish;
    expect(res.errors).toBeUndefined();
    expect(res.data!.publishBundle.created).toBeGreaterThan(1000);
    expect(await shutdown).toEqual({ drained: true });

    await waitFor(() => subscriber.closeCodes.length + (events.completed ? 1 : 0) > 0, {
      what: 'the subscription to be closed or completed by the shutdown',
    });
    if (subscriber.closeCodes.length) expect(subscriber.closeCodes[0]).toBe(1001);
    await expect(fetch(`${api.baseUrl}/health`)).rejects.toThrow();

    // Everything acknowledged is stored, and only that.
    const owner = new Client({ connectionString: api.databaseUrl });
    await owner.connect();
    const { rows } = await owner.query('SELECT count(*)::int AS n FROM stix_object WHERE publisher_tenant_id = $1', [tenant.id]);
    await owner.end();
    expect(rows[0].n).toBe(res.data!.publishBundle.created);
    await subscriber.dispose();
  }, 60_000);

  it('while draining, a kept-alive connection is told 503 on /health and closed, so a load balancer stops sending work', async () => {
    const api = await startTestApp();
    const port = Number(new URL(api.baseUrl).port);
    const balancer = await keptAlive(port);
    // Express routes /Health/ to the same controller: draining must answer it the same way.
    const otherSpelling = await keptAlive(port);
    const check = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n`;
    balancer.write(`${check('/health')}\r\n`);
    otherSpelling.write(`${check('/Health/')}\r\n`);
    expect(await balancer.response()).toMatch(/^HTTP\/1\.1 200/);
    expect(await otherSpelling.response()).toMatch(/^HTTP\/1\.1 200/);
    // The balancer's next check has begun (headers not yet ended) when the drain starts, so the
    // connection is not idle and server.close() leaves it open.
    balancer.write(check('/health'));
    otherSpelling.write(check('/Health/'));

    // A request in flight holds the drain open (its body's last byte not yet sent).
    const inFlight = await openRequest(port, JSON.stringify({ query: '{ __typename }' }));
    await waitFor(() => inFlightOf(api.app).count > 0, { what: 'the held request to reach the server' });
    const shutdown = gracefulShutdown(api.app, inFlightOf(api.app), 20_000);

    balancer.write('\r\n');
    otherSpelling.write('\r\n');
    for (const during of [await balancer.response(), await otherSpelling.response()]) {
      expect(during).toMatch(/^HTTP\/1\.1 503/);
      expect(during).toMatch(/\r\nConnection: close\r\n/i);
      expect(during).toContain('"status":"draining"');
    }
    await Promise.all([balancer.closed, otherSpelling.closed]); // The server closed the connection: the next check opens a new one, which is refused.
    await expect(fetch(`${api.baseUrl}/health`)).rejects.toThrow();
    expect(inFlightOf(api.app).count).toBe(1); // All of this happened during the drain.

    expect(await inFlight.finish()).toMatch(/^HTTP\/1\.1 200/);
    expect(await shutdown).toEqual({ drained: true });
  }, 60_000);
});
