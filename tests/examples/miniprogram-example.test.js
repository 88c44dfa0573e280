'use strict';
// Runs examples/miniprogram itself — its real page files, linked into a fake code package
// beside the packed tinyim package — in the strict mini program stand-in, on two simulated
// phones against a real tinyim-server in dev mode, and asserts on what the pages show
// (their `data`). A minimal Page/App/getApp registry stands in for the WeChat framework.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { Phone, makeCodePackage, phoneTest } = require('../miniprogram/standin');
const { startServer, waitFor } = require('../js/server');

const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'miniprogram');
const { TARBALL } = require('../js/packed');

// Cross-realm values (made inside a phone) compared as plain JSON.
const plain = (x) => JSON.parse(JSON.stringify(x));


// `wx.request` over real HTTP, shaped as the platform answers: { statusCode, data }.
function request(opts) {
  http
    .get(opts.url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        let data = body;
        try {
          data = JSON.parse(body);
        } catch (e) {
          // not JSON: hand the text over, as wx.request does
        }
        opts.success && opts.success({ statusCode: res.statusCode, data, header: res.headers });
      });
    })
    .on('error', (e) => opts.fail && opts.fail({ errMsg: 'request:fail ' + e.message }));
}

// A phone whose code package is the example: its files are linked (not copied) beside
// miniprogram_npm/tinyim from the packed tarball, as "build npm" lays it out.
function examplePhone(t, name) {
  const root = makeCodePackage(TARBALL);
  for (const entry of fs.readdirSync(EXAMPLE)) {
    if (entry === 'node_modules' || entry === 'miniprogram_npm') continue;
    fs.symlinkSync(path.join(EXAMPLE, entry), path.join(root, entry));
  }
  const phone = new Phone(root, name);
  const pages = new Map(); // route -> definition given to Page()
  let loading = null;
  const nav = [];
  const g = phone.context;
  g.App = () => {};
  g.getApp = () => ({});
  g.Page = (def) => pages.set(loading, def);
  Object.assign(g.wx, {
    request,
    navigateTo: (o) => nav.push(o.url),
    reLaunch: (o) => nav.push(o.url),
    navigateBack: () => nav.push('back'),
    setNavigationBarTitle: () => {},
  });
  phone.require('/app.js');
  t.after(() => {
    phone.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  // Opens a page as the framework would: a fresh instance with its own copy of `data`,
  // `setData` merging into it, then onLoad(query).
  function open(route, query) {
    if (!pages.has(route)) {
      loading = route;
      phone.require(route + '.js');
      loading = null;
    }
    const def = pages.get(route);
    const page = Object.assign({}, def, { data: plain(def.data || {}), route: route.slice(1) });
    page.setData = (patch, cb) => {
      Object.assign(page.data, patch);
      if (cb) cb();
    };
    const loaded = page.onLoad ? page.onLoad(query || {}) : undefined;
    return { page, loaded: Promise.resolve(loaded) };
  }
  return { phone, open, nav, data: (page) => plain(page.data) };
}

const input = (value) => ({ detail: { value } });

async function logIn(device, userID, serverUrl) {
  const { page } = device.open('/pages/login/login');
  page.onUserID(input(userID));
  page.onServerUrl(input(serverUrl));
  await page.onLogin();
  assert.equal(device.data(page).error, '', userID + ' login error');
  assert.equal(device.nav.pop(), '/pages/conversations/conversations');
  return device.open('/pages/conversations/conversations').page;
}

// A dev-mode server and two phones, alice and bob, logged in on their conversation lists.
async function twoPhones(t) {
  const srv = await startServer({ dev: true });
  t.after(() => srv.close());
  const alice = examplePhone(t, 'alice');
  const bob = examplePhone(t, 'bob');
  const aliceList = await logIn(alice, 'alice', srv.url);
  const bobList = await logIn(bob, 'bob', srv.url);
  return { alice, bob, aliceList, bobList };
}

phoneTest('the example mini program: two phones log in, the conversation list with unread badges, 1:1 chat with history, read receipts and revoke, a room, log out', async (t) => {
  const { alice, bob, aliceList, bobList } = await twoPhones(t);
  assert.equal(alice.data(aliceList).userID, 'alice');
  assert.equal(alice.data(aliceList).banner, '', 'connected: no banner');

  // Alice opens a chat with Bob (empty history) and sends two messages.
  aliceList.onPeerID(input('bob'));
  aliceList.onOpenChat();
  assert.equal(alice.nav.pop(), '/pages/chat/chat?peer=bob');
  const aliceChat = alice.open('/pages/chat/chat', { peer: 'bob' });
  await aliceChat.loaded;
  assert.deepEqual(alice.data(aliceChat.page).messages, []);
  for (const text of ['hi bob', 'are you there?']) {
    aliceChat.page.onDraft(input(text));
    await aliceChat.page.onSend();
  }
  const sent = alice.data(aliceChat.page).messages;
  assert.deepEqual(
    sent.map((m) => [m.text, m.mine, m.status]),
    [
      ['hi bob', true, 'sent'],
      ['are you there?', true, 'sent'],
    ],
  );

  // Bob's conversation list shows Alice with two unread; opening the chat shows the history.
  await waitFor(() => {
    const c = bob.data(bobList).conversations.find((x) => x.conversationID === 'alice');
    return c && c.unread === 2;
  }, "bob's conversation list to show alice with 2 unread");
  const bobChat = bob.open('/pages/chat/chat', { peer: 'alice' });
  await bobChat.loaded;
  assert.deepEqual(
    bob.data(bobChat.page).messages.map((m) => [m.text, m.mine, m.sender]),
    [
      ['hi bob', false, 'alice'],
      ['are you there?', false, 'alice'],
    ],
  );
  // Opening the chat reads it, on the server: the badge goes, and alice's messages show "read".
  await waitFor(() => bob.data(bobList).conversations.find((x) => x.conversationID === 'alice').unread === 0, 'read once opened');
  assert.equal(bob.data(bobList).total, 0);
  await waitFor(
    () => alice.data(aliceChat.page).messages.every((m) => m.status === 'read'),
    "alice's chat to show her messages read",
  );

  // Bob replies; Alice's open chat page shows it live.
  bobChat.page.onDraft(input('yes, hello alice'));
  await bobChat.page.onSend();
  await waitFor(
    () => alice.data(aliceChat.page).messages.some((m) => m.text === 'yes, hello alice' && !m.mine),
    "alice's chat page to show bob's reply",
  );

  // Alice revokes "are you there?": bob's open chat shows it revoked, and after bob's reply
  // alice's list still shows bob's; a second message revoked as the last one shows in the list.
  const row = alice.data(aliceChat.page).messages.find((m) => m.text === 'are you there?');
  assert.equal(row.canRevoke, true);
  await aliceChat.page.onRevoke({ currentTarget: { dataset: { key: row.key } } });
  assert.equal(alice.data(aliceChat.page).messages.find((m) => m.key === row.key).text, 'Message revoked');
  await waitFor(
    () => bob.data(bobChat.page).messages.some((m) => m.key === row.key && m.revoked && m.text === 'Message revoked'),
    "bob's chat to show the message revoked",
  );
  aliceChat.page.onDraft(input('wrong chat, sorry'));
  await aliceChat.page.onSend();
  const last = alice.data(aliceChat.page).messages.slice(-1)[0];
  await waitFor(() => bob.data(bobChat.page).messages.some((m) => m.text === 'wrong chat, sorry'), 'bob gets it');
  await aliceChat.page.onRevoke({ currentTarget: { dataset: { key: last.key } } });
  await waitFor(
    () => bob.data(bobList).conversations.find((x) => x.conversationID === 'alice').lastMessage === 'Message revoked',
    "bob's list to show the last message revoked",
  );

  // Both enter room "lobby": the member count reaches 2 and room messages arrive.
  const aliceRoom = alice.open('/pages/room/room', { room: 'lobby' });
  await aliceRoom.loaded;
  const bobRoom = bob.open('/pages/room/room', { room: 'lobby' });
  await bobRoom.loaded;
  assert.equal(bob.data(bobRoom.page).memberCount, 2);
  await waitFor(() => alice.data(aliceRoom.page).memberCount === 2, "alice's room page to count 2 members");
  aliceRoom.page.onDraft(input('hello room'));
  await aliceRoom.page.onSend();
  await waitFor(
    () => bob.data(bobRoom.page).messages.some((m) => m.text === 'hello room' && m.sender === 'alice'),
    "bob's room page to show alice's room message",
  );
  assert.equal(alice.data(aliceRoom.page).error, '');

  // Bob leaves the room (back button unloads the page); Alice's count drops to 1.
  bobRoom.page.onLeave();
  assert.equal(bob.nav.pop(), 'back');
  await bobRoom.page.onUnload();
  await waitFor(() => alice.data(aliceRoom.page).memberCount === 1, "alice's room page to count 1 member");

  // Log out from the conversation list: back to the login page.
  await aliceRoom.page.onUnload();
  aliceList.onLogout();
  assert.equal(alice.nav.pop(), '/pages/login/login');
  bobList.onLogout();
  assert.equal(bob.nav.pop(), '/pages/login/login');
});

phoneTest('the example mini program: group chat: create a group with a member, chat both ways, the list shows it with its unread count', async (t) => {
  const { alice, bob, aliceList, bobList } = await twoPhones(t);
  // Alice creates "team" with bob and lands in its chat page.
  aliceList.onGroupID(input('team'));
  aliceList.onGroupMembers(input('bob'));
  await aliceList.onCreateGroup();
  assert.equal(alice.data(aliceList).error, '');
  assert.equal(alice.nav.pop(), '/pages/chat/chat?group=team');
  const aliceChat = alice.open('/pages/chat/chat', { group: 'team' });
  await aliceChat.loaded;
  assert.equal(alice.data(aliceChat.page).isGroup, true);
  aliceChat.page.onDraft(input('hello team'));
  await aliceChat.page.onSend();
  assert.deepEqual(
    alice.data(aliceChat.page).messages.map((m) => [m.text, m.mine, m.status]),
    [['hello team', true, 'sent']],
  );

  // Bob's list shows the group with one unread; opening it shows the message and reads it.
  await waitFor(() => {
    const c = bob.data(bobList).conversations.find((x) => x.conversationID === 'team');
    return c && c.group && c.unread === 1 && c.lastMessage === 'hello team';
  }, "bob's list to show team with 1 unread");
  bobList.onTapConversation({ currentTarget: { dataset: { id: 'team', type: 2 } } });
  assert.equal(bob.nav.pop(), '/pages/chat/chat?group=team');
  const bobChat = bob.open('/pages/chat/chat', { group: 'team' });
  await bobChat.loaded;
  assert.deepEqual(
    bob.data(bobChat.page).messages.map((m) => [m.text, m.mine, m.sender]),
    [['hello team', false, 'alice']],
  );
  await waitFor(() => bob.data(bobList).conversations.find((x) => x.conversationID === 'team').unread === 0, 'read once opened');

  // Bob replies; alice's open group chat shows it live.
  bobChat.page.onDraft(input('hi alice'));
  await bobChat.page.onSend();
  await waitFor(
    () => alice.data(aliceChat.page).messages.some((m) => m.text === 'hi alice' && !m.mine && m.sender === 'bob'),
    "alice's group chat to show bob's reply",
  );
  // "Join group" on a group one is in opens it; on one that does not exist, says why.
  bobList.onGroupID(input('team'));
  await bobList.onJoinGroup();
  assert.equal(bob.nav.pop(), '/pages/chat/chat?group=team');
  bobList.onGroupID(input('nowhere'));
  await bobList.onJoinGroup();
  assert.match(bob.data(bobList).error, /Not joined \(6000523\)/);
});

phoneTest('the example shows a login error the user can act on when the server is unreachable', async (t) => {
  const device = examplePhone(t, 'carol');
  const { page } = device.open('/pages/login/login');
  page.onUserID(input('carol'));
  page.onServerUrl(input('ws://127.0.0.1:9/ws'));
  await page.onLogin();
  assert.match(device.data(page).error, /Login failed .*cannot reach http:\/\/127\.0\.0\.1:9/);
  assert.equal(device.data(page).busy, false);
});

phoneTest('the example mini program: ring another user: accepted, declined, cancelled, no answer', async (t) => {
  const { alice, bob, aliceList, bobList } = await twoPhones(t);
  t.after(() => {
    aliceList.onLogout();
    bobList.onLogout();
  });
  const aliceChat = alice.open('/pages/chat/chat', { peer: 'bob' });
  await aliceChat.loaded;

  // Alice taps Call in the chat; bob's conversation list opens the call screen when it rings.
  async function ring() {
    aliceChat.page.onCall();
    assert.equal(alice.nav.pop(), '/pages/call/call?peer=bob');
    const caller = alice.open('/pages/call/call', { peer: 'bob' });
    await caller.loaded;
    assert.equal(alice.data(caller.page).text, 'Calling bob…');
    await waitFor(() => bob.nav[bob.nav.length - 1] === '/pages/call/call', "bob's call screen to open");
    bob.nav.pop();
    const callee = bob.open('/pages/call/call');
    await callee.loaded;
    assert.deepEqual([bob.data(callee.page).text, bob.data(callee.page).status], ['alice is calling', 'ringing']);
    return { caller: caller.page, callee: callee.page };
  }
  const shows = (device, page, text) => waitFor(() => device.data(page).text === text, device.phone.name + ' shows "' + text + '"');
  async function hangUp(c) {
    for (const [device, page] of [[alice, c.caller], [bob, c.callee]]) {
      page.onClose();
      assert.equal(device.nav.pop(), 'back');
      page.onUnload();
    }
  }

  // Accepted.
  let c = await ring();
  await c.callee.onAccept();
  assert.equal(bob.data(c.callee).text, 'In a call with alice');
  await shows(alice, c.caller, 'In a call with bob');
  await hangUp(c);

  // Declined.
  c = await ring();
  await c.callee.onReject();
  await shows(alice, c.caller, 'bob declined');
  await hangUp(c);

  // Cancelled while it rings.
  c = await ring();
  await c.caller.onCancel();
  assert.equal(alice.data(c.caller).text, 'Cancelled');
  await shows(bob, c.callee, 'alice hung up');
  await hangUp(c);

  // No answer: the server times the invitation out (1 s here instead of the example's 30).
  alice.phone.require('/im/session.js').state.callTimeout = 1;
  c = await ring();
  await shows(alice, c.caller, 'No answer from bob');
  await shows(bob, c.callee, 'Missed call from alice');
  await hangUp(c);
  assert.equal(alice.data(aliceList).error, '');
  assert.equal(bob.data(bobList).error, '');
});
