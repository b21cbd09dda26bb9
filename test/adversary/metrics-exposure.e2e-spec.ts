import { randomBytes } from 'node:crypto';
import { MetricsListener } from '../../apps/api/src/metrics/metrics-listener';
import { startTestApp, type TestApp } from '../support/test-app';
import { newTenant } from '../factories/tenancy.factory';

const PRODUCTION = () => ({
  NODE_ENV: 'production',
  JWT_SECRET: randomBytes(32).toString('hex'),
  IDENTIFIER_HMAC_SECRET: randomBytes(32).toString('hex'),
  CURSOR_SECRET: randomBytes(32).toString('hex'),
});
const scrape = (base: string, authorization?: string) => fetch(`${base}/metrics`, { headers: authorization ? { authorization } : {} });

/*
 * An open /metrics tells anyone on the network the exchange's traffic, operation names, error rates
 * and pool pressure. It is served only with a token, or on a separate port, and never publicly
 * without a token in production.
 */
describe('adversary: who may read /metrics', () => {
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp({ env });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('in production without METRICS_TOKEN or METRICS_PORT, the public port does not serve it', async () => {
    const prod = await start(PRODUCTION());
    const res = await scrape(prod.baseUrl);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('cairn_');
    expect(prod.app.get(MetricsListener).port).toBeUndefined();
  });

  it('with METRICS_TOKEN: no token or a wrong one is 401 (in production too), the token reads the metrics', async () => {
    const token = randomBytes(24).toString('base64url');
    for (const env of [{ METRICS_TOKEN: token }, { ...PRODUCTION(), METRICS_TOKEN: token }]) {
      const app = await start(env);
      await newTenant(app.app);
      const none = await scrape(app.baseUrl);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.text()).not.toContain('cairn_');
      expect((await scrape(app.baseUrl, `Bearer ${token}x`)).status).toBe(401);
      expect((await scrape(app.baseUrl, token)).status).toBe(401);
      const ok = await scrape(app.baseUrl, `Bearer ${token}`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('cairn_http_requests_total');
    }
  });

  it('with METRICS_PORT: served there (with the token when one is set), not on the public port', async () => {
    const open = await start({ ...PRODUCTION(), METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    const port = open.app.get(MetricsListener).port!;
    expect(port).toBeGreaterThan(0);
    expect((await scrape(open.baseUrl)).status).toBe(404);
    const there = await scrape(`http://127.0.0.1:${port}`);
    expect(there.status).toBe(200);
    expect(await there.text()).toContain('cairn_db_pool_size');
    // Nothing but /metrics on that port.
    expect((await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(404);

    const token = randomBytes(24).toString('base64url');
    const guarded = await start({ METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', METRICS_TOKEN: token });
    const guardedPort = guarded.app.get(MetricsListener).port!;
    expect((await scrape(guarded.baseUrl, `Bearer ${token}`)).status).toBe(404);
    expect((await scrape(`http://127.0.0.1:${guardedPort}`)).status).toBe(401);
    expect((await scrape(`http://127.0.0.1:${guardedPort}`, `Bearer ${token}`)).status).toBe(200);

    // Closing the app closes its metrics listener.
    await guarded.close();
    apps.splice(apps.indexOf(guarded), 1);
    await expect(fetch(`http://127.0.0.1:${guardedPort}/metrics`)).rejects.toThrow();
  });
});
