#!/usr/bin/env node
// Builds the web console (apps/console, React + Vite) into dist/console, which the API serves at `/`.
// Run by `npm run build` (so by `npm start`) and by the console's browser tests. Offline: every
// dependency is bundled; nothing is fetched at run time (the page's CSP allows 'self' only).
const { join } = require('node:path');

const root = join(__dirname, '..');

async function buildConsole({ quiet = false, out = join(root, 'dist', 'console') } = {}) {
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: join(root, 'apps', 'console'),
    base: '/',
    logLevel: quiet ? 'error' : 'warn',
    build: {
      outDir: out,
      emptyOutDir: true,
      assetsDir: 'console-assets',
      target: 'es2022',
      sourcemap: false,
      // No inline module-preload polyfill: the CSP allows no inline script.
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
    },
  });
  return out;
}

if (require.main === module) {
  // --out <dir>: build elsewhere (the browser tests build their own copy, so that a parallel
  // `npm run build` emptying dist/console cannot pull files from under their server).
  const at = process.argv.indexOf('--out');
  buildConsole(at > 0 ? { out: require('node:path').resolve(process.argv[at + 1]) } : {}).then(
    (out) => process.stdout.write(`console built into ${out}\n`),
    (err) => {
      process.stderr.write(`console build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
module.exports = { buildConsole };
