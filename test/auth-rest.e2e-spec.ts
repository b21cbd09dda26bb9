import { Controller, Get, UseGuards, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { ApiKeyService } from '@cairn/auth';
import { AuthGuard, CurrentViewer, JsonLogger, loadConfig, Public, RequireScopes, TEST_SECRETS, type Viewer } from '@cairn/common';
import { TenancyService } from '@cairn/tenancy';
import { AppModule } from '../apps/api/src/app.module';
import { startTestApp, type TestApp } from './support/test-app';

const NO_STACK = /stacktrace|\bat .*\.[jt]s:\d+|node_modules/;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

/** A REST controller guarded the way TAXII's will be, mounted on the real app for this test only. */
@Controller('probe')
@UseGuards(AuthGuard)
class ProbeController {
  @Get('open')
  @Public()
  open(): { ok: boolean } {
    return { ok: true };
  }

  @Get('write')
  @RequireScopes('intel:write')
  write(@CurrentViewer() viewer: Viewer): { tenantId: string } {
    return { tenantId: viewer.tenantId };
  }
}

describe('AuthGuard on a REST controller', () => {
  let api: TestApp;
  let probe: INestApplication;
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
    const config = loadConfig(
      { NODE_ENV: 'test', LOG_LEVEL: 'error', DATABASE_URL: api.databaseUrl, DATABASE_APP_URL: api.appDatabaseUrl, SEED_DEMO: 'false' },
      TEST_SECRETS,
    );
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot({ config, appDatabaseUrl: api.appDatabaseUrl, connectDatabase: true }, new JsonLogger('error'))],
      controllers: [ProbeController],
    }).compile();
    probe = moduleRef.createNestApplication({ logger: false });
    await probe.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(probe.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await probe.close();
    await api.close();
  });

  it('401 with a challenge and a JSON body, 403 for a missing scope, 200 when allowed', async () => {
    expect((await fetch(`${base}/probe/open`)).status).toBe(200);

    const anonymous = await fetch(`${base}/probe/write`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    const body = await anonymous.text();
    expect(JSON.parse(body)).toEqual({ error: 'UNAUTHENTICATED', message: 'Invalid or missing credentials' });
    expect(body).not.toMatch(NO_STACK);

    const tenant = await api.app
      .get(TenancyService)
      .createTenant({ slug: `r-${randomBytes(4).toString('hex')}`, name: 'Rest', country: 'US', sectors: ['technology'] });
    const reader = await api.app.get(ApiKeyService).create({ tenantId: tenant.id, name: 'r', scopes: ['intel:read'] });
    const writer = await api.app.get(ApiKeyService).create({ tenantId: tenant.id, name: 'w', scopes: ['intel:write'] });
    const forbidden = await fetch(`${base}/probe/write`, { headers: bearer(reader.secret) });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: 'FORBIDDEN' });
    const ok = await fetch(`${base}/probe/write`, { headers: basic(writer.apiKey.prefix, writer.secret.split('.')[1]) });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ tenantId: tenant.id });
  });

  it('429 with Retry-After once a client has guessed at keys too often', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${base}/probe/write`, {
        headers: bearer(`cairn_${'A'.repeat(8)}.${randomBytes(32).toString('base64url')}`),
      });
      expect(res.status).toBe(401);
    }
    const limited = await fetch(`${base}/probe/write`, {
      headers: bearer(`cairn_${'B'.repeat(8)}.${randomBytes(32).toString('base64url')}`),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'RATE_LIMITED' });
  });
});
