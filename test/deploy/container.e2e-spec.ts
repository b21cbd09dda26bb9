import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findPostgresBin, startExternalPostgres, SUPERUSER_PASSWORD, type ExternalPostgres } from '../support/external-pg';
import { freePort } from '../../libs/database/src/embedded-postgres';
import { alive, spawnCollecting, waitFor, type Spawned } from '../support/processes';
import { parse as parseYaml } from 'yaml';

const ROOT = resolve(__dirname, '../..');

/**
 * The Dockerfile and compose.yaml, checked without a Docker engine (this machine has none): the
 * build stage's steps are replayed in a temp folder (its COPY list, `npm run build`), the runtime
 * stage's layout is assembled from what it copies (node_modules holding the production packages
 * only, as `npm prune --omit=dev` leaves them), and its CMD runs there with the api service's
 * environment against a real PostgreSQL prepared by the postgres service's init script; the image's
 * HEALTHCHECK command must pass, and SIGTERM (docker stop) must end it with exit code 0.
 * Not checked here: `npm ci` itself (node_modules is the project's, linked), the base image, the
 * non-root user at run time (asserted in the Dockerfile only), compose's own parsing and networking.
 */
const found = findPostgresBin();
const unavailable = 'missing' in found ? found.missing : undefined;
const pgBin = 'bin' in found ? found.bin : '';
if (unavailable && process.env.CI !== 'true') process.stdout.write(`container.e2e-spec: skipped — ${unavailable}\n`);
const maybe = unavailable && process.env.CI !== 'true' ? describe.skip : describe;

interface Stage {
  from: string;
  lines: string[];
}

function dockerfileStages(): Stage[] {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    if (/^FROM /i.test(line)) stages.push({ from: line, lines: [] });
    else stages.at(-1)!.lines.push(line);
  }
  return stages;
}

const jsonArg = (stage: Stage, instruction: string) => {
  const line = stage.lines.find((l) => l.startsWith(`${instruction} `) && l.includes('['));
  if (!line) throw new Error(`no ${instruction} in the runtime stage`);
  return JSON.parse(line.slice(line.indexOf('[')));
};

/** `${NAME:?message}` and `${NAME:-default}` as compose interpolates them. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    if (env[name] !== undefined && env[name] !== '') return env[name];
    if (op === '-') return arg ?? '';
    throw new Error(`compose.yaml needs ${name}: ${arg ?? ''}`);
  });
}

maybe('the container image and compose file, replayed here', () => {
  let pg: ExternalPostgres;
  let dir: string;
  let run: Spawned | undefined;

  beforeAll(async () => {
    if ('missing' in found) throw new Error(`CI=true but no external PostgreSQL to test against: ${found.missing}`);
    pg = await startExternalPostgres(found.bin);
    dir = mkdtempSync(join(tmpdir(), 'cairn-image-'));
  }, 120_000);
  afterAll(() => {
    if (run && run.child.exitCode === null) run.child.kill('SIGKILL');
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('builds, starts as the compose environment says, passes its HEALTHCHECK, and stops cleanly on SIGTERM', async () => {
    const [build, runtime] = dockerfileStages();
    expect(build.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RUN npm ci\b/),
        expect.stringMatching(/^RUN npm run build && npm prune --omit=dev\b/),
      ]),
    );
    expect(runtime.lines).toContainEqual(expect.stringMatching(/^USER (?!root\b)\w+/));

    // Build stage: the sources it copies, dependencies (the project's, in place of npm ci), its build.
    const src = join(dir, 'build');
    mkdirSync(src);
    for (const line of build.lines.filter((l) => l.startsWith('COPY '))) {
      const args = line.split(/\s+/).slice(1);
      for (const from of args.slice(0, -1)) cpSync(join(ROOT, from), join(src, from), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: src, stdio: 'pipe' });

    // Runtime stage: what it copies from the build; node_modules as pruned (packages the lock file does not mark dev-only).
    const app = join(dir, 'app');
    mkdirSync(join(app, 'node_modules'), { recursive: true });
    const copied = runtime.lines.filter((l) => /^COPY --from=build /.test(l)).map((l) => l.split(/\s+/)[2].replace(/^\/app\//, ''));
    expect(copied.sort()).toEqual(['dist', 'node_modules', 'package.json']);
    cpSync(join(src, 'dist'), join(app, 'dist'), { recursive: true });
    cpSync(join(src, 'package.json'), join(app, 'package.json'));
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    for (const [path, meta] of Object.entries(lock.packages)) {
      if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) || meta.dev || !existsSync(join(ROOT, path))) continue;
      mkdirSync(dirname(join(app, path)), { recursive: true });
      symlinkSync(join(ROOT, path), join(app, path));
    }
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);

    // The postgres service's init script, on a real server, as its superuser.
    const passwords = { CAIRN_OWNER_PASSWORD: randomBytes(12).toString('hex'), CAIRN_APP_PASSWORD: randomBytes(12).toString('hex') };
    const server = new URL(pg.url);
    execFileSync(join(ROOT, 'deploy/postgres-init.sh'), {
      env: {
        PATH: `${pgBin}:${process.env.PATH}`,
        PGHOST: server.hostname,
        PGPORT: server.port,
        PGPASSWORD: SUPERUSER_PASSWORD,
        POSTGRES_USER: 'postgres',
        ...passwords,
      },
      stdio: 'pipe',
    });

    // The api service's environment, interpolated, with the postgres service's address replaced by the test server's.
    const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as {
      services: { api: { environment: Record<string, string>; stop_grace_period: string } };
    };
    const secrets = {
      ...passwords,
      JWT_SECRET: randomBytes(24).toString('hex'),
      IDENTIFIER_HMAC_SECRET: randomBytes(24).toString('hex'),
      CURSOR_SECRET: randomBytes(24).toString('hex'),
    };
    const port = await freePort();
    const env: Record<string, string> = { PATH: process.env.PATH!, HOST: '127.0.0.1', PORT: String(port) };
    for (const [name, value] of Object.entries(compose.services.api.environment))
      env[name] = interpolate(String(value), secrets).replace('@postgres:5432/', `@127.0.0.1:${server.port}/`);
    expect(env.NODE_ENV).toBe('production');
    // The image's ENV, then the compose environment; HOST/PORT stay the test's (compose maps 4000 itself).
    const [cmd, ...args] = jsonArg(runtime, 'CMD') as string[];
    run = spawnCollecting(cmd, args, { cwd: app, env: { ...env, HOST: '127.0.0.1', PORT: String(port) } });
    const [hcCmd, ...hcArgs] = jsonArg(runtime, 'HEALTHCHECK') as string[];
    const started = await waitFor(
      'the HEALTHCHECK command to pass',
      () => {
        if (run!.child.exitCode !== null) return 'exited';
        try {
          execFileSync(hcCmd, hcArgs, { env: { ...env, PORT: String(port) }, stdio: 'pipe' });
          return 'healthy';
        } catch {
          return false;
        }
      },
      120_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${run!.output()}`);
    });
    if (started === 'exited') throw new Error(`the server exited during start-up:\n${run.output()}`);

    run.child.kill('SIGTERM');
    const exit = await waitFor(
      'the server to exit after SIGTERM',
      () => Promise.race([run!.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]),
      30_000,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(alive(run.child.pid!)).toBe(false);
  }, 300_000);
});
