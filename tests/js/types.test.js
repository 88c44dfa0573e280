'use strict';
// index.d.ts types the whole surface: TypeScript files written as ZIM users write them (2.x
// style with inferred types, 1.x style with annotated parameters, 2.2x's enums on the class)
// compile under --strict against the package as installed from the tarball; the ones written
// against ZIM 2.29's own typings (types/presence.ts) compile against those typings as well.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { TARBALL } = require('./packed');
const TSC = require.resolve('typescript/bin/tsc');

const TYPES = path.join(__dirname, 'types');
const FILES = fs.readdirSync(TYPES).filter((f) => f.endsWith('.ts'));
const ZIMREF = path.join(process.env.CARGO_TARGET_DIR || path.join(__dirname, '..', '..', 'target'), 'zimref', '2.29.0', 'package');

const MODULES = [['nodenext', 'nodenext'], ['commonjs', 'node10']];

// Compiles `files` (copied from types/) in `dir` with --strict under each of `modules`.
function compile(dir, files, modules) {
  for (const f of files) fs.copyFileSync(path.join(TYPES, f), path.join(dir, f));
  for (const mod of modules || MODULES) {
    try {
      execFileSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2020', '--module', mod[0], '--moduleResolution', mod[1], ...files], { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      assert.fail('tsc --module ' + mod[0] + ':\n' + e.stdout + e.stderr);
    }
  }
}

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-ts-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  return dir;
}

test('index.d.ts: typical 1.x, 2.x and 2.2x code type-checks with --strict', (t) => {
  const dir = tempDir(t);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', TARBALL], { cwd: dir, stdio: 'pipe' });
  compile(dir, FILES);
  // uni-app and Taro apps import the wx-only build by its subpath (pkg-template/README.md).
  fs.writeFileSync(path.join(dir, 'framework.ts'), "import { ZIM } from 'tinyim/miniprogram';\nZIM.setAdvancedConfig('wasm_path', '/static/tinyim/tinyim_bg.wasm.br');\nZIM.create(1)!.login('a', { userName: 'A', token: 't' });\n");
  for (const mod of [['nodenext', 'nodenext'], ['esnext', 'bundler']]) {
    try {
      execFileSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2020', '--module', mod[0], '--moduleResolution', mod[1], 'framework.ts'], { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      assert.fail('tsc framework.ts --module ' + mod[0] + ':\n' + e.stdout + e.stderr);
    }
  }
});

test("the code written against ZIM 2.29's typings type-checks against them too", (t) => {
  assert.ok(fs.existsSync(path.join(ZIMREF, 'entity', 'index.d.ts')), ZIMREF + ' is missing: run `make setup-js`');
  // ZIM's typings in tinyim's place: the same import resolves to them.
  const dir = tempDir(t);
  const pkg = path.join(dir, 'node_modules', 'tinyim');
  fs.mkdirSync(path.join(pkg, 'entity'), { recursive: true });
  for (const f of fs.readdirSync(path.join(ZIMREF, 'entity'))) fs.copyFileSync(path.join(ZIMREF, 'entity', f), path.join(pkg, 'entity', f));
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'tinyim', version: '2.29.0', types: 'entity/index.d.ts' }));
  compile(dir, ['presence.ts', 'friends.ts'], [MODULES[1]]); // one module setting is enough for ZIM's typings
});
