// Lets compiled code in dist/ resolve the `@cairn/<lib>` path aliases of tsconfig.json.
const Module = require('module');
const path = require('path');
const dist = path.resolve(__dirname, '..', 'dist');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^@cairn\/([a-z-]+)(\/.*)?$/.exec(request);
  if (m) request = path.join(dist, 'libs', m[1], 'src', m[2] ?? '');
  return original.call(this, request, ...rest);
};
