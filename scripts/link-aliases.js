// Runs after tsc (npm run build). tsc keeps the `@cairn/<lib>` path aliases of tsconfig.json in the
// compiled requires; this writes dist/node_modules/@cairn/<lib>/index.js for each lib, so that
// node's own module lookup (which walks up from dist/apps/... to dist/node_modules) finds them.
// `node dist/apps/api/src/main.js` then runs as it is — no -r flag, no loader — which is what an
// init system or a container's CMD runs. Each shim re-exports the compiled lib by its real path,
// so a lib required through the alias and by a relative path is one module instance.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
for (const lib of fs.readdirSync(path.join(root, 'libs'))) {
  if (!fs.existsSync(path.join(dist, 'libs', lib, 'src', 'index.js'))) continue;
  const dir = path.join(dist, 'node_modules', '@cairn', lib);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), `module.exports = require('../../../libs/${lib}/src/index.js');\n`);
}
