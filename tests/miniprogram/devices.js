'use strict';
// Phones for the stand-in tests: a simulated phone running a page of pages/ against a live
// tinyim-server, and the few helpers every such test uses. The phone's profile is the one
// phoneTest (standin.js) runs the test on.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Phone, makeCodePackage } = require('./standin');
const { startServer, waitFor } = require('../js/server');
const { TARBALL } = require('../js/packed');

// Cross-realm values (arrays made in a phone) compared as plain JSON.
const plain = (x) => JSON.parse(JSON.stringify(x));


// A phone running `page` (a file of pages/) with `config` as /config.js.
function device(t, name, page, config) {
  const root = makeCodePackage(TARBALL);
  const phone = new Phone(root, name);
  phone.writeFile('/config.js', 'module.exports = ' + JSON.stringify(config) + ';\n');
  phone.writeFile('/pages/' + page, fs.readFileSync(path.join(__dirname, 'pages', page), 'utf8'));
  const exports = phone.require('/pages/' + page);
  t.after(() => {
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const d = {
    phone,
    page: exports,
    zim: exports.zim,
    events: () => plain(exports.events),
    has: (pred) => plain(exports.events).find(pred),
    all: (name) => plain(exports.events).filter((e) => e[0] === name),
    // Every peer message text received, in order, from receivePeerMessage.
    texts: () =>
      plain(exports.events)
        .filter((e) => e[0] === 'receivePeerMessage')
        .reduce((a, e) => a.concat(e[1]), []),
  };
  return d;
}

async function server(t) {
  const s = await startServer();
  t.after(() => s.close());
  return s;
}

function cfg(srv, userID, extra) {
  return Object.assign(
    { server: srv.url, appID: srv.appID, userID, userName: userID.toUpperCase(), token: srv.token(userID), newToken: srv.token(userID) },
    extra || {},
  );
}

const loggedIn = (d) => waitFor(() => d.has((e) => e[0] === 'login' || e[0] === 'loginFailed'), d.phone.name + ' login').then((e) => assert.deepEqual(e, ['login']));

// Alice and Bob on two phones running the 1.x seed page, both logged in.
async function twoPhones(t, srv) {
  const alice = device(t, 'alice', 'seed-1x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-1x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  return { alice, bob };
}

module.exports = { plain, device, server, cfg, loggedIn, twoPhones };
