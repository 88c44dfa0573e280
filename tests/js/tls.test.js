'use strict';
// The packed SDK in Node logs in over wss:// to a tinyim-server that serves TLS itself
// (`--tls-cert`, `--tls-key`), with a test CA the Node processes trust through
// NODE_EXTRA_CA_CERTS: alice through the `ws` package, bob through Node's global WebSocket
// (--experimental-websocket on Node 20).
// The CA and certificate come from the server's `test-cert` example (rcgen);
// TINYIM_TEST_CERT_BIN names it (`make test-js` builds it).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { execFileSync, spawn } = require('node:child_process');
const { startServer } = require('./server');
const { installProject } = require('./packed');

const CERT_BIN =
  process.env.TINYIM_TEST_CERT_BIN || path.join(__dirname, '..', '..', 'target', 'debug', 'examples', 'test-cert');

// One user in its own Node process: logs in, then either sends `text` to `to` or waits for
// one message; prints what happens, one line per step.
const USER = `
const { ZIM } = require('tinyim');
const [url, appID, user, token, to, text] = process.argv.slice(1);
let transport = typeof WebSocket === 'function' ? 'global' : 'none';
try { require.resolve('ws'); transport = 'ws'; } catch (e) {}
console.log('transport: ' + transport);
ZIM.setAdvancedConfig('server', url);
const zim = ZIM.create({ appID: Number(appID) });
zim.on('receivePeerMessage', (zim, { messageList }) => {
  for (const m of messageList) console.log('got ' + m.message);
  zim.logout(); zim.destroy(); setTimeout(() => process.exit(0), 100);
});
zim.login({ userID: user, userName: user }, token).then(async () => {
  console.log('logged in');
  if (to) {
    await zim.sendMessage({ type: 1, message: text }, to, 0, { priority: 1 });
    console.log('sent');
    zim.logout(); zim.destroy(); setTimeout(() => process.exit(0), 100);
  }
}, (e) => { console.log('login failed ' + e.code + ' ' + e.message); process.exit(1); });
`;

// Node 20 has a global WebSocket only with this flag (22 and later always).
const GLOBAL_WS = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-websocket'] : [];

function run(t, dir, args, env, flags) {
  const p = spawn(process.execPath, [...(flags || []), '-e', USER, ...args], {
    cwd: dir,
    env: Object.assign({}, process.env, env),
  });
  t.after(() => p.kill());
  const lines = [];
  const waiters = [];
  readline.createInterface({ input: p.stdout }).on('line', (l) => {
    lines.push(l);
    waiters.forEach((w) => w());
  });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  // Waits for a line equal to `want` (or starting with it, with `prefix`).
  const line = (want, prefix) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('never said ' + want + ': ' + lines.join('|') + stderr)), 20000);
      const check = () => {
        const l = lines.find((x) => (prefix ? x.startsWith(want) : x === want));
        if (l !== undefined) {
          clearTimeout(timer);
          resolve(l);
        }
      };
      waiters.push(check);
      check();
    });
  const exited = new Promise((r) => p.on('exit', r));
  return { lines, line, exited };
}

test('Node: the packed SDK logs in over wss:// with a trusted test CA', async (t) => {
  const pki = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-pki-'));
  t.after(() => fs.rmSync(pki, { recursive: true, force: true }));
  execFileSync(CERT_BIN, [pki]);
  const tls = { cert: path.join(pki, 'cert.pem'), key: path.join(pki, 'key.pem'), ca: path.join(pki, 'ca.pem') };
  const srv = await startServer({ tls });
  t.after(() => srv.close());
  assert.match(srv.url, /^wss:\/\//);
  const trust = { NODE_EXTRA_CA_CERTS: tls.ca };

  const bobDir = installProject(t, false);
  const aliceDir = installProject(t, true);
  const bob = run(t, bobDir, [srv.url, String(srv.appID), 'bob', srv.token('bob')], trust, GLOBAL_WS);
  await bob.line('logged in');
  const alice = run(t, aliceDir, [srv.url, String(srv.appID), 'alice', srv.token('alice'), 'bob', 'hello over wss'], trust);
  await alice.line('sent');
  await bob.line('got hello over wss');
  assert.equal(await alice.exited, 0);
  assert.equal(await bob.exited, 0);
  assert.ok(alice.lines.includes('transport: ws'), alice.lines.join('|'));
  assert.ok(bob.lines.includes('transport: global'), bob.lines.join('|'));

  // Without the CA the same login fails (after the SDK's login timeout): the certificate
  // really is checked.
  const eve = run(t, bobDir, [srv.url, String(srv.appID), 'eve', srv.token('eve')], { NODE_EXTRA_CA_CERTS: '' }, GLOBAL_WS);
  await eve.line('login failed', true);
  assert.ok(!eve.lines.includes('logged in'), eve.lines.join('|'));
});
