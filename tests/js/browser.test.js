'use strict';
// The package's ES module build in headless Chromium (Debian's chromium, driven by
// playwright-core): a page imports { ZIM } from 'tinyim' through an import map pointing at
// the package's `module` entry, exactly as a browser app without a bundler would. Two pages
// (two browser contexts: alice and bob) exchange messages through a live tinyim-server.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('./server');

const { PKG_DIR: PKG } = require('./packed');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json' };

function page() {
  const pkg = JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8'));
  return `<!doctype html><meta charset="utf-8"><title>tinyim</title>
<script type="importmap">{ "imports": { "tinyim": "/node_modules/tinyim/${pkg.module}" } }</script>
<script type="module">
  import { ZIM, ZIMConnectionState } from 'tinyim';
  window.events = [];
  window.start = async (server, appID, userID, token) => {
    ZIM.setAdvancedConfig('server', server);
    const zim = ZIM.create(appID);
    window.zim = zim;
    zim.on('connectionStateChanged', (zim, { state }) => events.push(['state', state]));
    zim.on('receivePeerMessage', (zim, { messageList, fromConversationID }) => {
      for (const m of messageList) events.push(['message', fromConversationID, m.message]);
    });
    await zim.login(userID, { userName: userID, token });
    return ZIM.getVersion();
  };
  window.send = async (text, to) => {
    const { message } = await window.zim.sendPeerMessage({ type: 1, priority: 1, message: text }, to);
    return [message.conversationID, typeof message.messageID, message.message];
  };
  window.ready = true;
</script>`;
}

function serve() {
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(page());
    }
    const prefix = '/node_modules/tinyim/';
    const file = url.pathname.startsWith(prefix) && path.join(PKG, path.normalize(url.pathname.slice(prefix.length)));
    if (!file || !file.startsWith(PKG) || !fs.existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

test('browser: the ESM build logs in and exchanges peer messages in Chromium', async (t) => {
  const im = await startServer();
  t.after(() => im.close());
  const web = await serve();
  t.after(() => web.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  t.after(() => browser.close());
  const origin = `http://127.0.0.1:${web.address().port}/`;

  const open = async (user) => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(origin);
    await p.waitForFunction(() => window.ready === true);
    const version = await p.evaluate(([s, a, u, tk]) => window.start(s, a, u, tk), [im.url, im.appID, user, im.token(user)]);
    assert.match(version, /^\d+\.\d+\.\d+/);
    return { p, errors };
  };
  const alice = await open('alice');
  const bob = await open('bob');

  assert.deepEqual(await alice.p.evaluate(() => window.send('hello from Chromium ✓', 'bob')), ['bob', 'string', 'hello from Chromium ✓']);
  await bob.p.waitForFunction(() => window.events.some((e) => e[0] === 'message'), null, { timeout: 15000 });
  await bob.p.evaluate(() => window.send('hi alice', 'alice'));
  await alice.p.waitForFunction(() => window.events.some((e) => e[0] === 'message'), null, { timeout: 15000 });

  const bobEvents = await bob.p.evaluate(() => window.events);
  assert.deepEqual(bobEvents.filter((e) => e[0] === 'message'), [['message', 'alice', 'hello from Chromium ✓']]);
  assert.deepEqual(bobEvents.filter((e) => e[0] === 'state').pop(), ['state', 2]);
  const aliceEvents = await alice.p.evaluate(() => window.events);
  assert.deepEqual(aliceEvents.filter((e) => e[0] === 'message'), [['message', 'bob', 'hi alice']]);
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
  await alice.p.evaluate(() => {
    window.zim.logout();
    window.zim.destroy();
  });
});
