import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * A headless Chromium from the project's own install: @sparticuz/chromium ships the browser (and,
 * in al2023.tar.br, the NSS libraries it needs) inside the npm package, so a fresh machine needs
 * nothing from apt. The libraries are unpacked beside the browser and put first on
 * LD_LIBRARY_PATH. If that browser cannot start, Debian's /usr/bin/chromium is tried, saying so.
 */
export async function launchBrowser(): Promise<Browser> {
  const { sparticuz, exe, libs } = await unpackBrowser();
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    FONTCONFIG_PATH: process.env.FONTCONFIG_PATH ?? join(tmpdir(), 'fonts'),
  };
  const args = [...sparticuz.args.filter((a: string) => a !== '--single-process'), '--no-sandbox'];
  try {
    return await chromium.launch({ executablePath: exe, args, env, headless: true });
  } catch (err) {
    if (!existsSync('/usr/bin/chromium')) throw err;
    process.stderr.write(
      `The bundled Chromium (${exe}) did not start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); using /usr/bin/chromium instead.\n`,
    );
    return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'], headless: true });
  }
}

/**
 * Unpacks the bundled browser and its libraries into the temp folder, if they are not there yet.
 * jest's global setup calls it once per run: two workers that unpacked at the same moment wrote
 * one file while the other started it (Chromium died with SIGSEGV on a fresh machine).
 */
export async function unpackBrowser() {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sparticuz = require('@sparticuz/chromium') as { executablePath(): Promise<string>; args: string[] };
  const exe = await sparticuz.executablePath();
  const libs = await bundledLibraries();
  return { sparticuz, exe, libs };
}

/** Unpacks the package's shared libraries (once per machine) and returns their folder. */
async function bundledLibraries(): Promise<string | undefined> {
  const dir = join(tmpdir(), 'al2023', 'lib');
  if (existsSync(join(dir, 'libnss3.so'))) return dir;
  const pkg = dirname(require.resolve('@sparticuz/chromium'));
  const archive = join(pkg, '..', '..', 'bin', 'al2023.tar.br');
  if (!existsSync(archive)) return undefined;
  // lambdafs is the package's own unpacker (not in its exports map, so required by path).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS file by path, outside the exports map
  const { inflate } = require(join(pkg, 'lambdafs.cjs')) as { inflate: (file: string) => Promise<string> };
  await inflate(archive);
  return existsSync(dir) ? dir : undefined;
}
