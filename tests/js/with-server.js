#!/usr/bin/env node
'use strict';
// Runs a command with a live tinyim-server on loopback, for tests that cannot start one
// themselves (the wasm-bindgen tests in headless Chromium):
//
//   node tests/js/with-server.js -- <command> [args...]
//
// The command gets TINYIM_TEST_WS_URL, TINYIM_TEST_APP_ID and TINYIM_TEST_TOKEN_ALICE /
// TINYIM_TEST_TOKEN_BOB in its environment (tests/wasm.rs reads them with option_env!).
// The server is stopped and its data dir removed when the command ends; the exit code is the
// command's.

const { spawn } = require('node:child_process');
const { startServer } = require('./server');

async function main() {
  const sep = process.argv.indexOf('--');
  const cmd = sep >= 0 ? process.argv.slice(sep + 1) : [];
  if (!cmd.length) {
    console.error('usage: node tests/js/with-server.js -- <command> [args...]');
    process.exit(2);
  }
  const srv = await startServer();
  const env = Object.assign({}, process.env, {
    TINYIM_TEST_WS_URL: srv.url,
    TINYIM_TEST_APP_ID: String(srv.appID),
    TINYIM_TEST_TOKEN_ALICE: srv.token('alice'),
    TINYIM_TEST_TOKEN_BOB: srv.token('bob'),
  });
  console.log('with-server: tinyim-server at ' + srv.url);
  const child = spawn(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
  const code = await new Promise((resolve) => {
    child.on('exit', (c, sig) => resolve(c === null ? 1 : c));
    child.on('error', (e) => {
      console.error('with-server: ' + e.message);
      resolve(1);
    });
  });
  await srv.close();
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
