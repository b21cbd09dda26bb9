import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig, randomSecret, SECRET_NAMES, type DevSecrets } from './config';

/**
 * Development secrets, generated once per machine and kept beside the embedded database (never in
 * git). A secret added in a later version is generated into the existing file; the others stay.
 */
export function loadDevSecrets(file: string): DevSecrets {
  const secrets: DevSecrets = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DevSecrets) : {};
  const missing = SECRET_NAMES.filter((name) => !secrets[name]);
  if (missing.length === 0) return secrets;
  for (const name of missing) secrets[name] = randomSecret();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Fixed secrets for tests only. */
export const TEST_SECRETS: DevSecrets = {
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  IDENTIFIER_HMAC_SECRET: 'test-identifier-hmac-0123456789abcdef012345',
  CURSOR_SECRET: 'test-cursor-secret-0123456789abcdef0123456789',
};

/** The configuration of this process: its environment, plus generated secrets outside production. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): ReturnType<typeof loadConfig> {
  const needsDevSecrets = env.NODE_ENV !== 'production' && SECRET_NAMES.some((name) => !env[name]);
  return loadConfig(env, needsDevSecrets ? loadDevSecrets('.data/secrets.json') : {});
}
