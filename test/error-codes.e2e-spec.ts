import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ApiKeyService, UsersService } from '@cairn/auth';
import { ERROR_HTTP_STATUS, type ErrorCode } from '@cairn/common';
import { PublishIssueCode } from '@cairn/intel';
import { SharingGroupsService, TenancyService } from '@cairn/tenancy';
import { gql, startTestApp, type TestApp } from './support/test-app';
import { machineViewer, newApiKey, newTenant } from './factories/tenancy.factory';

const ROOT = resolve(__dirname, '..');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

const errorFiles = () => sourceFiles(join(ROOT, 'libs')).filter((f) => f.endsWith('.errors.ts'));

/** Rows `| `CODE` | module | … |` between the two markers, as arrays of cells without backticks. */
function readmeRows(marker: string): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`<!-- ${marker}:start -->`);
  const end = readme.indexOf(`<!-- ${marker}:end -->`);
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replace(/`/g, '')),
    );
}

/** Every code of every module's `*_ERROR_STATUS` table, as "code module http graphqlCode". */
function codesInEnums(): string[] {
  const rows: string[] = [];
  for (const file of errorFiles()) {
    const module = relative(join(ROOT, 'libs'), file).split('/')[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every *.errors.ts file found on disk, by path
    const exports = require(file) as Record<string, unknown>;
    const tables = Object.entries(exports).filter(([name]) => name.endsWith('_ERROR_STATUS'));
    const enums = Object.entries(exports).filter(([name]) => name.endsWith('ErrorCode'));
    // One enum and its table per module, covering the same codes.
    expect([file, tables.length, enums.length]).toEqual([file, 1, 1]);
    const table = tables[0][1] as Record<string, ErrorCode | number>;
    expect(Object.keys(table).sort()).toEqual(Object.values(enums[0][1] as object).sort());
    for (const [code, status] of Object.entries(table)) {
      rows.push(typeof status === 'number' ? `${code} ${module} ${status} —` : `${code} ${module} ${ERROR_HTTP_STATUS[status]} ${status}`);
    }
  }
  return rows.sort();
}

describe('the README error code table', () => {
  it('lists every code of every *.errors.ts with its HTTP status and GraphQL code, and nothing else', () => {
    const documented = readmeRows('error-codes').map(([code, module, http, graphql]) => `${code} ${module} ${http} ${graphql}`);
    expect(errorFiles().length).toBeGreaterThanOrEqual(7);
    expect(documented.sort()).toEqual(codesInEnums());
    for (const row of readmeRows('error-codes')) expect(row[4]).not.toBe('');
  });

  it('lists every publish issue code, and nothing else', () => {
    const documented = readmeRows('publish-issue-codes').map(([code]) => code);
    expect([...documented].sort()).toEqual(Object.values(PublishIssueCode).sort());
  });

  it('no user-facing error is raised outside the code enums', () => {
    const offenders: string[] = [];
    for (const file of [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps'))]) {
      const text = readFileSync(file, 'utf8');
      const at = relative(ROOT, file);
      if (/new CairnError\(/.test(text)) offenders.push(`${at}: new CairnError(`);
      // The two kinds of CairnError that are not one domain's: DomainError, and InvalidArgumentsError (its reason is its problems').
      const allowed = ['libs/common/src/errors/cairn-error.ts', 'libs/common/src/graphql/paging.ts'];
      if (/extends CairnError\b/.test(text) && !allowed.includes(at)) offenders.push(`${at}: extends CairnError`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('error codes where the code was wrong', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({ env: { RATE_LIMIT_PRINCIPAL_PER_MINUTE: '5' } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('an empty tenant or sharing group name is INVALID_NAME (was INVALID_SLUG), nothing created', async () => {
    const slug = `t-${randomBytes(5).toString('hex')}`;
    await expect(
      api.app.get(TenancyService).createTenant({ slug, name: '  ', country: 'US', sectors: ['technology'] }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'INVALID_NAME', field: 'name' },
    });
    await expect(api.app.get(TenancyService).getTenantBySlug(slug)).rejects.toMatchObject({ details: { reason: 'TENANT_NOT_FOUND' } });
    const owner = await newTenant(api.app);
    await expect(
      api.app
        .get(SharingGroupsService)
        .createGroupWithMembers({ slug: `g-${randomBytes(5).toString('hex')}`, name: '', ownerTenantId: owner.id }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'INVALID_NAME', field: 'name' },
    });
  });

  it('too many tenants in one invitation is BAD_USER_INPUT TOO_MANY_INVITES (was NOT_FOUND TENANT_NOT_FOUND)', async () => {
    const owner = await newTenant(api.app);
    const other = await newTenant(api.app);
    const groups = api.app.get(SharingGroupsService);
    const { group } = await groups.createGroupWithMembers({
      slug: `g-${randomBytes(5).toString('hex')}`,
      name: 'g',
      ownerTenantId: owner.id,
    });
    await expect(groups.invite(group.id, Array(101).fill(other.slug), machineViewer(owner))).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'TOO_MANY_INVITES' },
    });
  });

  it('the general request budget says so, not "Too many failed attempts"; a sign-in lockout names its own reason', async () => {
    const key = await newApiKey(api.app, await newTenant(api.app), ['intel:read']);
    let limited: Awaited<ReturnType<typeof gql>> | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      const res = await gql(api.baseUrl, '{ sharingGroups { id } }', {}, { authorization: key });
      if (res.errors?.[0]?.extensions?.code === 'RATE_LIMITED') limited = res;
    }
    expect(limited?.errors?.[0]?.message).toBe('Too many requests; try again later');
    expect(limited?.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });

    const login = (e: string) =>
      gql(api.baseUrl, 'mutation($e: String!) { login(email: $e, password: "wrong password!!") { accessToken } }', { e });
    const email = `nobody-${randomBytes(4).toString('hex')}@example.org`;
    const answers: unknown[] = [];
    for (let i = 0; i < 6; i++) answers.push((await login(email)).errors?.[0]?.extensions);
    // A refused credential is one bare UNAUTHENTICATED: no reason that could say which part was wrong.
    expect(answers.slice(0, 5)).toEqual(Array(5).fill({ code: 'UNAUTHENTICATED' }));
    expect(answers[5]).toEqual({ code: 'RATE_LIMITED', reason: 'TOO_MANY_FAILED_ATTEMPTS', retryAfterSeconds: expect.any(Number) });
  });

  it('account and key management raise auth codes with the field, not bare BAD_USER_INPUT / NOT_FOUND / CONFLICT', async () => {
    const tenant = await newTenant(api.app);
    const keys = api.app.get(ApiKeyService);
    const users = api.app.get(UsersService);
    await expect(keys.create({ tenantId: tenant.id, name: ' ', scopes: ['intel:read'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'INVALID_NAME', field: 'name' },
    });
    await expect(keys.create({ tenantId: tenant.id, name: 'k', scopes: [] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'INVALID_SCOPES', field: 'scopes' },
    });
    await expect(keys.revokeByIdOrPrefix('cairn_nothing')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { reason: 'API_KEY_NOT_FOUND' },
    });
    await expect(
      users.create({ tenantId: tenant.id, email: 'not an address', role: 'reader', password: 'correct horse battery staple' }),
    ).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'INVALID_EMAIL', field: 'email' },
    });
    const email = `u-${randomBytes(4).toString('hex')}@example.org`;
    await users.create({ tenantId: tenant.id, email, role: 'reader', password: 'correct horse battery staple' });
    await expect(
      users.create({ tenantId: tenant.id, email, role: 'reader', password: 'correct horse battery staple' }),
    ).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'EMAIL_TAKEN' } });
    await expect(users.create({ tenantId: tenant.id, email: `p-${email}`, role: 'reader', password: 'short' })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { reason: 'INVALID_PASSWORD', field: 'password' },
    });
  });
});
