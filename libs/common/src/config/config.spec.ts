import { ConfigError, loadConfig } from './config';
import { TEST_SECRETS } from './dev-secrets';

describe('loadConfig', () => {
  it('uses defaults for an empty environment, with the embedded database and demo data', () => {
    const c = loadConfig({}, TEST_SECRETS);
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.seedDemo).toBe(true);
    expect(c.publicUrl).toBe('http://localhost:4000');
  });

  it('lookup quotas: defaults, 0 = unlimited, and never below one full call', () => {
    expect(loadConfig({}, TEST_SECRETS).lookupQuota).toEqual({ perMinute: 20_000, perDay: 100_000 });
    expect(loadConfig({ LOOKUP_QUOTA_PER_MINUTE: '0', LOOKUP_QUOTA_PER_DAY: '0' }, TEST_SECRETS).lookupQuota).toEqual({
      perMinute: 0,
      perDay: 0,
    });
    expect(loadConfig({ MAX_CHECK_IDENTIFIERS: '10', LOOKUP_QUOTA_PER_MINUTE: '10' }, TEST_SECRETS).lookupQuota.perMinute).toBe(10);
    try {
      loadConfig({ LOOKUP_QUOTA_PER_MINUTE: '999', LOOKUP_QUOTA_PER_DAY: '-1' }, TEST_SECRETS);
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['LOOKUP_QUOTA_PER_DAY', 'LOOKUP_QUOTA_PER_MINUTE']);
    }
  });

  it('does not seed demo data into an external database unless asked', () => {
    const external = { DATABASE_URL: 'postgres://u:p@db:5432/cairn', DATABASE_APP_URL: 'postgres://app:q@db:5432/cairn' };
    expect(loadConfig(external, TEST_SECRETS).seedDemo).toBe(false);
    expect(loadConfig({ ...external, SEED_DEMO: 'true' }, TEST_SECRETS).seedDemo).toBe(true);
  });

  it('wants a separate run-time login beside an external owner URL, and never the owner itself', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, TEST_SECRETS);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ DATABASE_URL: 'postgres://owner:p@db/cairn' })).toEqual([
      expect.stringMatching(/^DATABASE_APP_URL: required when DATABASE_URL is set/),
    ]);
    expect(problems({ DATABASE_URL: 'postgres://owner:p@db/cairn', DATABASE_APP_URL: 'postgres://owner:other@db/cairn' })).toEqual([
      expect.stringMatching(/^DATABASE_APP_URL: must log in as another role/),
    ]);
    expect(problems({ DATABASE_APP_URL: 'postgres://app:p@db/cairn' })).toEqual([
      expect.stringMatching(/^DATABASE_APP_URL: only with DATABASE_URL/),
    ]);
    expect(problems({ DATABASE_URL: 'postgres://owner:p@db/cairn', DATABASE_APP_URL: 'postgres://app:p@db/cairn' })).toEqual([]);
  });

  it('takes a replica only beside an external primary, as a PostgreSQL URL', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ NODE_ENV: 'test', ...env }, TEST_SECRETS);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    const primary = { DATABASE_URL: 'postgres://owner:p@db/cairn', DATABASE_APP_URL: 'postgres://app:p@db/cairn' };
    expect(problems({ DATABASE_REPLICA_URL: 'postgres://app:p@replica/cairn' })).toEqual([
      expect.stringMatching(/^DATABASE_REPLICA_URL: only with DATABASE_URL/),
    ]);
    expect(problems({ ...primary, DATABASE_REPLICA_URL: 'http://replica/cairn' })).toEqual([
      expect.stringMatching(/^DATABASE_REPLICA_URL/),
    ]);
    expect(
      loadConfig({ NODE_ENV: 'test', ...primary, DATABASE_REPLICA_URL: 'postgres://app:p@replica/cairn' }, TEST_SECRETS),
    ).toMatchObject({ databaseReplicaUrl: 'postgres://app:p@replica/cairn', replicaMaxWaitMs: 250 });
    expect(loadConfig({ NODE_ENV: 'test', ...primary }, TEST_SECRETS)).toMatchObject({ databaseReplicaUrl: undefined });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', DB_POOL_SIZE: '0', SEED_DEMO: 'maybe' }, TEST_SECRETS);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(problems).toEqual(['PORT', 'LOG_LEVEL', 'DB_POOL_SIZE', 'SEED_DEMO']);
  });

  it('requires real secrets in production and never uses generated ones there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, TEST_SECRETS)).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' });
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['JWT_SECRET', 'IDENTIFIER_HMAC_SECRET', 'CURSOR_SECRET']);
      expect((err as ConfigError).message).not.toContain('short');
    }
    expect.assertions(3);
  });

  it('metrics: public outside production, in production only with a token, never on PORT with METRICS_PORT', () => {
    const prod = {
      NODE_ENV: 'production',
      JWT_SECRET: 'j'.repeat(32),
      IDENTIFIER_HMAC_SECRET: 'i'.repeat(32),
      CURSOR_SECRET: 'c'.repeat(32),
    };
    expect(loadConfig({}, TEST_SECRETS).metrics).toEqual({
      token: undefined,
      port: undefined,
      host: '0.0.0.0',
      onPublicPort: true,
      maxOperationNames: 100,
    });
    expect(loadConfig(prod).metrics.onPublicPort).toBe(false);
    expect(loadConfig({ ...prod, METRICS_TOKEN: 't'.repeat(16) }).metrics.onPublicPort).toBe(true);
    expect(loadConfig({ METRICS_PORT: '9464' }, TEST_SECRETS).metrics).toMatchObject({ port: 9464, onPublicPort: false });
    try {
      loadConfig({ METRICS_TOKEN: 'too-short', METRICS_PORT: '4000' }, TEST_SECRETS);
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(':')[0])).toEqual(['METRICS_TOKEN', 'METRICS_PORT']);
      expect((err as ConfigError).message).not.toContain('too-short');
    }
  });

  it('never echoes a malformed DATABASE_URL, which may hold a password', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' }, TEST_SECRETS);
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems).toHaveLength(1);
      expect((err as ConfigError).message).toContain('DATABASE_URL');
      expect((err as ConfigError).message).not.toContain('hunter2');
    }
  });

  it('OIDC: the console client and its scopes beside the trusted provider, never without it', () => {
    const idp = { OIDC_JWKS_URL: 'https://idp.example/jwks', OIDC_ISSUER: 'https://idp.example', OIDC_AUDIENCE: 'cairn-api' };
    expect(loadConfig(idp, TEST_SECRETS).auth.oidc).toMatchObject({ clientId: undefined, scopes: 'openid email profile' });
    expect(
      loadConfig({ ...idp, OIDC_CLIENT_ID: 'console', OIDC_TOKEN_ORIGIN: 'https://token.idp.example/oauth/token' }, TEST_SECRETS).auth.oidc,
    ).toMatchObject({ clientId: 'console', tokenOrigin: 'https://token.idp.example' });
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env, TEST_SECRETS);
        return [];
      } catch (err) {
        return (err as ConfigError).problems.map((p) => p.split(':')[0]);
      }
    };
    expect(problems({ OIDC_CLIENT_ID: 'console' })).toEqual(['OIDC_CLIENT_ID']);
    expect(problems({ ...idp, OIDC_ISSUER: 'idp', OIDC_CLIENT_ID: 'console' })).toEqual(['OIDC_ISSUER']);
  });
});
