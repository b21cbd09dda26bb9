import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { UsersService } from '@cairn/auth';
import type { Role } from '@cairn/common';
import type { TenantEntity } from '@cairn/tenancy';
import { TEST_PASSWORD } from '../factories/tenancy.factory';
import { launchBrowser } from './browser';
import { startTestApp, type TestApp } from './test-app';

/** The console built from the sources, a real server serving it, one browser for the whole file. */
export interface ConsoleRig {
  api: TestApp;
  browser: Browser;
  /** Where each journey's final screenshot goes (printed once). */
  shots: string;
  /** Everything the pages reported breaking the Content-Security-Policy: must stay empty. */
  cspViolations: string[];
  close(): Promise<void>;
}

/** `env`: more settings for the server (an identity provider's, say). */
export async function startConsoleRig(env: Record<string, string> = {}): Promise<ConsoleRig> {
  // In a child process (Vite is ESM, which jest's CommonJS runtime cannot import), into a folder of
  // this run's own, so that a parallel `npm run build` cannot empty it under the server.
  const built = mkdtempSync(join(tmpdir(), 'cairn-console-build-'));
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build-console.js'), '--out', built], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const api = await startTestApp({ env: { CONSOLE_DIR: built, ...env } });
  const browser = await launchBrowser();
  const shots = join(tmpdir(), 'cairn-console-screenshots');
  mkdirSync(shots, { recursive: true });
  process.stdout.write(`console screenshots: ${shots}\n`);
  return {
    api,
    browser,
    shots,
    cspViolations: [],
    close: async () => {
      await browser.close();
      await api.close();
      rmSync(built, { recursive: true, force: true });
    },
  };
}

/** A person of the tenant (password TEST_PASSWORD); returns the e-mail address. */
export async function newPerson(rig: ConsoleRig, tenant: TenantEntity, role: Role, name: string): Promise<string> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@${tenant.slug}.example`;
  await rig.api.app.get(UsersService).create({ tenantId: tenant.id, email, role, password: TEST_PASSWORD, name });
  return email;
}

/** A browser context and page at laptop width (or tablet), collecting CSP violations and page errors. */
export async function openPage(
  rig: ConsoleRig,
  viewport = { width: 1366, height: 900 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await rig.browser.newContext({ viewport, acceptDownloads: true, baseURL: rig.api.baseUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) rig.cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('E-mail address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Live feed' }).waitFor();
}

export async function shot(rig: ConsoleRig, page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(rig.shots, `${name}.png`), fullPage: true });
}
