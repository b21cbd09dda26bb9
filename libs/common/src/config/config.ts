import { createHmac, randomBytes } from 'node:crypto';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything Cairn reads from its environment, parsed and validated once at start-up. */
export interface CairnConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Owner connection (runs migrations). Unset: an embedded PostgreSQL is started. */
  databaseUrl?: string;
  /**
   * The run-time login (the API and the CLI's data commands): neither superuser nor table owner,
   * no BYPASSRLS, not a member of the owner. Required with DATABASE_URL; with the embedded
   * PostgreSQL a generated login is used.
   */
  databaseAppUrl?: string;
  /**
   * The run-time login on a streaming replica of the primary (README "Deployment"): reads that may
   * be served there (TAXII pages, export, stats, lookups) are, once it has replayed what the
   * primary had when the read began. Unset: every read is on the primary.
   */
  databaseReplicaUrl?: string;
  /** Longest a routed read waits for the replica to catch up before the primary answers it. */
  replicaMaxWaitMs: number;
  /**
   * Key of the per-transaction proof that the trusted operator code path sets (migration
   * AccountRls1764000300000); derived from IDENTIFIER_HMAC_SECRET, stored by the start-up as owner.
   */
  databaseTrustKey: string;
  dbPoolSize: number;
  /** API processes sharing the port (node:cluster); 1 runs the API in the starting process. */
  apiWorkers: number;
  /** Delay between attempts while the database is unreachable at start-up. */
  dbRetryDelayMs: number;
  /** Attempts before giving up at start-up (0 = keep trying). */
  dbConnectAttempts: number;
  embeddedPg: { dataDir: string; port: number };
  /** Load the demo data set on start when the database has no tenants. */
  seedDemo: boolean;
  demoSeed: number;
  demoScale: number;
  publicUrl: string;
  /** Where the built web console is (default: dist/console of this install). */
  consoleDir?: string;
  auth: {
    /** HS256 key for Cairn's own access tokens. */
    jwtSecret: string;
    jwtIssuer: string;
    jwtAudience: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** How long one sign-in may last however often it is refreshed: its refresh tokens slide, this does not. */
    sessionMaxSeconds: number;
    /** Optional external identity provider (RS256/ES256 tokens checked against its JWKS). */
    oidc?: {
      jwksUrl: string;
      issuer: string;
      audience: string;
      /** The console's public client (authorization code + PKCE); without it the console offers passwords only. */
      clientId?: string;
      scopes: string;
      /** The token endpoint's origin when it is not the issuer's (the console's CSP must name it). */
      tokenOrigin?: string;
    };
  };
  /** Small-crowd protection: the fewest members a reported sector + area may stand for. */
  kAnonymity: number;
  /** How stale a live subscriber's credential check may be: a revoked key stops an open socket within this time (0: re-check on every delivery). */
  credentialRecheckMs: number;
  /** Abuse limits (issue 8): GraphQL document size, request rates, WebSocket use. */
  limits: {
    graphqlMaxDepth: number;
    graphqlMaxFields: number;
    graphqlMaxAliases: number;
    /** Longest GraphQL document text accepted, in characters. */
    graphqlMaxQueryLength: number;
    /** Requests per minute, per tenant and per API key or user, on each API instance. */
    tenantRequestsPerMinute: number;
    principalRequestsPerMinute: number;
    wsConnectionsPerTenant: number;
    subscriptionsPerTenant: number;
    /** Events a subscriber may fall behind by before it is dropped (close 4499). */
    subscriberBufferEvents: number;
  };
  /** Key of the HMAC that protected identifiers (e-mail, phone, …) are stored as. */
  identifierHmacSecret: string;
  /** Key that seals feed cursors and TAXII `next` tokens (the same on every API instance). */
  cursorSecret: string;
  /** Most objects one published bundle (and one export) may hold. */
  maxBundleObjects: number;
  /** Largest request body accepted (JSON body parser limit). */
  maxBodyBytes: number;
  /** Most values one checkIdentifiers call may ask about. */
  maxCheckIdentifiers: number;
  /** Applicants per screenApplicants call (each with at most 100 values). */
  maxScreenApplicants: number;
  /**
   * Distinct values a tenant may look up per minute and per UTC day, counted in PostgreSQL so that
   * every API instance shares them; 0 = unlimited (the benchmarks).
   */
  lookupQuota: { perMinute: number; perDay: number };
  /** Most objects one TAXII page holds (a larger `limit` is lowered to it). */
  taxiiMaxPage: number;
  /** Watchlist webhooks (README "Watchlists"). */
  webhooks: {
    /** First retry after this long; each later one waits twice as long (WEBHOOK_RETRY_BASE_MS). */
    retryBaseMs: number;
    /** Attempts before a delivery is FAILED (it can still be replayed). */
    maxAttempts: number;
    /** Whether a webhook may reach private or loopback addresses in production (WEBHOOK_ALLOW_PRIVATE). */
    allowPrivate: boolean;
  };
  /** How often each instance matches stored batches against watchlists even without a notification (safety net). */
  watchPassMs: number;
  /** Most unexpired watch entries one tenant may hold (WATCH_MAX_ENTRIES). */
  maxWatchEntries: number;
  /** Prometheus /metrics (README "Observability"). */
  metrics: {
    /** Bearer token /metrics requires (METRICS_TOKEN), wherever it is served; unset: none. */
    token?: string;
    /** A separate listener for /metrics (METRICS_PORT): then /metrics is not served on PORT at all. */
    port?: number;
    host: string;
    /**
     * Whether the public port serves /metrics: not when METRICS_PORT is set, and in production not
     * without a token (an open scrape tells anyone the traffic, operation names and error rates).
     */
    onPublicPort: boolean;
    /** Distinct GraphQL operation names kept as metric labels; later names count as "other". */
    maxOperationNames: number;
  };
}

/** Nest injection token of the validated CairnConfig. */
export const CAIRN_CONFIG = Symbol('CAIRN_CONFIG');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Secrets generated for a development machine (kept in .data/secrets.json); production must set its own. */
export type DevSecrets = Partial<Record<(typeof SECRET_NAMES)[number], string>>;

/** Every secret Cairn reads; outside production each has a generated stand-in. */
export const SECRET_NAMES = ['JWT_SECRET', 'IDENTIFIER_HMAC_SECRET', 'CURSOR_SECRET'] as const;

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env, secrets: DevSecrets = {}): CairnConfig {
  const problems: string[] = [];
  const reader = new EnvReader(env, problems);

  const nodeEnv = reader.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const host = reader.string('HOST', '0.0.0.0');
  const port = reader.int('PORT', 4000, 0, 65535);
  const databaseUrl = reader.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const databaseAppUrl = reader.url('DATABASE_APP_URL', ['postgres:', 'postgresql:']);
  if (databaseUrl && !databaseAppUrl) {
    problems.push(
      'DATABASE_APP_URL: required when DATABASE_URL is set (the login the API runs as; it must not be the owner of DATABASE_URL, see README "Running against an external PostgreSQL")',
    );
  } else if (databaseUrl && databaseAppUrl && sameLogin(databaseUrl, databaseAppUrl)) {
    problems.push('DATABASE_APP_URL: must log in as another role than DATABASE_URL (the owner would bypass row-level security)');
  } else if (!databaseUrl && databaseAppUrl) {
    problems.push('DATABASE_APP_URL: only with DATABASE_URL (the embedded PostgreSQL makes its own login)');
  }
  const databaseReplicaUrl = reader.url('DATABASE_REPLICA_URL', ['postgres:', 'postgresql:']);
  if (databaseReplicaUrl && !databaseUrl)
    problems.push('DATABASE_REPLICA_URL: only with DATABASE_URL (a replica of the embedded PostgreSQL does not exist)');
  const config: CairnConfig = {
    env: nodeEnv,
    host,
    port,
    logLevel: reader.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, nodeEnv === 'test' ? 'warn' : 'info'),
    databaseUrl,
    databaseAppUrl,
    databaseReplicaUrl,
    replicaMaxWaitMs: reader.int('DATABASE_REPLICA_MAX_WAIT_MS', 250, 0, 60_000),
    databaseTrustKey: '',
    dbPoolSize: reader.int('DB_POOL_SIZE', 10, 1, 500),
    apiWorkers: reader.int('API_WORKERS', 1, 1, 64),
    dbRetryDelayMs: reader.int('DB_RETRY_DELAY_MS', 2000, 10, 600_000),
    dbConnectAttempts: reader.int('DB_CONNECT_ATTEMPTS', 0, 0, 1_000_000),
    embeddedPg: {
      dataDir: reader.string('EMBEDDED_PG_DIR', '.data/postgres'),
      port: reader.int('EMBEDDED_PG_PORT', 54329, 1, 65535),
    },
    seedDemo: reader.bool('SEED_DEMO', databaseUrl === undefined),
    demoSeed: reader.int('DEMO_SEED', 1, 0, 2 ** 31 - 1),
    demoScale: reader.number('DEMO_SCALE', 1, 0.01, 100),
    publicUrl: '',
    consoleDir: reader.string('CONSOLE_DIR', '') || undefined,
    kAnonymity: reader.int('K_ANONYMITY', 3, 1, 1000),
    credentialRecheckMs: reader.int('WS_CREDENTIAL_RECHECK_MS', 1000, 0, 60_000),
    limits: {
      graphqlMaxDepth: reader.int('GRAPHQL_MAX_DEPTH', 12, 2, 100),
      graphqlMaxFields: reader.int('GRAPHQL_MAX_FIELDS', 2000, 10, 100_000),
      graphqlMaxAliases: reader.int('GRAPHQL_MAX_ALIASES', 50, 0, 10_000),
      graphqlMaxQueryLength: reader.int('GRAPHQL_MAX_QUERY_LENGTH', 100_000, 100, 10_000_000),
      tenantRequestsPerMinute: reader.int('RATE_LIMIT_TENANT_PER_MINUTE', 12_000, 1, 10_000_000),
      principalRequestsPerMinute: reader.int('RATE_LIMIT_PRINCIPAL_PER_MINUTE', 6_000, 1, 10_000_000),
      wsConnectionsPerTenant: reader.int('WS_MAX_CONNECTIONS_PER_TENANT', 1_000, 1, 1_000_000),
      subscriptionsPerTenant: reader.int('WS_MAX_SUBSCRIPTIONS_PER_TENANT', 2_000, 1, 1_000_000),
      subscriberBufferEvents: reader.int('WS_SUBSCRIBER_BUFFER', 1000, 1, 1_000_000),
    },
    maxBundleObjects: reader.int('MAX_BUNDLE_OBJECTS', 10_000, 1, 1_000_000),
    maxBodyBytes: reader.int('MAX_BODY_BYTES', 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxCheckIdentifiers: reader.int('MAX_CHECK_IDENTIFIERS', 1000, 1, 100_000),
    maxScreenApplicants: reader.int('MAX_SCREEN_APPLICANTS', 1000, 1, 100_000),
    lookupQuota: {
      perMinute: reader.int('LOOKUP_QUOTA_PER_MINUTE', 20_000, 0, 1_000_000_000),
      perDay: reader.int('LOOKUP_QUOTA_PER_DAY', 100_000, 0, 1_000_000_000),
    },
    taxiiMaxPage: reader.int('TAXII_MAX_PAGE', 1000, 1, 100_000),
    webhooks: {
      retryBaseMs: reader.int('WEBHOOK_RETRY_BASE_MS', 30_000, 1, 86_400_000),
      maxAttempts: reader.int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      allowPrivate: reader.bool('WEBHOOK_ALLOW_PRIVATE', false),
    },
    watchPassMs: reader.int('WATCH_PASS_MS', 5_000, 10, 3_600_000),
    maxWatchEntries: reader.int('WATCH_MAX_ENTRIES', 100_000, 1, 10_000_000),
    metrics: undefined as unknown as CairnConfig['metrics'],
    auth: undefined as unknown as CairnConfig['auth'],
    identifierHmacSecret: '',
    cursorSecret: '',
  };
  config.metrics = metricsConfig(reader, nodeEnv, host, port, problems);
  config.publicUrl = reader.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const jwksUrl = reader.url('OIDC_JWKS_URL', ['http:', 'https:']);
  config.auth = {
    jwtSecret: reader.secret('JWT_SECRET', nodeEnv, secrets),
    jwtIssuer: reader.string('JWT_ISSUER', 'cairn'),
    jwtAudience: reader.string('JWT_AUDIENCE', 'cairn-api'),
    accessTokenTtlSeconds: reader.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: reader.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 300, 365 * 86_400),
    sessionMaxSeconds: reader.int('SESSION_MAX_SECONDS', 30 * 86_400, 300, 365 * 86_400),
    oidc: jwksUrl
      ? {
          jwksUrl,
          issuer: reader.required('OIDC_ISSUER', 'when OIDC_JWKS_URL is set'),
          audience: reader.required('OIDC_AUDIENCE', 'when OIDC_JWKS_URL is set'),
          clientId: reader.string('OIDC_CLIENT_ID', '') || undefined,
          scopes: reader.string('OIDC_SCOPES', 'openid email profile'),
          tokenOrigin: originOf(reader.url('OIDC_TOKEN_ORIGIN', ['http:', 'https:'])),
        }
      : undefined,
  };
  if (!jwksUrl && env.OIDC_CLIENT_ID?.trim()) problems.push('OIDC_CLIENT_ID: needs OIDC_JWKS_URL, OIDC_ISSUER and OIDC_AUDIENCE');
  // The console fetches the issuer's discovery document, so with a client the issuer must be a URL.
  if (config.auth.oidc?.clientId) reader.url('OIDC_ISSUER', ['http:', 'https:']);
  config.identifierHmacSecret = reader.secret('IDENTIFIER_HMAC_SECRET', nodeEnv, secrets);
  // A quota below one full call would refuse every full call for ever.
  for (const [name, quota] of [
    ['LOOKUP_QUOTA_PER_MINUTE', config.lookupQuota.perMinute],
    ['LOOKUP_QUOTA_PER_DAY', config.lookupQuota.perDay],
  ] as const) {
    if (quota > 0 && quota < config.maxCheckIdentifiers)
      problems.push(`${name}: must be 0 (unlimited) or at least MAX_CHECK_IDENTIFIERS (${config.maxCheckIdentifiers}), got ${quota}`);
  }
  config.databaseTrustKey = deriveDatabaseTrustKey(config.identifierHmacSecret);
  config.cursorSecret = reader.secret('CURSOR_SECRET', nodeEnv, secrets);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function metricsConfig(
  reader: EnvReader,
  nodeEnv: CairnConfig['env'],
  host: string,
  port: number,
  problems: string[],
): CairnConfig['metrics'] {
  const token = reader.optionalSecret('METRICS_TOKEN', 16);
  const metricsPort = reader.optionalInt('METRICS_PORT', 0, 65535);
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port)
    problems.push(`METRICS_PORT: must differ from PORT (${port}), or be unset to serve /metrics on PORT`);
  return {
    token,
    port: metricsPort,
    host: reader.string('METRICS_HOST', host),
    onPublicPort: metricsPort === undefined && (nodeEnv !== 'production' || token !== undefined),
    maxOperationNames: reader.int('METRICS_MAX_OPERATION_NAMES', 100, 1, 10_000),
  };
}

class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  private raw(name: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      this.problems.push(`${name}: must be a whole number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return Number(v);
  }

  /** A whole number, or undefined when unset. */
  optionalInt(name: string, min: number, max: number): number | undefined {
    return this.raw(name) === undefined ? undefined : this.int(name, min, min, max);
  }

  /** A secret of at least minLength characters, or undefined when unset. Never echoed. */
  optionalSecret(name: string, minLength: number): string | undefined {
    const v = this.raw(name);
    if (v !== undefined && v.length < minLength) {
      this.problems.push(`${name}: must be at least ${minLength} characters`);
      return undefined;
    }
    return v;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      this.problems.push(`${name}: must be a number from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw(name)?.toLowerCase();
    if (v === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    this.problems.push(`${name}: must be true or false (got "${v}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(v)) {
      this.problems.push(`${name}: must be one of ${allowed.join(', ')} (got "${v}")`);
      return fallback;
    }
    return v as T;
  }

  required(name: string, why: string): string {
    const v = this.raw(name);
    if (v === undefined) {
      this.problems.push(`${name}: required ${why}`);
      return '';
    }
    return v;
  }

  /** At least 32 characters. Outside production a generated development secret stands in. Never echoed. */
  secret(name: keyof DevSecrets, nodeEnv: string, dev: DevSecrets): string {
    const v = this.raw(name) ?? (nodeEnv === 'production' ? undefined : dev[name]);
    if (v === undefined) {
      this.problems.push(`${name}: required (at least 32 characters)`);
      return '';
    }
    if (v.length < 32) {
      this.problems.push(`${name}: must be at least 32 characters`);
      return '';
    }
    return v;
  }

  /** Secrets are never echoed back in the problem text. */
  url(name: string, protocols: string[]): string | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) throw new Error();
      return v;
    } catch {
      this.problems.push(`${name}: must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`);
      return undefined;
    }
  }
}

const originOf = (url: string | undefined) => (url ? new URL(url).origin : undefined);

/**
 * The database trust key, derived from IDENTIFIER_HMAC_SECRET (which is never rotated: stored
 * hashes depend on it), so no deployment has one more secret to keep; one-way, so the database
 * holding the key learns nothing of the HMAC secret.
 */
export function deriveDatabaseTrustKey(identifierHmacSecret: string): string {
  return createHmac('sha256', identifierHmacSecret).update('cairn:database-operator-proof').digest('hex');
}

function sameLogin(a: string, b: string): boolean {
  try {
    const ua = new URL(a);
    const ub = new URL(b);
    return (
      decodeURIComponent(ua.username || 'postgres') === decodeURIComponent(ub.username || 'postgres') &&
      ua.hostname === ub.hostname &&
      ua.port === ub.port
    );
  } catch {
    return false;
  }
}

/** A random secret for development; production deployments set their own. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
