import { startTestApp, type TestApp } from '../support/test-app';

// Deployed at an https PUBLIC_URL, the console, GraphQL and TAXII must tell browsers to use https
// only (HSTS): otherwise a network attacker (hotel or conference Wi-Fi) answers the next plain
// http://cairn… request with a look-alike sign-in page and collects the CISO's password.
describe('Strict-Transport-Security at an https public address', () => {
  let https: TestApp;
  let http: TestApp;
  beforeAll(async () => {
    https = await startTestApp({ env: { PUBLIC_URL: 'https://cairn.example.test' } });
    http = await startTestApp();
  });
  afterAll(async () => {
    await https.close();
    await http.close();
  });

  const answers = (base: string) =>
    Promise.all([
      fetch(`${base}/`),
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      fetch(`${base}/taxii2/`),
      fetch(`${base}/no-such-path`),
    ]);

  it('sends HSTS on every door when PUBLIC_URL is https', async () => {
    for (const res of await answers(https.baseUrl))
      expect({ url: res.url, hsts: res.headers.get('strict-transport-security') }).toEqual({ url: res.url, hsts: 'max-age=31536000' });
  });

  it('sends none for an http PUBLIC_URL (development), where it would lock the host out of plain http', async () => {
    for (const res of await answers(http.baseUrl)) expect(res.headers.get('strict-transport-security')).toBeNull();
  });
});
