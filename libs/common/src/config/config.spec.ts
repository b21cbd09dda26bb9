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

  it('does not seed demo data into an external database unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cairn' }, TEST_SECRETS).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cairn', SEED_DEMO: 'true' }, TEST_SECRETS).seedDemo).toBe(true);
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
});
