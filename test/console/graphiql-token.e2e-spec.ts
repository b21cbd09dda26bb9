import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

// GraphiQL is served at /graphql, the console's own origin. The bearer token (or API key) a person
// pastes into its headers editor must not outlive the tab in that origin's localStorage, where the
// console deliberately keeps nothing of a session (sessionStorage: gone when the tab closes), and
// the page must not be framed by another site (a meta CSP cannot say frame-ancestors).
describe('GraphiQL keeps the pasted token to its tab and cannot be framed', () => {
  let api: TestApp;
  let browser: Browser;
  const TOKEN = 'Bearer graphiql-secret-' + 'x'.repeat(24);

  beforeAll(async () => {
    api = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await api.close();
  });

  it('a token typed into the headers editor is not written to localStorage', async () => {
    const context = await browser.newContext({ baseURL: api.baseUrl });
    const page = await context.newPage();
    await page.goto('/graphql');
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`{"Authorization": "${TOKEN}"}`);
    // GraphiQL saves the headers (debounced); the tab's own storage shows when it has.
    // Expressions as text: this file is compiled for node, without the DOM's types.
    const stored = () =>
      page.evaluate<{ local: string; session: string }>(
        '(() => { const dump = (s) => JSON.stringify(Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)])));' +
          ' return { local: dump(localStorage), session: dump(sessionStorage) }; })()',
      );
    const saved = await waitFor(
      async () => {
        const s = await stored();
        return (s.local + s.session).includes('graphiql-secret-') && s;
      },
      { what: 'GraphiQL to save the headers' },
    );
    expect(saved.local).not.toContain('graphiql-secret-');
    expect(saved.session).toContain('graphiql-secret-');
    // Another tab of the same browser profile finds nothing either.
    const other = await context.newPage();
    await other.goto('/graphql');
    await other.locator('.graphiql-container').waitFor();
    expect(await other.evaluate<string>('JSON.stringify({ ...localStorage })')).not.toContain('graphiql-secret-');
    await context.close();
  });

  it('answers the GraphiQL page and GraphQL JSON with no-store, nosniff and frame-ancestors none', async () => {
    for (const res of [
      await fetch(`${api.baseUrl}/graphql`, { headers: { accept: 'text/html' } }),
      await fetch(`${api.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});
