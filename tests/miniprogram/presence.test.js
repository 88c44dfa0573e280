'use strict';
// Presence in the strict stand-in against the real server, in both callback styles: alice
// subscribes to bob and sees him go online, offline, logged out and set a custom status; a
// second login of alice still has the subscription and is told bob's status at once.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith } = require('./harness');
const { sleep } = require('../js/server');

const ONLINE = 0;
const OFFLINE = 1;
const LOGOUT = 2;

// The statuses of `userID` that `d` was told, as [onlineStatus, customStatus], oldest first.
// userStatusUpdated has no 1.x form: both styles get ZIM's data object { userStatusList }.
function told(d, userID) {
  return d
    .all('userStatusUpdated')
    .flatMap((args) => args[0].userStatusList)
    .filter((s) => s.userID === userID)
    .map((s) => [s.onlineStatus, s.customStatus]);
}

// Waits until the last status of `userID` that `d` was told is `want`.
async function tells(d, userID, want) {
  await d.wait('userStatusUpdated', () => {
    const all = told(d, userID);
    return JSON.stringify(all[all.length - 1]) === JSON.stringify(want);
  }, d.phone.name + ' is told ' + userID + ' is ' + JSON.stringify(want));
}

// Asks `d`'s server for `userID`'s status until it passes `pred` (a logout on another phone
// reaches the server in its own time); returns it.
async function statusOf(d, userID, pred) {
  for (let i = 0; ; i++) {
    const [st] = plain(await d.zim.queryUsersStatus([userID])).userStatusList;
    assert.equal(st.userID, userID);
    if (pred(st)) return st;
    if (i === 100) assert.fail(userID + "'s status never passed: " + JSON.stringify(st));
    await sleep(50);
  }
}

for (const style of ['1.x', '2.x']) {
  test(`presence (${style}): a subscriber sees online, offline, logout and custom status; a second login keeps it`, async (t) => {
    const srv = await server(t);
    // bob is known once he has logged in; he logs out.
    const bob0 = await app(t, srv, 'bob', style, []);
    bob0.zim.logout();
    const alice = await app(t, srv, 'alice', style, ['userStatusUpdated', 'error']);
    assert.deepEqual(plain(await alice.zim.subscribeUsersStatus(['bob'], { subscriptionDuration: 60 })), { errorUserList: [] });
    const st = await statusOf(alice, 'bob', (s) => s.onlineStatus === LOGOUT);
    assert.ok(st.lastOnlineStatusUpdateTime > 0);

    // bob logs in: online; his phone goes away without a logout: offline.
    const bob1 = await app(t, srv, 'bob', style, []);
    await tells(alice, 'bob', [ONLINE, '']);
    bob1.zim.destroy();
    await tells(alice, 'bob', [OFFLINE, '']);

    // Back, with a custom status; then a logout.
    const bob = await app(t, srv, 'bob', style, []);
    await tells(alice, 'bob', [ONLINE, '']);
    assert.deepEqual(plain(await bob.zim.updateUserCustomStatus('in a meeting', { duration: 600 })), { customStatus: 'in a meeting' });
    await tells(alice, 'bob', [ONLINE, 'in a meeting']);
    const latest = told(alice, 'bob');
    assert.ok(latest.length >= 4);
    bob.zim.logout();
    await tells(alice, 'bob', [LOGOUT, 'in a meeting']);

    // alice logs in on another phone (the first is kicked out): the subscription is the
    // server's, and the new session is told bob's status right away.
    const alice2 = await app(t, srv, 'alice', style, ['userStatusUpdated']);
    await tells(alice2, 'bob', [LOGOUT, 'in a meeting']);
    const { userStatusSubscriptionList: list } = plain(await alice2.zim.querySubscribedUserStatusList({ userIDs: [] }));
    assert.equal(list.length, 1);
    assert.equal(list[0].userStatus.userID, 'bob');
    assert.equal(list[0].userStatus.customStatus, 'in a meeting');
    assert.ok(list[0].subscribeExpiredTime > Date.now() + 59 * 60 * 1000);
    assert.deepEqual(plain(await alice2.zim.querySubscribedUserStatusList({ userIDs: ['carol'] })), { userStatusSubscriptionList: [] });

    // Unsubscribed: bob's next login is not told.
    assert.deepEqual(plain(await alice2.zim.unsubscribeUsersStatus(['bob'])), { errorUserList: [] });
    const before = told(alice2, 'bob').length;
    await app(t, srv, 'bob', style, []);
    await sleep(300);
    assert.equal(told(alice2, 'bob').length, before);
    assert.deepEqual(alice.all('error'), []);
  });
}

test('presence: ZIM login config customStatus, errors with ZIM codes', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', ['userStatusUpdated']);
  const bob = await app(t, srv, 'bob', '2.x', []);
  await alice.zim.subscribeUsersStatus(['bob'], { subscriptionDuration: 1 });
  // ZIM 2.x's login config may carry a custom status.
  bob.zim.logout();
  await bob.zim.login('bob', { token: srv.token('bob'), customStatus: 'busy', customStatusDuration: 60 });
  await tells(alice, 'bob', [ONLINE, 'busy']);
  const st = await statusOf(alice, 'bob', (s) => s.customStatus === 'busy');
  assert.ok(st.customStatusExpiredTime > Date.now() + 50 * 1000 && st.customStatusExpiredTime <= Date.now() + 60 * 1000);

  const r = plain(await alice.zim.subscribeUsersStatus(['alice', 'nobody'], { subscriptionDuration: 5 }));
  assert.deepEqual(r.errorUserList, [
    { userID: 'alice', reason: 6000001 },
    { userID: 'nobody', reason: 6000011 },
  ]);
  await rejectsWith(alice.zim.subscribeUsersStatus(['bob'], {}), 6000001); // no duration
  await rejectsWith(alice.zim.subscribeUsersStatus(['bob'], { subscriptionDuration: 43201 }), 6000001);
  await rejectsWith(alice.zim.subscribeUsersStatus(Array.from({ length: 101 }, (_, i) => 'u' + i), { subscriptionDuration: 5 }), 6000001);
  await rejectsWith(alice.zim.queryUsersStatus([]), 6000001);
  await rejectsWith(alice.zim.updateUserCustomStatus('x'.repeat(65)), 6000001);
  await assert.rejects(alice.zim.queryUsersStatus(['ok', 'not ok']), (e) => e.code === 6000001 && /userIDs\[1\]/.test(e.message));
  await alice.zim.updateUserCustomStatus('one');
  await rejectsWith(alice.zim.updateUserCustomStatus('two'), 6000005); // once a second
});
