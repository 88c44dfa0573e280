'use strict';
// The packed tarball used from Node as an app would: `npm install` into a fresh project, then
// `require('tinyim')` (CommonJS, this process) and `import { ZIM } from 'tinyim'` (ESM, a
// child process), exchanging messages through a live tinyim-server. tinyim uses the global
// WebSocket (Node >= 22) or the `ws` package (its optional peer dependency): alice's project
// installs `ws` and uses it (Node 20 has no global WebSocket); bob's project has only the
// tarball and uses Node's global WebSocket (switched on with --experimental-websocket on
// Node 20). A project with neither gets a clear error naming both.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { execFileSync, spawn } = require('node:child_process');
const { createRequire } = require('node:module');
const { startServer } = require('./server');

const { installProject: project } = require('./packed');

// Bob, in an ES module child process: answers each message with "pong: <text>".
const BOB = `
import { ZIM, ZIMConnectionState } from 'tinyim';
const [url, appID, token] = process.argv.slice(1);
ZIM.setAdvancedConfig('server', url);
const zim = ZIM.create(Number(appID));
console.log('transport: ' + (typeof WebSocket === 'function' ? 'global WebSocket' : 'ws'));
zim.on('receivePeerMessage', (zim, { messageList, fromConversationID }) => {
  for (const m of messageList) {
    console.log('got ' + m.message);
    zim.sendPeerMessage({ type: 1, priority: 1, message: 'pong: ' + m.message }, fromConversationID).then(() => {
      if (m.message === 'bye') { zim.logout(); zim.destroy(); setTimeout(() => process.exit(0), 100); }
    });
  }
});
zim.on('connectionStateChanged', (zim, { state }) => {
  if (state === ZIMConnectionState.Connected) console.log('ready');
});
zim.login('bob', { userName: 'Bob', token }).catch((e) => { console.log('login failed ' + e.code); process.exit(1); });
`;

test('Node: the installed tarball works from require (CJS) and import (ESM)', async (t) => {
  const srv = await startServer();
  t.after(() => srv.close());
  const dir = project(t, true);
  const bobDir = project(t, false);
  assert.ok(!fs.existsSync(path.join(bobDir, 'node_modules', 'ws')), 'no ws for bob');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'tinyim', 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'tinyim');
  assert.ok(pkg.main && pkg.module && pkg.types && pkg.exports && pkg.miniprogram);
  assert.ok(fs.existsSync(path.join(dir, 'node_modules', 'tinyim', pkg.miniprogram, 'index.js')));
  assert.ok(fs.readdirSync(path.join(dir, 'node_modules', 'tinyim', pkg.miniprogram)).some((f) => f.endsWith('.wasm.br')));

  const flags = typeof WebSocket === 'function' ? [] : ['--experimental-websocket']; // Node < 22
  const bob = spawn(process.execPath, flags.concat(['--input-type=module', '-e', BOB, srv.url, String(srv.appID), srv.token('bob')]), { cwd: bobDir });
  t.after(() => bob.kill());
  const lines = [];
  const waiters = [];
  readline.createInterface({ input: bob.stdout }).on('line', (l) => {
    lines.push(l);
    waiters.forEach((w) => w());
  });
  let stderr = '';
  bob.stderr.on('data', (d) => (stderr += d));
  const line = (want) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('bob never said ' + want + ': ' + lines.join('|') + stderr)), 15000);
      const check = () => lines.includes(want) && (clearTimeout(timer), resolve());
      waiters.push(check);
      check();
    });
  await line('ready');
  assert.ok(lines.includes('transport: global WebSocket'), lines.join('|'));

  const appRequire = createRequire(path.join(dir, 'index.js'));
  const { ZIM, ZIMMessageType, ZIMConversationType } = appRequire('tinyim');
  assert.equal(ZIMMessageType.Text, 1);
  ZIM.setAdvancedConfig('server', srv.url);
  const zim = ZIM.create({ appID: srv.appID });
  const received = [];
  zim.on('receivePeerMessage', (zim, messageList, fromUserID) => {
    for (const m of messageList) received.push([fromUserID, m.message, m.direction]);
  });
  await zim.login({ userID: 'alice', userName: 'Alice' }, srv.token('alice'));
  const { message } = await zim.sendMessage({ type: 1, message: 'ping' }, 'bob', ZIMConversationType.Peer, { priority: 1 });
  assert.equal(message.conversationID, 'bob');
  assert.equal(message.senderUserID, 'alice');
  assert.equal(typeof message.messageID, 'string');
  await line('got ping');
  const until = Date.now() + 10000;
  while (received.length < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await zim.sendPeerMessage({ type: 1, priority: 1, message: 'bye' }, 'bob');
  await line('got bye');
  while (received.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(received, [
    ['bob', 'pong: ping', 1],
    ['bob', 'pong: bye', 1],
  ]);
  const history = await zim.queryHistoryMessage('bob', 0, { count: 10, reverse: false });
  assert.deepEqual(
    history.messageList.map((m) => m.message),
    ['ping', 'pong: ping', 'bye', 'pong: bye'],
  );
  zim.logout();
  zim.destroy();
  const code = await new Promise((r) => (bob.exitCode !== null ? r(bob.exitCode) : bob.on('exit', r)));
  assert.equal(code, 0, stderr);
});

// A Node app whose project has no `ws` on a Node without a global WebSocket (deleted here, as
// on Node 18/20): the calls fail at once with a ZIM error that says what to install.
const NEITHER = `
delete globalThis.WebSocket;
const { ZIM } = require('tinyim');
ZIM.setAdvancedConfig('server', process.argv[1]);
const zim = ZIM.create(1);
zim.on('error', (zim, e) => console.log('error event ' + JSON.stringify(e)));
zim.login('alice', { userName: 'Alice', token: 'x' }).then(
  () => console.log('logged in?'),
  (e) => console.log('rejected ' + JSON.stringify(e)),
);
`;

test('Node with neither a global WebSocket nor ws: { code, message } naming both', (t) => {
  const dir = project(t, false);
  const out = execFileSync(process.execPath, ['-e', NEITHER, 'ws://127.0.0.1:9/ws'], { cwd: dir, encoding: 'utf8' });
  const rejected = /^rejected (.*)$/m.exec(out);
  assert.ok(rejected, out);
  const e = JSON.parse(rejected[1]);
  assert.equal(e.code, 6000101);
  assert.match(e.message, /global WebSocket/);
  assert.match(e.message, /npm install ws/);
  assert.match(out, /^error event \{"code":6000101,/m);
});
