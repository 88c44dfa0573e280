'use strict';
// Starts a real tinyim-server for a test: ephemeral loopback port, temp data dir, one app.
// The binary comes from `cargo build -p tinyim-server` (TINYIM_SERVER_BIN overrides).
// With `tls: { cert, key, ca }` it serves wss:// and https:// (`--tls-cert`, `--tls-key`),
// and is checked through https trusting `ca`.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.TINYIM_SERVER_BIN || path.join(__dirname, '..', '..', 'target', 'debug', 'tinyim-server');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` until it returns something truthy (returned), or fails naming `what`.
async function waitFor(fn, what, ms = 15000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting for ' + what);
    await sleep(20);
  }
}

// The status of GET /healthz over https, trusting `ca` (fetch cannot take a CA of its own).
function httpsStatus(port, ca) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/healthz', ca }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
  });
}

async function waitHealthy(port, proc, log, ca, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (proc.exitCode !== null) throw new Error('tinyim-server exited early:\n' + log.join(''));
    try {
      const status = ca ? await httpsStatus(port, ca) : (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      if (status === 200) return;
    } catch (e) {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error('tinyim-server not healthy after ' + ms + ' ms:\n' + log.join(''));
}

async function startServer(opts = {}) {
  const appID = opts.appID || 1234567;
  const secret = opts.secret || '0123456789abcdef0123456789abcdef';
  const port = opts.port || (await freePort());
  const dataDir = opts.dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-test-'));
  const log = [];
  let proc = null;

  async function spawnServer() {
    // `dev: true` runs without --app: dev mode, with its /dev/token endpoint.
    const app = opts.dev ? [] : ['--app', `${appID}:${secret}`];
    const extra = opts.args || []; // e.g. ['--static-dir', dir]
    const tls = opts.tls ? ['--tls-cert', opts.tls.cert, '--tls-key', opts.tls.key] : [];
    proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir, ...app, ...tls, ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: Object.assign({}, process.env, opts.env || {}),
    });
    proc.stdout.on('data', (d) => log.push(String(d)));
    proc.stderr.on('data', (d) => log.push(String(d)));
    await waitHealthy(port, proc, log, opts.tls && fs.readFileSync(opts.tls.ca));
  }

  async function stop() {
    if (!proc || proc.exitCode !== null || proc.signalCode) return;
    const p = proc;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  await spawnServer();
  return {
    appID,
    secret,
    port,
    dataDir,
    url: `${opts.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/ws`,
    log,
    // A Token04 token from `tinyim-server token` (ttl in seconds, default one day).
    token(user, ttl) {
      const args = ['token', '--app-id', String(appID), '--secret', secret, '--user', user];
      if (ttl !== undefined) args.push('--ttl', String(ttl));
      return execFileSync(BIN, args).toString().trim().split('\n').pop().trim();
    },
    stop,
    async restart() {
      await stop();
      await spawnServer();
    },
    async close() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

module.exports = { startServer, freePort, sleep, waitFor, BIN };
