'use strict';
// What the area tests share: phones running pages/app.js in the strict stand-in against a
// live tinyim-server. Run `make package` first.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Phone, makeCodePackage } = require('./standin');
const { startServer, waitFor } = require('../js/server');
const { TARBALL } = require('../js/packed');

// Cross-realm values (objects made in a phone) compared as plain JSON.
const plain = (x) => JSON.parse(JSON.stringify(x));

async function server(t, opts) {
  const s = await startServer(opts);
  t.after(() => s.close());
  return s;
}

// A phone running pages/app.js as `userID`, recording `events` in `style` ('1.x' / '2.x').
// Resolves once it is logged in. `storage` (a Map) is what the phone's wx storage holds at
// start (another phone's, for "the same phone after a restart").
async function app(t, srv, userID, style, events, storage) {
  const root = makeCodePackage(TARBALL);
  const phone = new Phone(root, userID);
  if (storage) for (const [k, v] of storage) phone.storage.set(k, v);
  const config = {
    server: srv.url,
    appID: srv.appID,
    userID,
    userName: userID.toUpperCase(),
    token: srv.token(userID),
    style,
    events: events || [],
  };
  phone.writeFile('/config.js', 'module.exports = ' + JSON.stringify(config) + ';\n');
  phone.writeFile('/pages/app.js', fs.readFileSync(path.join(__dirname, 'pages', 'app.js'), 'utf8'));
  const page = phone.require('/pages/app.js');
  t.after(() => {
    page.finish();
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const d = {
    phone,
    zim: page.zim,
    ZIM: page.ZIM,
    events: () => plain(page.events),
    // The recorded events named `name`, each as its arguments after `zim`.
    all: (name) => plain(page.events).filter((e) => e[0] === name).map((e) => e.slice(1)),
    // Waits for an event named `name` whose arguments pass `pred`; returns its arguments.
    wait: (name, pred, what) =>
      waitFor(
        () => plain(page.events).find((e) => e[0] === name && (!pred || pred(...e.slice(1))))?.slice(1),
        what || userID + ' gets ' + name,
      ),
  };
  const login = await waitFor(() => plain(page.events).find((e) => e[0] === 'login' || e[0] === 'loginFailed'), userID + ' login');
  assert.deepEqual(login, ['login']);
  return d;
}

// Asserts that `promise` rejects with ZIM error `code` (and a message).
async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.code, code, JSON.stringify(e));
    assert.equal(typeof e.message, 'string');
    return true;
  });
}

module.exports = { app, server, plain, rejectsWith, waitFor };
