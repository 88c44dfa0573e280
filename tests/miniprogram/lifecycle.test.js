'use strict';
// The mini program lifecycle as phones run it (MINIPROGRAM.md, "Background"), in the strict
// stand-in on both profiles, against a live tinyim-server: wx.onAppHide, the suspension a few
// seconds later (timers stopped, sockets interrupted, network calls failing), wx.onAppShow;
// and wx.onNetworkStatusChange. Run `make package` first.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Phone, makeCodePackage, phoneTest } = require('./standin');
const { sleep, waitFor } = require('../js/server');
const { TARBALL } = require('../js/packed');
const { server, twoPhones } = require('./devices');

const CONNECTED = 2;
const RECONNECTING = 3;

const states = (d) => d.all('connectionStateChanged').map((e) => e[1]);

// Timers of 250 ms or more (a reconnect backoff is at least that) that the app armed at or
// after phone time `from` and that fired by `to`.
const longTimersFired = (phone, from, to) =>
  phone.timerLog.filter((x) => x.at >= from && x.ms >= 250 && x.fired.some((f) => f <= to));

test('the stand-in suspends as a phone does: timers stop, sockets are interrupted, calls fail until shown', async (t) => {
  const root = makeCodePackage(TARBALL);
  const phone = new Phone(root, 'bare', { suspendAfterMs: 100 });
  t.after(() => {
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const srv = await server(t);
  const seen = [];
  phone.context.seen = (x) => seen.push(x);
  phone.eval(`
    wx.onAppHide(() => seen('hide'));
    wx.onAppShow(() => seen('show'));
    var task = wx.connectSocket({ url: ${JSON.stringify(srv.url)} });
    task.onOpen(() => seen('open'));
    task.onError((e) => seen('error ' + e.errMsg));
    task.onClose((e) => seen('close ' + e.code));
  `);
  await waitFor(() => seen.includes('open'), 'open');
  phone.hide();
  assert.deepEqual(seen, ['open', 'hide']);
  phone.eval('setTimeout(() => seen("timer"), 50)');
  await waitFor(() => seen.includes('timer'), 'a timer while hidden, before the suspension');
  await waitFor(() => phone.suspended, 'suspended');
  phone.eval(`
    setTimeout(() => seen('timer after show'), 10);
    wx.connectSocket({ url: ${JSON.stringify(srv.url)}, fail: (e) => seen('connect ' + e.errMsg) });
    task.send({ data: 'x', fail: (e) => seen('send ' + e.errMsg) });
  `);
  await sleep(300);
  assert.deepEqual(seen, ['open', 'hide', 'timer'], 'nothing runs while suspended');
  assert.equal(phone.sockets.size, 0, 'the socket was interrupted');
  phone.show();
  await waitFor(() => seen.includes('timer after show'), 'the timer after show');
  assert.deepEqual(seen, [
    'open',
    'hide',
    'timer',
    'show',
    'error interrupted',
    'close 1006',
    'connect connectSocket:fail network api interrupted in suspend state',
    'send sendSocketMessage:fail network api interrupted in suspend state',
    'timer after show',
  ]);
});

for (const heldFirst of [false, true]) {
  const order = heldFirst ? "the interrupted socket's close, then wx.onAppShow" : "wx.onAppShow, then the interrupted socket's close";
  phoneTest(`suspended and shown (${order}): reconnects at once, nothing sent or received meanwhile is lost or doubled`, async (t) => {
    const srv = await server(t);
    const { alice, bob } = await twoPhones(t, srv);
    alice.phone.suspendAfterMs = 300;
    await bob.page.send('before', 'alice');
    await waitFor(() => alice.texts().includes('before'), 'before');

    alice.phone.hide();
    await bob.page.send('while hidden', 'alice'); // the JS thread still runs for a while
    await waitFor(() => alice.texts().includes('while hidden'), 'while hidden');
    await waitFor(() => alice.phone.suspended, 'alice suspended');
    await bob.page.send('while away 1', 'alice');
    await bob.page.send('while away 2', 'alice');
    // A callback that still ran in the suspended app sends: the socket call fails.
    const late = alice.page.send('from the background', 'bob');
    await sleep(300);
    assert.equal(alice.all('sent').length, 0);

    // Shown again a minute later (past the 30 s send timeout on the phone's clock).
    const shownAt = alice.phone.now() + 60000;
    alice.phone.show({ after: 60000, heldFirst });
    await waitFor(() => alice.texts().includes('while away 2'), 'the messages of the suspension', 20000);
    await late;
    assert.deepEqual(alice.all('sent').map((e) => e[1]), ['from the background'], JSON.stringify(alice.events()));
    assert.deepEqual(alice.all('sendFailed'), []);
    const reconnectAt = alice.phone.connectLog[alice.phone.connectLog.length - 1];
    assert.ok(reconnectAt >= shownAt);
    assert.deepEqual(longTimersFired(alice.phone, shownAt, reconnectAt), [], 'no backoff waited out before reconnecting');
    await waitFor(() => bob.texts().includes('from the background'), 'bob gets the late send');
    await sleep(500);
    assert.deepEqual(alice.texts(), ['before', 'while hidden', 'while away 1', 'while away 2']);
    assert.deepEqual(bob.texts(), ['from the background']);
    assert.deepEqual(states(alice).slice(-2), [RECONNECTING, CONNECTED]);
    assert.equal(alice.phone.sockets.size, 1);
    alice.page.finish();
    bob.page.finish();
  });
}

phoneTest('a socket that died silently in the background: the probe on show replaces it within seconds; the send made just before is stored once', async (t) => {
  const srv = await server(t);
  const { alice, bob } = await twoPhones(t, srv);
  alice.phone.hide();
  // The send reaches the server, then the app is suspended before the ack arrives, and its
  // socket goes dead without a word (the platform reports nothing, now or later).
  const sending = alice.page.send('just before', 'bob');
  alice.phone.suspend({ sockets: 'silent' });
  await waitFor(() => bob.texts().includes('just before'), 'bob gets it');
  await sleep(300);
  assert.equal(alice.all('sent').length, 0, 'the ack was lost');

  const shownAt = alice.phone.now() + 120000;
  alice.phone.show({ after: 120000 });
  // The heartbeat would take up to 30 s to notice; the probe on show takes 5 s.
  await waitFor(() => states(alice).includes(RECONNECTING), 'the dead socket noticed', 8000);
  await waitFor(() => states(alice).pop() === CONNECTED, 'connected again');
  await sending;
  assert.deepEqual(alice.all('sent').map((e) => e[1]), ['just before']);
  assert.ok(alice.phone.connectLog.pop() >= shownAt);
  await bob.page.send('after', 'alice');
  await waitFor(() => alice.texts().includes('after'), 'alice receives again');
  await sleep(300);
  assert.deepEqual(bob.texts(), ['just before'], 'stored and delivered once');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('network back (isConnected: true) with a silently dead socket: the probe replaces it', async (t) => {
  const srv = await server(t);
  const { alice, bob } = await twoPhones(t, srv);
  alice.phone.silenceSockets(); // e.g. a switch from Wi-Fi to 4G
  alice.phone.networkBack();
  await waitFor(() => states(alice).includes(RECONNECTING), 'the dead socket noticed', 8000);
  await waitFor(() => states(alice).pop() === CONNECTED, 'connected again');
  await bob.page.send('on the new network', 'alice');
  await waitFor(() => alice.texts().includes('on the new network'), 'alice receives');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('hidden and shown before the suspension: the connection stays, its probe is answered', async (t) => {
  const srv = await server(t);
  const { alice, bob } = await twoPhones(t, srv);
  const before = states(alice);
  alice.phone.hide();
  await sleep(200);
  alice.phone.show();
  await sleep(6000); // past the probe's 5 s
  assert.deepEqual(states(alice), before);
  assert.equal(alice.phone.suspended, false);
  await bob.page.send('still here', 'alice');
  await waitFor(() => alice.texts().includes('still here'), 'alice receives');
  assert.equal(alice.phone.sockets.size, 1);
  alice.page.finish();
  bob.page.finish();
});
