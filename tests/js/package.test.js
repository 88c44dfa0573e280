'use strict';
// The package build's fixed contract: target/npm/tinyim/ with package.json (main CJS, module
// ESM, types, exports, miniprogram folder with index.js beside a .wasm.br), the npm pack
// tarball next to it, a size check that fails the build over budget, and a check that fails it
// when the wasm is one an iPhone refuses (not WebAssembly 1.0, or exporting a global).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..', '..');
const PKG = path.join(ROOT, 'target', 'npm', 'tinyim');
const wasm1 = require(path.join(ROOT, 'pkg-template', 'wasm1.js'));

const { SIGN_EXT, GLOBAL } = require('./wasm-samples');

function build(bindgenDir, env) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-build-'));
  try {
    return spawnSync(process.execPath, [path.join(ROOT, 'pkg-template', 'build.js'), bindgenDir, path.join(out, 'tinyim')], {
      env: Object.assign({}, process.env, env || {}),
      encoding: 'utf8',
    });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

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
  const r = build(path.join(ROOT, 'target', 'wasm-bindgen'), { TINYIM_BUDGET: '1000' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /mini-program cost:\s+\d+ bytes \(budget 1000\)/);
  assert.match(r.stderr, /over the budget of 1000/);
});

test('the shipped wasm is WebAssembly 1.0 and exports no global; the check names what a phone refuses', () => {
  for (const shipped of [
    fs.readFileSync(path.join(PKG, 'lib', 'tinyim_bg.wasm')),
    require('node:zlib').brotliDecompressSync(fs.readFileSync(path.join(PKG, 'miniprogram_dist', 'tinyim_bg.wasm.br'))),
  ]) {
    assert.deepEqual(wasm1.check(shipped), { ok: true, problems: [] });
    assert.deepEqual([...new Set(wasm1.exportsOf(shipped).map((e) => e.kind))].sort(), ['function', 'memory']);
  }
  const signExt = wasm1.check(SIGN_EXT);
  assert.equal(signExt.ok, false);
  assert.equal(signExt.problems.length, 1);
  assert.match(signExt.problems[0], /not WebAssembly 1\.0 .*: it uses sign-extension;/);
  assert.deepEqual(wasm1.check(GLOBAL), { ok: false, problems: ['exports global "g" (WeChat on iOS cannot use exported globals)'] });
});

test('the package build fails on a wasm an iPhone refuses, naming the feature', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-bindgen-'));
  try {
    fs.copyFileSync(path.join(ROOT, 'target', 'wasm-bindgen', 'tinyim.js'), path.join(dir, 'tinyim.js'));
    fs.writeFileSync(path.join(dir, 'tinyim_bg.wasm'), SIGN_EXT);
    const r = build(dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /package build: the wasm is refused by phones: not WebAssembly 1\.0 .*it uses sign-extension/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
