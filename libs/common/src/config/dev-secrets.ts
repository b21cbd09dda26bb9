import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig, randomSecret, type DevSecrets } from './config';

/** Development secrets, generated once per machine and kept beside the embedded database (never in git). */
export function loadDevSecrets(file: string): DevSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = { JWT_SECRET: randomSecret(), IDENTIFIER_HMAC_SECRET: randomSecret() };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Fixed secrets for tests only. */
export const TEST_SECRETS: DevSecrets = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  IDENTIFIER_HMAC_SECRET: 'test-identifier-hmac-0123456789abcdef012345',
};

/** The configuration of this process: its environment, plus generated secrets outside production. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof loadConfig> {
  const needsDevSecrets = env.NODE_ENV !== 'production' && (!env.JWT_SECRET || !env.IDENTIFIER_HMAC_SECRET);
  return loadConfig(env, needsDevSecrets ? loadDevSecrets('.data/secrets.json') : {});
}
