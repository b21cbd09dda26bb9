import { randomBytes } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { gql, startTestApp, type TestApp } from './support/test-app';

// The GraphiQL page must work offline and behind proxies that block public CDNs: every script,
// style and connection it needs comes from this server, and its CSP forbids anything else.
describe('GraphiQL page', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const page = (baseUrl: string) => fetch(`${baseUrl}/graphql`, { headers: { accept: 'text/html' } });

  it('loads every asset from this server, and each one is served', async () => {
    const res = await page(api.baseUrl);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('id="graphiql"');
    // No absolute URL of any scheme, protocol-relative URL or CDN host anywhere in the page.
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);

    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) {
      expect(ref.startsWith('/')).toBe(true);
      const asset = await fetch(`${api.baseUrl}${ref}`);
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      const type = asset.headers.get('content-type') ?? '';
      expect(type).toMatch(ref.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      const body = await asset.text();
      expect(body.length).toBeGreaterThan(100);
    }
    const graphiql = await (await fetch(`${api.baseUrl}${refs.find((r) => r.endsWith('graphiql.js'))}`)).text();
    expect(graphiql).toContain('createFetcher');
  });

  it("forbids the browser every origin but this server's (CSP)", async () => {
    const html = await (await page(api.baseUrl)).text();
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // No inline script is needed, so none is allowed: every <script> has a src.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('serves only the listed files (no path into node_modules or the file system)', async () => {
    for (const path of [
      '/graphiql-assets/..%2Fpackage.json',
      '/graphiql-assets/package.json',
      '/graphiql-assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
      '/graphiql-assets/react.js.map',
    ]) {
      expect({ path, status: (await fetch(`${api.baseUrl}${path}`)).status }).toEqual({ path, status: 404 });
    }
  });

  it('answers the introspection query GraphiQL sends for its docs and completion', async () => {
    const res = await gql<{ __schema: { queryType: { name: string } } }>(
      api.baseUrl,
      getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true }),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.__schema.queryType.name).toBe('Query');
  });

  describe('in production', () => {
    let prod: TestApp;
    beforeAll(async () => {
      const secret = () => randomBytes(32).toString('hex');
      prod = await startTestApp({
        env: { NODE_ENV: 'production', JWT_SECRET: secret(), IDENTIFIER_HMAC_SECRET: secret(), CURSOR_SECRET: secret() },
      });
    });
    afterAll(() => prod.close());

    it('serves neither the page nor its assets', async () => {
      const html = await (await page(prod.baseUrl)).text();
      expect(html).not.toContain('id="graphiql"');
      expect((await fetch(`${prod.baseUrl}/graphiql-assets/graphiql.js`)).status).toBe(404);
    });
  });
});
