'use strict';
// index.d.ts types the whole surface: a TypeScript file written as ZIM users write it (2.x
// style with inferred types, 1.x style with annotated parameters) compiles under --strict
// against the package as installed from the tarball.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { TARBALL } = require('./packed');
const TSC = require.resolve('typescript/bin/tsc');

test('index.d.ts: typical 1.x and 2.x code type-checks with --strict', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-ts-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', TARBALL], { cwd: dir, stdio: 'pipe' });
  fs.copyFileSync(path.join(__dirname, 'types', 'usage.ts'), path.join(dir, 'usage.ts'));
  for (const mod of [['nodenext', 'nodenext'], ['commonjs', 'node10']]) {
    try {
      execFileSync(process.execPath, [TSC, '--noEmit', '--strict', '--target', 'es2020', '--module', mod[0], '--moduleResolution', mod[1], 'usage.ts'], { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      assert.fail('tsc --module ' + mod[0] + ':\n' + e.stdout + e.stderr);
    }
  }
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
