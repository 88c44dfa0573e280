'use strict';
// The packed tarball used from Node as an app would: `npm install` into a fresh project, then
// `require('tinyim')` (CommonJS, this process) and `import { ZIM } from 'tinyim'` (ESM, a
// child process), exchanging messages through a live tinyim-server. Node 20 has no global
// WebSocket: alice's project also installs `ws` (tinyim's optional peer dependency) and uses
// it; bob's project has only the tarball and uses tinyim's own small client.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { createRequire } = require('node:module');
const { startServer } = require('./server');

const { installProject: project } = require('./packed');

// Bob, in an ES module child process: answers each message with "pong: <text>".
const BOB = `
import { ZIM, ZIMConnectionState } from 'tinyim';
const [url, appID, token] = process.argv.slice(1);
ZIM.setAdvancedConfig('server', url);
const zim = ZIM.create(Number(appID));
const { createRequire } = await import('node:module');
try { createRequire(import.meta.url).resolve('ws'); console.log('transport: ws'); } catch (e) { console.log('transport: node-websocket'); }
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

  const bob = spawn(process.execPath, ['--input-type=module', '-e', BOB, srv.url, String(srv.appID), srv.token('bob')], { cwd: bobDir });
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
  assert.ok(lines.includes('transport: node-websocket'), lines.join('|'));

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
