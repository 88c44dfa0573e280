'use strict';
// Where `make package` leaves the npm package: the folder and its `npm pack` tarball. Tests
// use the tarball, as a user's `npm install` would.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const NPM_DIR = path.join(__dirname, '..', '..', 'target', 'npm');
const PKG_DIR = path.join(NPM_DIR, 'tinyim');

function packedTarball() {
  const f = fs.existsSync(NPM_DIR) && fs.readdirSync(NPM_DIR).find((n) => /^tinyim-.*\.tgz$/.test(n));
  if (!f) throw new Error('no packed tarball in target/npm: run `make package`');
  return path.join(NPM_DIR, f);
}

const TARBALL = packedTarball();

// A fresh app project with the tarball installed (`npm install`), and the `ws` package too
// when `withWs`; removed after test `t`.
function installProject(t, withWs) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-node-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
  const wsDir = path.dirname(require.resolve('ws/package.json'));
  const pkgs = withWs ? [TARBALL, wsDir] : [TARBALL];
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'].concat(pkgs), { cwd: dir, stdio: 'pipe' });
  return dir;
}

module.exports = { NPM_DIR, PKG_DIR, TARBALL, installProject };
