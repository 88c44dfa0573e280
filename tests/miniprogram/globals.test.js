'use strict';
// Static check of the BUILT mini program folder: no code (comments and strings aside) names a
// global a phone lacks (MINIPROGRAM.md). The stand-in only catches the paths a test runs; this
// also covers error paths and branches no test reaches. Run `make package` first.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { PKG_DIR: PKG } = require('../js/packed');
const ABSENT = ['TextEncoder', 'TextDecoder', 'WebAssembly', 'fetch', 'WebSocket', 'window', 'self', 'document', 'location', 'XMLHttpRequest', 'process', 'Buffer', 'globalThis', 'eval', 'Function', '__dirname', '__filename'];

function code(src) {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"\\])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

// Free references: not a property access (x.window), not an object key (window: ...).
function freeRefs(src) {
  const re = new RegExp('(^|[^.\\w$])(' + ABSENT.join('|') + ')\\b(?!\\s*:)', 'g');
  const found = [];
  let m;
  while ((m = re.exec(src))) found.push(m[2]);
  return found;
}

test('the checker sees free references and ignores comments, strings and properties', () => {
  assert.deepEqual(freeRefs(code('var b = Buffer.from(x); // TextDecoder\n/* fetch */ a.window; "process"; { self: 1 }')), ['Buffer']);
  assert.deepEqual(freeRefs(code('typeof globalThis; new Function("x")')), ['globalThis', 'Function']);
});

test('miniprogram_dist/ names no global a phone lacks, and requires only its own files', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  const dir = path.join(PKG, pkg.miniprogram);
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'));
  assert.ok(files.includes('index.js') && files.includes('tinyim.js'), files.join());
  for (const f of files) {
    const src = fs.readFileSync(path.join(dir, f), 'utf8');
    assert.deepEqual(freeRefs(code(src)), [], f);
    for (const m of src.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      assert.match(m[1], /^\.\.?\//, f + ' requires ' + m[1]);
      const target = path.join(dir, path.dirname(f), m[1]);
      assert.ok(fs.existsSync(target) || fs.existsSync(target + '.js'), f + ' requires a missing ' + m[1]);
    }
  }
});
