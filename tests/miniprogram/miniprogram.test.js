'use strict';
// The packed npm package in the strict mini program stand-in (standin.js), against a live
// tinyim-server on loopback. Each simulated phone is a fresh vm context holding a fake code
// package whose miniprogram_npm/tinyim/ is the tarball's miniprogram folder; the page scripts
// (pages/*.js) are written as ZIM users write them. Run `make package` first.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Phone, makeCodePackage, phoneTest, ABSENT } = require('./standin');
const { sleep, waitFor } = require('../js/server');

const { TARBALL } = require('../js/packed');
const { plain, device, server, cfg, loggedIn, twoPhones } = require('./devices');
const { SIGN_EXT, GLOBAL } = require('../js/wasm-samples');

phoneTest('the stand-in has only the mini program globals, and tinyim loads the .wasm.br by path', async (t) => {
  const srv = await server(t);
  const a = device(t, 'alice', 'seed-1x.js', cfg(srv, 'alice'));
  for (const g of ABSENT) assert.equal(a.phone.eval(`typeof ${g}`), 'undefined', g + ' must be absent');
  for (const g of ['wx', 'WXWebAssembly', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console']) {
    assert.notEqual(a.phone.eval(`typeof ${g}`), 'undefined', g + ' must exist');
  }
  assert.throws(() => a.phone.eval('eval("1 + 1")'), /Code generation from strings disallowed/);
  assert.throws(() => a.phone.eval('new Function("return 1")'), /Code generation from strings disallowed/);
  await assert.rejects(a.phone.eval('WXWebAssembly.instantiate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]), {})'));
  await loggedIn(a);
  assert.deepEqual(a.phone.wasmLoads, ['/miniprogram_npm/tinyim/tinyim_bg.wasm.br']);
  a.page.finish();
});

test('WXWebAssembly on iOS refuses what an iPhone refuses (post-MVP features, exported globals); Android compiles both', async (t) => {
  const root = makeCodePackage(TARBALL);
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'sign-ext.wasm'), SIGN_EXT);
  fs.writeFileSync(path.join(root, 'global.wasm'), GLOBAL);
  const android = new Phone(root, 'android', { profile: 'android' });
  const ios = new Phone(root, 'ios', { profile: 'ios' });
  t.after(() => android.dispose());
  t.after(() => ios.dispose());
  assert.equal(android.eval('wx.getSystemInfoSync().platform'), 'android');
  assert.equal(ios.eval('wx.getSystemInfoSync().platform'), 'ios');
  for (const f of ['/sign-ext.wasm', '/global.wasm']) {
    const { instance } = await android.eval(`WXWebAssembly.instantiate(${JSON.stringify(f)}, {})`);
    assert.ok(instance.exports.f || instance.exports.g, f);
  }
  await assert.rejects(ios.eval('WXWebAssembly.instantiate("/sign-ext.wasm", {})'), /WXWebAssembly \(iOS\): CompileError: invalid wasm file \(.*unexpected opcode/);
  await assert.rejects(ios.eval('WXWebAssembly.instantiate("/global.wasm", {})'), /WXWebAssembly \(iOS\): exported Globals are not supported: g/);
  // (The package's own wasm passes: every phoneTest runs it on the iOS profile too.)
});

for (const style of ['1.x', '2.x']) {
  phoneTest(`the seed flow in the ${style} style: create, every handler, login, A→B, receive, logout, destroy`, async (t) => {
    const srv = await server(t);
    const page = style === '1.x' ? 'seed-1x.js' : 'seed-2x.js';
    const bob = device(t, 'bob', page, cfg(srv, 'bob'));
    const alice = device(t, 'alice', page, cfg(srv, 'alice'));
    await loggedIn(bob);
    await loggedIn(alice);

    // connectionStateChanged: Connecting (1) then Connected (2) with Success (0).
    const states = alice.all('connectionStateChanged');
    assert.deepEqual(states[0].slice(0, 2), ['connectionStateChanged', 1]);
    // extendedData is a string (ZIM 2.29: "a standard JSON string", '' when there is none).
    assert.deepEqual(states[states.length - 1], ['connectionStateChanged', 2, 0, 'string']);

    await alice.page.send('hello 你好 😀', 'bob');
    assert.ok(alice.has((e) => e[0] === 'sent'), JSON.stringify(alice.events()));
    assert.deepEqual(alice.has((e) => e[0] === 'sent'), ['sent', 'hello 你好 😀', 'bob', 'string']);
    const got = await waitFor(() => bob.has((e) => e[0] === 'receivePeerMessage'), 'bob receives');
    if (style === '1.x') {
      assert.deepEqual(got, ['receivePeerMessage', ['hello 你好 😀'], 'alice', [['alice', 1, 1, 'string']]]);
    } else {
      assert.deepEqual(got, ['receivePeerMessage', ['hello 你好 😀'], 'alice']);
      assert.deepEqual(
        await waitFor(() => bob.has((e) => e[0] === 'peerMessageReceived'), 'peerMessageReceived'),
        ['peerMessageReceived', ['hello 你好 😀'], 'alice', false],
      );
      assert.ok(alice.has((e) => e[0] === 'attached' && e[1] === 'hello 你好 😀'));
    }

    // The chat tier answers (the conversation alice's message made); a method tinyim does
    // not have yet rejects as unsupported instead of throwing.
    const list = plain(await alice.zim.queryConversationList({ count: 10 }));
    assert.deepEqual(list.conversationList.map((c) => [c.conversationID, c.lastMessage.message]), [['bob', 'hello 你好 😀']]);
    await assert.rejects(alice.zim.addMessageReaction('👍', list.conversationList[0].lastMessage), (e) => e.code === 6000013);
    alice.zim.setLogConfig({ logLevel: 'warn' });

    // ZIM's singleton rules.
    const ZIM = alice.page.ZIM;
    assert.equal(ZIM.create(srv.appID), null, 'a second create without destroy returns null');
    assert.equal(ZIM.getInstance(), alice.zim);
    assert.match(ZIM.getVersion(), /^\d+\.\d+\.\d+/);

    alice.page.finish();
    assert.equal(ZIM.getInstance(), null);
    await assert.rejects(alice.zim.sendPeerMessage({ type: 1, message: 'x' }, 'bob'), (e) => e.code === 6000002);
    bob.page.finish();
    assert.deepEqual(alice.all('error'), []);
    assert.deepEqual(bob.all('error'), []);
  });
}

phoneTest('rooms: create, join, member events, room messages, member list, count, errors, leave, enter', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-1x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  const a = alice.zim;
  const b = bob.zim;

  assert.deepEqual(plain(await a.createRoom({ roomID: 'room1', roomName: 'Room One' })), {
    roomInfo: { baseInfo: { roomID: 'room1', roomName: 'Room One' } },
  });
  assert.deepEqual(plain(await b.joinRoom('room1')), { roomInfo: { baseInfo: { roomID: 'room1', roomName: 'Room One' } } });
  await waitFor(() => alice.has((e) => e[0] === 'roomMemberJoined' && e[1].includes('bob') && e[2] === 'room1'), 'alice sees bob join');
  await waitFor(() => alice.has((e) => e[0] === 'roomStateChanged' && e[1] === 2 && e[3] === 'room1'), 'alice room connected');
  await waitFor(() => bob.has((e) => e[0] === 'roomStateChanged' && e[1] === 2 && e[3] === 'room1'), 'bob room connected');

  const sent = plain(await a.sendRoomMessage({ priority: 1, type: 1, message: 'hi room' }, 'room1'));
  assert.equal(sent.message.conversationType, 1);
  assert.equal(sent.message.conversationID, 'room1');
  assert.deepEqual(
    await waitFor(() => bob.has((e) => e[0] === 'receiveRoomMessage'), 'bob gets the room message'),
    ['receiveRoomMessage', ['hi room'], 'room1'],
  );

  const members = plain(await a.queryRoomMemberList('room1', { nextFlag: '', count: 10 }));
  assert.equal(members.roomID, 'room1');
  assert.deepEqual(members.memberList.map((m) => m.userID).sort(), ['alice', 'bob']);
  assert.equal(members.memberList.find((m) => m.userID === 'bob').userName, 'BOB');
  assert.deepEqual(plain(await a.queryRoomOnlineMemberCount('room1')), { roomID: 'room1', count: 2 });

  await assert.rejects(a.joinRoom('no-such-room'), (e) => e.code === 6000322 && typeof e.message === 'string');
  await assert.rejects(b.createRoom({ roomID: 'room1', roomName: 'again' }), (e) => e.code === 6000323);

  assert.deepEqual(plain(await b.leaveRoom('room1')), { roomID: 'room1' });
  await waitFor(() => alice.has((e) => e[0] === 'roomMemberLeft' && e[1].includes('bob') && e[2] === 'room1'), 'alice sees bob leave');
  await assert.rejects(b.sendRoomMessage({ type: 1, message: 'not a member' }, 'room1'), (e) => e.code === 6000321);

  assert.deepEqual(plain(await b.enterRoom({ roomID: 'room2', roomName: 'Two' })), { roomInfo: { baseInfo: { roomID: 'room2', roomName: 'Two' } } });
  assert.deepEqual(plain(await a.enterRoom({ roomID: 'room2', roomName: 'Two' })), { roomInfo: { baseInfo: { roomID: 'room2', roomName: 'Two' } } });
  await waitFor(() => bob.has((e) => e[0] === 'roomMemberJoined' && e[1].includes('alice') && e[2] === 'room2'), 'bob sees alice enter');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('offline delivery: messages sent to a user who is not logged in arrive at login, in order, once', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  await loggedIn(alice);
  for (const text of ['m1', 'm2', 'm3']) await alice.page.send(text, 'carol');
  assert.equal(alice.all('sent').length, 3, JSON.stringify(alice.events()));

  const carol = device(t, 'carol', 'seed-2x.js', cfg(srv, 'carol'));
  await loggedIn(carol);
  await waitFor(() => carol.texts().length >= 3, 'carol gets 3 messages');
  assert.deepEqual(carol.texts(), ['m1', 'm2', 'm3']);
  for (const e of carol.all('peerMessageReceived')) assert.equal(e[3], true, 'isOfflineMessage');

  const history = plain(await carol.zim.queryHistoryMessage('alice', 0, { count: 10, reverse: false }));
  assert.equal(history.conversationID, 'alice');
  assert.equal(history.conversationType, 0);
  assert.deepEqual(history.messageList.map((m) => m.message), ['m1', 'm2', 'm3']);
  assert.deepEqual(history.messageList.map((m) => m.direction), [1, 1, 1]);
  // Paging from an anchor (nextMessage = m2) by one, in each direction. ZIM's `reverse: true`
  // pages back in time (older than the anchor), `reverse: false` forward.
  const page = async (reverse) =>
    plain(await carol.zim.queryHistoryMessage('alice', 0, { nextMessage: history.messageList[1], count: 1, reverse }))
      .messageList.map((m) => m.message);
  assert.deepEqual(await page(true), ['m1']);
  assert.deepEqual(await page(false), ['m3']);

  await sleep(300);
  assert.deepEqual(carol.texts(), ['m1', 'm2', 'm3'], 'nothing delivered twice');
  alice.page.finish();
  carol.page.finish();
});

phoneTest('limits: size, SDK rate limit, bad user ID and bad token reject with ZIM codes', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  await loggedIn(alice);
  const a = alice.zim;

  await assert.rejects(a.sendPeerMessage({ type: 1, message: 'x'.repeat(32 * 1024 + 1) }, 'bob'), (e) => e.code === 6000001);
  // Multi-byte text counts in bytes: 11,000 three-byte characters is 33,000 bytes.
  await assert.rejects(a.sendPeerMessage({ type: 1, message: '你'.repeat(11000) }, 'bob'), (e) => e.code === 6000001);
  await assert.rejects(a.sendPeerMessage({ type: 2, message: new Uint8Array(5 * 1024 + 1) }, 'bob'), (e) => e.code === 6000001);
  await assert.rejects(a.sendPeerMessage({ type: 1, message: 'to nobody' }, 'bad user id'), (e) => e.code === 6000001);

  await sleep(1100); // a fresh rate window
  const results = await Promise.allSettled(
    Array.from({ length: 15 }, (_, i) => a.sendPeerMessage({ type: 1, priority: 1, message: 'burst ' + i }, 'bob')),
  );
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  const limited = results.filter((r) => r.status === 'rejected' && r.reason.code === 6000004).length;
  // A full bucket of 10, refilled at one per 100 ms: 10 go (11 if the loop took 100 ms).
  assert.ok(ok === 10 || ok === 11, JSON.stringify(plain(results.map((r) => r.reason || 'ok'))));
  assert.equal(ok + limited, 15);

  const bad = device(t, 'mallory', 'seed-2x.js', cfg(srv, 'alice', { userID: 'bad user!' }));
  assert.equal((await waitFor(() => bad.has((e) => e[0] === 'loginFailed'), 'bad user ID fails'))[1], 6000001);
  bad.page.finish();

  const forged = device(t, 'eve', 'seed-2x.js', cfg(srv, 'eve', { token: srv.token('bob') }));
  assert.equal((await waitFor(() => forged.has((e) => e[0] === 'loginFailed'), 'wrong-user token fails'))[1], 6000103);
  forged.page.finish();
  alice.page.finish();
});

phoneTest('tokenWillExpire fires before expiry and renewToken renews (both styles)', async (t) => {
  const srv = await server(t);
  // The core warns 30 s before expiry: a 33 s token warns about 3 s after login.
  const alice = device(t, 'alice', 'seed-1x.js', cfg(srv, 'alice', { token: srv.token('alice', 33) }));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob', { token: srv.token('bob', 34) }));
  await loggedIn(alice);
  await loggedIn(bob);
  for (const d of [alice, bob]) {
    const warn = await waitFor(() => d.has((e) => e[0] === 'tokenWillExpire'), d.phone.name + ' tokenWillExpire', 20000);
    assert.equal(typeof warn[1], 'number');
    assert.ok(warn[1] > 0 && warn[1] <= 30, 'seconds left: ' + warn[1]);
    assert.deepEqual(await waitFor(() => d.has((e) => e[0].startsWith('renewToken')), d.phone.name + ' renewToken'), ['renewToken', true]);
  }
  // Past the old expiry the session still works.
  await sleep(4000);
  await alice.page.send('still here', 'bob');
  await waitFor(() => bob.texts().includes('still here'), 'message after the old expiry');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('reconnect after the socket is killed: state events, and nothing lost or doubled', async (t) => {
  const srv = await server(t);
  const { alice, bob } = await twoPhones(t, srv);
  await bob.page.send('before', 'alice');
  await waitFor(() => alice.texts().includes('before'), 'before');

  alice.phone.killSockets();
  await bob.page.send('during', 'alice');
  await waitFor(() => alice.has((e) => e[0] === 'connectionStateChanged' && e[1] === 3), 'Reconnecting');
  alice.phone.networkBack(); // wx.onNetworkStatusChange({ isConnected: true }): retry now
  await waitFor(() => alice.all('connectionStateChanged').pop()[1] === 2, 'Connected again');
  await bob.page.send('after', 'alice');
  await waitFor(() => alice.texts().includes('after'), 'after');
  // And alice can send after her reconnect.
  await alice.page.send('back', 'bob');
  await waitFor(() => bob.texts().includes('back'), 'back');
  await sleep(300);
  assert.deepEqual(alice.texts(), ['before', 'during', 'after']);
  alice.page.finish();
  bob.page.finish();
});

phoneTest('reconnect after the server restarts: queued sends go out, nothing lost or duplicated', async (t) => {
  const srv = await server(t);
  const { alice, bob } = await twoPhones(t, srv);
  await bob.page.send('before', 'alice');
  await waitFor(() => alice.texts().includes('before'), 'before');

  await srv.stop();
  await waitFor(() => alice.has((e) => e[0] === 'connectionStateChanged' && e[1] === 3), 'alice Reconnecting');
  await waitFor(() => bob.has((e) => e[0] === 'connectionStateChanged' && e[1] === 3), 'bob Reconnecting');
  // Sent while the server is down: they wait in the core's outbox.
  const pending = ['down-1', 'down-2', 'down-3'].map((text) => bob.page.send(text, 'alice'));
  await sleep(500);
  await srv.restart();
  await Promise.all(pending);
  assert.deepEqual(
    bob.all('sent').map((e) => e[1]),
    ['before', 'down-1', 'down-2', 'down-3'],
    JSON.stringify(bob.events()),
  );
  await bob.page.send('after', 'alice');
  await waitFor(() => alice.texts().includes('after'), 'after', 30000);
  await sleep(500);
  assert.deepEqual(alice.texts(), ['before', 'down-1', 'down-2', 'down-3', 'after']);
  const last = alice.all('connectionStateChanged').pop();
  assert.deepEqual(last.slice(0, 2), ['connectionStateChanged', 2]);
  alice.page.finish();
  bob.page.finish();
});

phoneTest('a second login of the same user kicks the first out (KickedOut), which does not reconnect', async (t) => {
  const srv = await server(t);
  const first = device(t, 'alice-phone', 'seed-1x.js', cfg(srv, 'alice'));
  await loggedIn(first);
  const second = device(t, 'alice-tablet', 'seed-2x.js', cfg(srv, 'alice'));
  await loggedIn(second);
  const kicked = await waitFor(() => first.has((e) => e[0] === 'connectionStateChanged' && e[1] === 0), 'first device Disconnected');
  assert.deepEqual(kicked, ['connectionStateChanged', 0, 4, 'string']); // Disconnected, KickedOut
  await sleep(1500);
  assert.deepEqual(first.all('connectionStateChanged').pop(), kicked, 'no reconnect after a kick-out');
  assert.equal(first.phone.sockets.size, 0);
  first.page.finish();
  second.page.finish();
});

phoneTest("setAdvancedConfig('wasm_path') loads the .wasm.br from elsewhere in the code package", async (t) => {
  const srv = await server(t);
  const root = makeCodePackage(TARBALL);
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'subpkg'));
  fs.renameSync(path.join(root, 'miniprogram_npm/tinyim/tinyim_bg.wasm.br'), path.join(root, 'subpkg/im.wasm.br'));
  const phone = new Phone(root, 'moved');
  t.after(() => phone.dispose());
  phone.writeFile('/config.js', 'module.exports = ' + JSON.stringify(cfg(srv, 'alice', { wasmPath: '/subpkg/im.wasm.br' })) + ';\n');
  phone.writeFile('/pages/wasm-path.js', fs.readFileSync(path.join(__dirname, 'pages', 'wasm-path.js'), 'utf8'));
  const page = phone.require('/pages/wasm-path.js');
  await waitFor(() => plain(page.events).length, 'login result');
  assert.deepEqual(plain(page.events), [['login']]);
  assert.deepEqual(phone.wasmLoads, ['/subpkg/im.wasm.br']);
  page.finish();
});

phoneTest('command messages: bytes in, the same bytes out as a Uint8Array', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  const received = [];
  bob.zim.on('receivePeerMessage', (zim, data) => {
    for (const m of data.messageList) received.push(m);
  });
  const bytes = alice.phone.eval('new Uint8Array([0, 1, 2, 253, 254, 255])');
  const { message } = await alice.zim.sendPeerMessage({ type: 2, message: bytes }, 'bob');
  assert.equal(message.type, 2);
  await waitFor(() => received.length, 'bob gets the command');
  const m = received[0];
  assert.equal(m.type, 2);
  assert.equal(Object.prototype.toString.call(m.message), '[object Uint8Array]');
  assert.deepEqual(Array.from(m.message), [0, 1, 2, 253, 254, 255]);
  assert.equal(m.senderUserID, 'alice');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('queryHistoryMessage paged back as ZIM documents it: reverse: true, then nextMessage: messageList[0]', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  for (const text of ['m1', 'm2', 'm3', 'm4', 'm5']) await alice.page.send(text, 'bob');
  assert.equal(alice.all('sent').length, 5, JSON.stringify(alice.events()));
  const pages = [];
  let nextMessage = null;
  for (let i = 0; i < 4; i++) {
    const { conversationID, conversationType, messageList } = await bob.zim.queryHistoryMessage('alice', 0, { nextMessage, count: 2, reverse: true });
    assert.equal(conversationID, 'alice');
    assert.equal(conversationType, 0);
    pages.push(plain(messageList).map((m) => m.message));
    if (!messageList.length) break;
    nextMessage = messageList[0];
  }
  // Each page is in ascending order; the pages walk back in time.
  assert.deepEqual(pages, [['m4', 'm5'], ['m2', 'm3'], ['m1'], []]);
  alice.page.finish();
  bob.page.finish();
});

phoneTest('destroy() leaves no timer and no socket behind; create() after destroy() works on the same page', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  const ZIM = alice.page.ZIM;
  alice.page.finish(); // logout() (its Disconnected event comes now), then destroy()
  const before = alice.events().length;
  assert.equal(ZIM.getInstance(), null);
  await sleep(300);
  assert.equal(alice.phone.timers.size, 0, 'no timer left after destroy()');
  await waitFor(() => alice.phone.sockets.size === 0, 'the socket closed after destroy()');
  assert.deepEqual(alice.events().slice(before), [], 'the destroyed instance emits nothing');

  // The same page creates a new instance and logs in again.
  const zim2 = ZIM.create(srv.appID);
  assert.ok(zim2, 'create() after destroy() returns an instance');
  assert.notEqual(zim2, alice.zim);
  const got = [];
  zim2.on('receivePeerMessage', (zim, { messageList }) => messageList.forEach((m) => got.push(m.message)));
  await zim2.login('alice', { userName: 'Alice', token: srv.token('alice') });
  await bob.page.send('again', 'alice');
  await waitFor(() => got.includes('again'), 'the new instance receives');
  assert.deepEqual(alice.events().slice(before), [], 'the old instance still emits nothing');
  zim2.logout();
  zim2.destroy();
  await sleep(100);
  assert.equal(alice.phone.timers.size, 0);
  bob.page.finish();
});

phoneTest('calls made before the wasm has loaded, then destroy(): promises reject with { code, message }', async (t) => {
  const srv = await server(t);
  const root = makeCodePackage(TARBALL);
  const phone = new Phone(root, 'early');
  t.after(() => {
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const { ZIM } = phone.require('tinyim');
  ZIM.setAdvancedConfig('server', srv.url);
  const zim = ZIM.create(srv.appID);
  const login = zim.login('alice', { userName: 'Alice', token: srv.token('alice') });
  const send = zim.sendMessage({ type: 1, message: 'early' }, 'bob', 0, { priority: 1 });
  zim.destroy();
  for (const p of [login, send]) {
    await assert.rejects(p, (e) => e.code === 6000002 && typeof e.message === 'string');
  }
  const zim2 = ZIM.create(srv.appID);
  await zim2.login('alice', { userName: 'Alice', token: srv.token('alice') });
  zim2.logout();
  zim2.destroy();
});

phoneTest('command messages given as an ArrayBuffer or a plain array of bytes arrive as those bytes', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  const received = [];
  bob.zim.on('receivePeerMessage', (zim, data) => {
    for (const m of data.messageList) received.push(Array.from(m.message));
  });
  const ab = alice.phone.eval('new Uint8Array([7, 8, 9]).buffer');
  const { message } = await alice.zim.sendMessage({ type: 2, message: ab }, 'bob', 0, { priority: 1 });
  assert.deepEqual(Array.from(message.message), [7, 8, 9]);
  await alice.zim.sendMessage({ type: 2, message: alice.phone.eval('[1, 2, 3]') }, 'bob', 0, { priority: 1 });
  await alice.zim.sendMessage({ type: 2, message: new Uint8Array([4, 5]) }, 'bob', 0, { priority: 1 }); // another realm's
  await waitFor(() => received.length >= 3, 'bob gets the commands');
  assert.deepEqual(received, [[7, 8, 9], [1, 2, 3], [4, 5]]);
  alice.page.finish();
  bob.page.finish();
});

phoneTest('the wasm fails to load: calls reject with 6000002, an error event says why, destroy() then create() retries', async (t) => {
  const srv = await server(t);
  const root = makeCodePackage(TARBALL);
  const phone = new Phone(root, 'noload');
  const unhandled = [];
  const onUnhandled = (e) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  t.after(() => {
    process.off('unhandledRejection', onUnhandled);
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const { ZIM } = phone.require('tinyim');
  ZIM.setAdvancedConfig('server', srv.url);

  // Destroyed before the load fails: nothing may throw afterwards.
  ZIM.setAdvancedConfig('wasm_path', '/nowhere/tinyim_bg.wasm.br');
  const early = ZIM.create(srv.appID);
  const earlyLogin = early.login('alice', { userName: 'Alice', token: srv.token('alice') });
  early.destroy();
  await assert.rejects(earlyLogin, (e) => e.code === 6000002);
  await sleep(200);

  const zim = ZIM.create(srv.appID);
  assert.ok(zim);
  const errors = [];
  zim.on('error', (zim, e) => errors.push(e));
  await assert.rejects(zim.login('alice', { userName: 'Alice', token: srv.token('alice') }), (e) => e.code === 6000002 && /load/.test(e.message));
  await assert.rejects(zim.sendPeerMessage({ type: 1, message: 'x' }, 'bob'), (e) => e.code === 6000002);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 6000002);
  zim.destroy();

  ZIM.setAdvancedConfig('wasm_path', '');
  const again = ZIM.create(srv.appID);
  await again.login('alice', { userName: 'Alice', token: srv.token('alice') });
  again.logout();
  again.destroy();
  await sleep(100);
  assert.deepEqual(unhandled.map(String), []);
});

phoneTest('promise-returning methods never throw: odd arguments settle the promise with { code, message }', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  await loggedIn(alice);
  const z = alice.zim;
  const odd = alice.phone.eval('Object.create(null)');
  const sym = alice.phone.eval('Symbol("x")');
  const calls = [
    () => z.sendMessage({ type: 1, message: odd }, 'bob', 0, {}),
    () => z.sendMessage({ type: 1, message: 'x', extendedData: odd }, 'bob', 0, {}),
    () => z.sendMessage({ type: 1, message: 'x' }, odd, 0, {}),
    () => z.sendMessage({ type: 1, message: 'x' }, 'bob', sym, {}),
    () => z.sendMessage({ type: sym, message: 'x' }, 'bob', 0, { priority: sym }),
    () => z.sendPeerMessage({ type: 1, message: 'x' }, sym),
    () => z.queryHistoryMessage('bob', 0, { count: sym, nextMessage: { orderKey: odd } }),
    () => z.queryRoomMemberList(odd, { nextFlag: odd, count: odd }),
    () => z.createRoom({ roomID: odd, roomName: sym }),
    () => z.joinRoom(sym),
    () => z.renewToken(odd),
    () => z.login(odd, { userName: odd, token: odd }),
    () => z.login({ userID: sym, userName: odd }, sym),
    () => z.sendMediaMessage({ type: sym, fileLocalPath: sym }, 'bob', 0, {}),
    () => z.sendMediaMessage({ type: 11, fileLocalPath: odd, fileName: sym }, odd, sym, odd, odd),
    () => z.downloadMediaFile(odd, sym, odd, odd),
  ];
  for (let i = 0; i < calls.length; i++) {
    let p;
    assert.doesNotThrow(() => {
      p = calls[i]();
    }, 'call ' + i);
    await p.then(
      () => {},
      (e) => {
        assert.equal(typeof e.code, 'number', 'call ' + i + ': ' + String(e));
        assert.equal(typeof e.message, 'string', 'call ' + i);
      },
    );
  }
  alice.page.finish();
});

phoneTest('a rejected second login() does not change who "me" is: message directions stay right', async (t) => {
  const srv = await server(t);
  const alice = device(t, 'alice', 'seed-2x.js', cfg(srv, 'alice'));
  const bob = device(t, 'bob', 'seed-2x.js', cfg(srv, 'bob'));
  await loggedIn(alice);
  await loggedIn(bob);
  await assert.rejects(alice.zim.login('bob', { userName: 'Bob', token: srv.token('bob') }), (e) => e.code === 6000111);
  const received = [];
  alice.zim.on('receivePeerMessage', (zim, { messageList }) => messageList.forEach((m) => received.push([m.senderUserID, m.direction])));
  await bob.page.send('hi alice', 'alice');
  await waitFor(() => received.length, 'alice receives');
  assert.deepEqual(received, [['bob', 1]]);
  const { message } = await alice.zim.sendMessage({ type: 1, message: 'hi bob' }, 'bob', 0, { priority: 1 });
  assert.equal(message.direction, 0);
  assert.equal(message.senderUserID, 'alice');
  alice.page.finish();
  bob.page.finish();
});

phoneTest('a socket closed while still connecting does not stay open (closeSocket:fail before onOpen)', async (t) => {
  const srv = await server(t);
  const root = makeCodePackage(TARBALL);
  const phone = new Phone(root, 'early-close');
  t.after(() => {
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  // As on a phone: SocketTask.close() before the socket is open fails ("closeSocket:fail
  // WebSocket is not connected") and the connection goes on opening.
  const connect = phone._connectSocket.bind(phone);
  let zim = null;
  phone._connectSocket = (opts) => {
    const task = connect(opts);
    let open = false;
    task.onOpen(() => (open = true));
    const close = task.close;
    task.close = (o) => {
      if (open) return close(o);
      if (o && o.fail) setTimeout(() => o.fail({ errMsg: 'closeSocket:fail WebSocket is not connected' }), 0);
    };
    queueMicrotask(() => zim && zim.destroy()); // destroy() while this socket is connecting
    return task;
  };
  const { ZIM } = phone.require('tinyim');
  ZIM.setAdvancedConfig('server', srv.url);
  zim = ZIM.create(srv.appID);
  await assert.rejects(zim.login('alice', { userName: 'Alice', token: srv.token('alice') }), (e) => e.code === 6000002);
  await sleep(500);
  assert.equal(phone.sockets.size, 0, 'the socket must not stay open');
});

phoneTest('repeated network drops never hold more than one socket (the 5-socket limit)', async (t) => {
  const srv = await server(t);
  const { alice, bob } = await twoPhones(t, srv);
  let most = 0;
  const watch = setInterval(() => (most = Math.max(most, alice.phone.sockets.size)), 5);
  t.after(() => clearInterval(watch));
  for (let i = 0; i < 6; i++) {
    const connected = alice.all('connectionStateChanged').length;
    alice.phone.killSockets();
    await waitFor(() => alice.all('connectionStateChanged').slice(connected).some((e) => e[1] === 3), 'Reconnecting ' + i);
    alice.phone.networkBack();
    await waitFor(() => alice.all('connectionStateChanged').pop()[1] === 2, 'Connected again ' + i);
  }
  await bob.page.send('after drops', 'alice');
  await waitFor(() => alice.texts().includes('after drops'), 'after drops');
  assert.equal(alice.phone.sockets.size, 1);
  assert.ok(most <= 2, 'sockets at once: ' + most); // the old one may still be closing
  alice.page.finish();
  bob.page.finish();
});
