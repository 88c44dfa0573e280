'use strict';
// tinyim in a uni-app or Taro mini program, in the strict stand-in on both profiles. Neither
// tool uses the developer tool's "build npm" (there is no miniprogram_npm/): each bundles the
// npm code an app imports into one vendor file of its build, and copies only the files it is
// told to: uni-app its static/ folder verbatim, Taro what `copy.patterns` in config/index.js
// lists. So the app imports `tinyim/miniprogram` (the package's wx-only CommonJS build), puts
// the .wasm.br where the tool copies it, and says where with setAdvancedConfig('wasm_path').
// Each code package here is laid out as that tool lays out its build (pkg-template/README.md).
// Run `make package` first.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Phone, phoneTest } = require('./standin');
const { waitFor } = require('../js/server');
const { TARBALL } = require('../js/packed');
const { plain, server, cfg } = require('./devices');

// Where each tool puts things in its build output (`dist/build/mp-weixin/` for uni-app's
// `npm run build:mp-weixin`, `dist/` for Taro's `taro build --type weapp`).
const TOOLS = {
  // src/static/tinyim/tinyim_bg.wasm.br in the project, copied verbatim.
  'uni-app': { vendor: '/common/vendor.js', wasm: '/static/tinyim/tinyim_bg.wasm.br' },
  // copy: { patterns: [{ from: 'node_modules/tinyim/miniprogram_dist/tinyim_bg.wasm.br',
  //                      to: 'dist/tinyim/tinyim_bg.wasm.br' }] }
  Taro: { vendor: '/vendors.js', wasm: '/tinyim/tinyim_bg.wasm.br' },
};

// The package's export `subpath` resolved as a bundler resolves it (package.json `exports`).
function exported(pkgDir, subpath) {
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  let target = pkg.exports && pkg.exports[subpath];
  // Conditions: a bundler building a mini program matches none of types/node, so `default`.
  if (target && typeof target === 'object') target = target.default;
  assert.equal(typeof target, 'string', 'package.json exports ' + subpath);
  return path.join(pkgDir, target);
}

// The vendor file a tool emits for an app that imports `tinyim/miniprogram`: every module of
// that build in one file, linked by a small require, as bundlers do. Nothing but JS goes in.
function vendorBundle(entry) {
  const dir = path.dirname(entry);
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.js'));
  const table = files
    .map((f) => JSON.stringify(f) + ': function (module, exports, require) {\n' + fs.readFileSync(path.join(dir, f), 'utf8') + '\n},\n')
    .join('');
  return (
    'var files = {\n' +
    table +
    '};\n' +
    'var cache = {};\n' +
    'function load(name) {\n' +
    '  if (cache[name]) return cache[name].exports;\n' +
    '  var module = (cache[name] = { exports: {} });\n' +
    '  files[name](module, module.exports, function (dep) {\n' +
    "    var parts = (name.slice(0, name.lastIndexOf('/') + 1) + dep).split('/');\n" +
    '    var out = [];\n' +
    "    parts.forEach(function (p) { if (p === '..') out.pop(); else if (p !== '.' && p) out.push(p); });\n" +
    "    var key = out.join('/') + (/\\.js$/.test(dep) ? '' : '.js');\n" +
    "    if (!files[key]) throw new Error('vendor: no module ' + dep);\n" +
    '    return load(key);\n' +
    '  });\n' +
    '  return module.exports;\n' +
    '}\n' +
    'module.exports = { tinyim: load(' + JSON.stringify(path.relative(dir, entry)) + ') };\n'
  );
}

// A page of the app, as the tool compiles it: it requires the vendor file.
function pageSource(vendor) {
  return `
const { ZIM } = require(${JSON.stringify(path.posix.relative('/pages/index', vendor))}).tinyim; // import { ZIM } from 'tinyim/miniprogram'
const config = require('../../config.js');
const events = [];
module.exports.events = events;
ZIM.setAdvancedConfig('server', config.server);
if (config.wasmPath) ZIM.setAdvancedConfig('wasm_path', config.wasmPath);
const zim = ZIM.create(config.appID);
zim.on('receivePeerMessage', (zim, { messageList }) => messageList.forEach((m) => events.push(m.message)));
module.exports.login = () => zim.login(config.userID, { userName: config.userName, token: config.token });
module.exports.send = (text, to) => zim.sendMessage({ type: 1, message: text }, to, 0, { priority: 1 });
module.exports.finish = () => { zim.logout(); zim.destroy(); };
`;
}

// A phone running the build output of `tool` for an app that uses tinyim.
function appPhone(t, tool, name, config) {
  const layout = TOOLS[tool];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-' + tool.toLowerCase() + '-'));
  const unpack = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-npm-'));
  t.after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(unpack, { recursive: true, force: true });
  });
  execFileSync('tar', ['xzf', TARBALL, '-C', unpack]);
  const pkgDir = path.join(unpack, 'package'); // = the app's node_modules/tinyim
  const entry = exported(pkgDir, './miniprogram');
  const write = (p, data) => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), data);
  };
  write(layout.vendor, vendorBundle(entry));
  write(layout.wasm, fs.readFileSync(path.join(path.dirname(entry), 'tinyim_bg.wasm.br')));
  write('/pages/index/index.js', pageSource(layout.vendor));
  write('/config.js', 'module.exports = ' + JSON.stringify(config) + ';\n');
  write('/app.json', JSON.stringify({ pages: ['pages/index/index'] }));
  assert.ok(!fs.existsSync(path.join(root, 'miniprogram_npm')));
  const phone = new Phone(root, name);
  t.after(() => phone.dispose());
  return { phone, page: phone.require('/pages/index/index.js'), layout };
}

phoneTest('a uni-app build and a Taro build: tinyim/miniprogram bundled, the .wasm.br where the tool copies it, wasm_path', async (t) => {
  const srv = await server(t);
  const alice = appPhone(t, 'uni-app', 'alice', cfg(srv, 'alice', { wasmPath: TOOLS['uni-app'].wasm }));
  const bob = appPhone(t, 'Taro', 'bob', cfg(srv, 'bob', { wasmPath: TOOLS.Taro.wasm }));
  await alice.page.login();
  await bob.page.login();
  assert.deepEqual(alice.phone.wasmLoads, ['/static/tinyim/tinyim_bg.wasm.br']);
  assert.deepEqual(bob.phone.wasmLoads, ['/tinyim/tinyim_bg.wasm.br']);
  await alice.page.send('from uni-app', 'bob');
  await bob.page.send('from Taro', 'alice');
  await waitFor(() => plain(bob.page.events).includes('from uni-app'), 'bob receives');
  await waitFor(() => plain(alice.page.events).includes('from Taro'), 'alice receives');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('without wasm_path, a uni-app or Taro build fails to load the wasm with 6000002 saying where it looked', async (t) => {
  const srv = await server(t);
  for (const tool of Object.keys(TOOLS)) {
    const app = appPhone(t, tool, tool, cfg(srv, 'alice'));
    await assert.rejects(app.page.login(), (e) => e.code === 6000002 && /\/miniprogram_npm\/tinyim\/tinyim_bg\.wasm\.br/.test(e.message));
    app.page.finish();
  }
});
