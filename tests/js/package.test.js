'use strict';
// The package build's fixed contract: target/npm/tinyim/ with package.json (main CJS, module
// ESM, types, exports, miniprogram folder with index.js beside a .wasm.br), the npm pack
// tarball next to it, and a size check that fails the build over budget.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const PKG = path.join(ROOT, 'target', 'npm', 'tinyim');

test('target/npm/tinyim has the contract package.json and files, and a tarball beside it', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'tinyim');
  for (const f of [pkg.main, pkg.module, pkg.types, path.join(pkg.miniprogram, 'index.js')]) {
    assert.ok(fs.existsSync(path.join(PKG, f)), f);
  }
  assert.ok(fs.readdirSync(path.join(PKG, pkg.miniprogram)).includes('tinyim_bg.wasm.br'));
  assert.ok(pkg.exports['.']);
  assert.ok(fs.readdirSync(path.dirname(PKG)).some((f) => f === `tinyim-${pkg.version}.tgz`));
  // The mini program folder holds CommonJS only: no ES module syntax, no import.meta.
  for (const f of fs.readdirSync(path.join(PKG, pkg.miniprogram), { recursive: true })) {
    if (!f.endsWith('.js')) continue;
    const src = fs.readFileSync(path.join(PKG, pkg.miniprogram, f), 'utf8');
    assert.doesNotMatch(src, /^\s*(import|export)\s/m, f);
    assert.doesNotMatch(src, /import\.meta|\beval\(|new Function|instantiateStreaming|\bfetch\(/, f);
  }
  const { ZIM, ZIMConnectionState } = require(PKG);
  assert.equal(typeof ZIM.create, 'function');
  assert.equal(ZIMConnectionState.Reconnecting, 3);
  assert.equal(ZIM.getVersion(), pkg.version);
});

test('the package build fails when the mini-program cost is over budget', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-budget-'));
  try {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'pkg-template', 'build.js'), path.join(ROOT, 'target', 'wasm-bindgen'), path.join(out, 'tinyim')], {
      env: Object.assign({}, process.env, { TINYIM_BUDGET: '1000' }),
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /mini-program cost:\s+\d+ bytes \(budget 1000\)/);
    assert.match(r.stderr, /over the budget of 1000/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
