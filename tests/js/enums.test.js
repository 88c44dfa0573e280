'use strict';
// ZIM's enums and error codes, checked against ZEGO's own typings of zego-zim-miniprogram
// (unpacked under target/zimref by `make setup-js`, read with TypeScript's parser): the
// package exports every enum of 2.29 (the 56 that ZIM's own index.js exports, and the two its
// typings alone declare) and all 169 error codes, each with ZIM's members and values; the
// 2.2x names are on the class; index.d.ts declares the same; and the Rust code table
// (protocol/src/error.rs) holds only ZIM codes.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const { PKG_DIR } = require('./packed');

const ROOT = path.join(__dirname, '..', '..');
const ZIMREF = path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'zimref');

function ref(version, file) {
  const f = path.join(ZIMREF, version, 'package', file);
  if (!fs.existsSync(f)) throw new Error(f + ' is missing: run `make setup-js`');
  return f;
}

// Every enum declared in `file` (also inside a namespace): { name: { member: value } }.
function declaredEnums(file) {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out = {};
  const value = (init) => {
    if (ts.isNumericLiteral(init)) return Number(init.text);
    if (ts.isPrefixUnaryExpression(init) && init.operator === ts.SyntaxKind.MinusToken) return -value(init.operand);
    throw new Error('an enum value that is not a number: ' + init.getText(src));
  };
  (function visit(node) {
    if (ts.isEnumDeclaration(node)) {
      const members = {};
      node.members.forEach((m) => {
        members[m.name.getText(src)] = value(m.initializer);
      });
      out[node.name.text] = members;
    }
    ts.forEachChild(node, visit);
  })(src);
  return out;
}

// An exported enum object without TypeScript's reverse mapping (value -> name).
function forward(obj) {
  const out = {};
  for (const k of Object.keys(obj)) if (!/^-?\d+$/.test(k)) out[k] = obj[k];
  return out;
}

const zim229 = Object.assign(declaredEnums(ref('2.29.0', 'entity/ZIMDefines.d.ts')), declaredEnums(ref('2.29.0', 'entity/ZIMErrorCode.d.ts')));
const api = require(PKG_DIR);
const exported = Object.keys(api).filter((k) => k !== 'ZIM' && k !== 'default');

test("ZIM 2.29 has 58 enums and 169 error codes, and tinyim exports all of them with ZIM's values", () => {
  const names = Object.keys(zim229);
  assert.equal(names.length, 59, 'ZIMDefines.d.ts declares 58 enums; ZIMErrorCode.d.ts one');
  assert.equal(Object.keys(zim229.ZIMErrorCode).length, 169);
  assert.deepEqual(exported.slice().sort(), names.slice().sort());
  for (const name of names) {
    assert.deepEqual(forward(api[name]), zim229[name], name);
    // As TypeScript's enums (ZIM's) do, values map back to names.
    for (const [member, v] of Object.entries(zim229[name])) assert.equal(typeof api[name][v], 'string', name + '.' + member);
  }
  assert.equal(api.ZIMErrorCode[6000001], 'CommonModuleParamsInvalid');
});

test("the 56 enums ZIM 2.29's index.js exports at run time are among them", () => {
  const js = fs.readFileSync(ref('2.29.0', 'index.js'), 'utf8');
  const block = js.match(/__webpack_require__\.d\(__webpack_exports__,\{([^}]*)\}/);
  assert.ok(block, "ZIM's export list");
  const runtime = block[1].split(',').map((e) => e.split(':')[0]).filter((n) => /^ZIM./.test(n));
  assert.equal(runtime.length, 56);
  for (const name of runtime) assert.ok(exported.includes(name), name);
  // The other two are declared by ZIM's typings only; tinyim has them at run time too.
  assert.deepEqual(
    Object.keys(zim229).filter((n) => !runtime.includes(n)).sort(),
    ['ZIMErrorCode', 'ZIMMediaFileType', 'ZIMMessageQueryMode'],
  );
});

test("ZIM 2.2x's names on the class (ZIM.MessageType ...) hold 2.2x's members", () => {
  const zim222 = declaredEnums(ref('2.22.0', 'entity/ZIM.d.ts'));
  assert.equal(Object.keys(zim222).length, 51);
  for (const [name, members] of Object.entries(zim222)) {
    assert.ok(api.ZIM[name], 'ZIM.' + name);
    for (const [member, v] of Object.entries(members)) assert.equal(api.ZIM[name][member], v, 'ZIM.' + name + '.' + member);
  }
  // Every 2.29 enum has its 2.2x-style name (the seven newer ones included).
  for (const name of Object.keys(zim229)) if (name !== 'ZIMErrorCode') assert.equal(forward(api.ZIM[name.slice(3)])[Object.keys(zim229[name])[0]], Object.values(zim229[name])[0], name);
});

test("index.d.ts declares ZIM's enums with ZIM's members", () => {
  const ours = declaredEnums(path.join(PKG_DIR, 'index.d.ts'));
  for (const name of Object.keys(zim229)) assert.deepEqual(ours[name], zim229[name], name);
});

test('the Rust code table (protocol/src/error.rs) holds ZIM codes only', () => {
  const src = fs.readFileSync(path.join(ROOT, 'protocol', 'src', 'error.rs'), 'utf8');
  const consts = [...src.matchAll(/pub const (\w+): u32 = ([\d_]+);/g)];
  assert.ok(consts.length >= 29);
  const zimCodes = new Set(Object.values(zim229.ZIMErrorCode));
  for (const [, name, v] of consts) assert.ok(zimCodes.has(Number(v.replace(/_/g, ''))), name + ' = ' + v + ' is not a ZIM 2.29 code');
});
