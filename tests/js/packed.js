'use strict';
// Where `make package` leaves the npm package: the folder and its `npm pack` tarball. Tests
// use the tarball, as a user's `npm install` would.

const fs = require('node:fs');
const path = require('node:path');

const NPM_DIR = path.join(__dirname, '..', '..', 'target', 'npm');
const PKG_DIR = path.join(NPM_DIR, 'tinyim');

function packedTarball() {
  const f = fs.existsSync(NPM_DIR) && fs.readdirSync(NPM_DIR).find((n) => /^tinyim-.*\.tgz$/.test(n));
  if (!f) throw new Error('no packed tarball in target/npm: run `make package`');
  return path.join(NPM_DIR, f);
}

module.exports = { NPM_DIR, PKG_DIR, TARBALL: packedTarball() };
