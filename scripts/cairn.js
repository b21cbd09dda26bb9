#!/usr/bin/env node
// The operator CLI (`cairn`, `npm run cli`): runs the compiled CLI in this process and compiles first
// only when a source is newer than the last build, so an unchanged tree costs a node start-up, not a
// type-check of the whole project. Compiler output goes to stderr: stdout carries only what the
// command prints (an export redirected to a file stays a clean bundle).
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.cli-build-stamp');
const entry = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const SOURCE_DIRS = ['apps', 'libs', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Newest modification time of the build's inputs (TypeScript sources and compiler config). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts')) {
        newest = Math.max(newest, statSync(p).mtimeMs);
      }
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(path.join(root, d))) walk(path.join(root, d));
  for (const f of CONFIG_FILES) if (existsSync(path.join(root, f))) newest = Math.max(newest, statSync(path.join(root, f)).mtimeMs);
  return newest;
}

function isStale() {
  // A tree with compiled code and no sources (a container image) runs what it has.
  if (!SOURCE_DIRS.some((d) => existsSync(path.join(root, d)))) return false;
  if (!existsSync(stamp) || !existsSync(entry)) return true;
  return newestSource() > statSync(stamp).mtimeMs;
}

function build() {
  const started = Date.now();
  // The stamp is written before compiling: a source edited during the build is newer than it, so the next call rebuilds.
  const before = new Date();
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  // An incremental build trusts its build info and would not re-emit deleted output: start afresh then.
  if (!existsSync(entry)) rmSync(path.join(root, 'dist', '.tsbuildinfo'), { force: true });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('cairn: the build failed (see above); nothing was run\n');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, '');
  utimesSync(stamp, before, before);
  process.stderr.write(`cairn: compiled the changed sources in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

if (isStale()) build();
require('./register-aliases');
require(entry);
