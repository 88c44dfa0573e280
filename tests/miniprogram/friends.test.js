'use strict';
// Friends and the blacklist in the strict stand-in against the real server, in both
// callback styles: adding directly and by application, relation checks, alias and
// attributes, deleting one way and both, the blacklist refusing a blocked user's messages
// with 6000284, and a reinstalled app reading the same lists from the server.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith, waitFor } = require('./harness');

const EVENTS = [
  'friendListChanged',
  'friendInfoUpdated',
  'friendApplicationListChanged',
  'friendApplicationUpdated',
  'blacklistChanged',
  'receivePeerMessage',
  'peerMessageReceived',
  'error',
];

// A phone with the friend events recorded; `waitData(name, pred)` on their data objects
// (friend events have no 1.x positional form: both styles get the data object).
async function user(t, srv, id, style) {
  const d = await app(t, srv, id, style, EVENTS);
  d.waitData = async (name, pred) => (await d.wait(name, (data) => !pred || pred(data), id + ' gets ' + name))[0];
  return d;
}

const ids = (list) => list.map((u) => u.userID);

for (const style of ['1.x', '2.x']) {
  test(`friends (${style}): add, check, alias, attributes, applications, delete`, async (t) => {
    const srv = await server(t);
    const alice = await user(t, srv, 'alice', style);
    const bob = await user(t, srv, 'bob', style);
    const carol = await user(t, srv, 'carol', style);

    await rejectsWith(alice.zim.addFriend('alice', { friendAlias: '', friendAttributes: {}, wording: '' }), 6000810);
    await rejectsWith(alice.zim.addFriend('nobody', { friendAlias: '', friendAttributes: {}, wording: '' }), 6000811);
    await rejectsWith(alice.zim.queryFriendList({ count: 0 }), 6000001);

    const added = plain(await alice.zim.addFriend('bob', { friendAlias: 'Bobby', friendAttributes: { k0: 'red' }, wording: 'hi' }));
    assert.equal(added.friendInfo.userID, 'bob');
    assert.equal(added.friendInfo.userName, 'BOB');
    assert.equal(added.friendInfo.friendAlias, 'Bobby');
    assert.deepEqual(added.friendInfo.friendAttributes, { k0: 'red' });
    assert.equal(added.friendInfo.wording, 'hi');
    assert.equal(typeof added.friendInfo.createTime, 'number');
    const bobs = await bob.waitData('friendListChanged');
    assert.deepEqual([bobs.action, ids(bobs.friendList)], [0, ['alice']]);
    assert.equal((await alice.waitData('friendListChanged')).friendList[0].friendAlias, 'Bobby');
    await rejectsWith(alice.zim.addFriend('bob', { friendAlias: '', friendAttributes: {}, wording: '' }), 6000803);

    const rel = plain(await alice.zim.checkFriendsRelation(['bob', 'carol'], { type: 0 }));
    assert.deepEqual(rel.relationInfos, [
      { type: 6, userID: 'bob' },
      { type: 3, userID: 'carol' },
    ]);
    assert.deepEqual(rel.errorUserList, []);

    assert.equal(plain(await alice.zim.updateFriendAlias('B', 'bob')).friendInfo.friendAlias, 'B');
    assert.equal((await alice.waitData('friendInfoUpdated')).friendList[0].friendAlias, 'B');
    const attrs = plain(await alice.zim.updateFriendAttributes({ k1: 'tall' }, 'bob'));
    assert.deepEqual(attrs.friendInfo.friendAttributes, { k0: 'red', k1: 'tall' });
    await rejectsWith(alice.zim.updateFriendAttributes({ color: 'red' }, 'bob'), 6000001);
    await rejectsWith(alice.zim.updateFriendAlias('C', 'carol'), 6000812);
    const info = plain(await alice.zim.queryFriendsInfo(['bob', 'carol']));
    assert.deepEqual(ids(info.friendInfos), ['bob']);
    assert.deepEqual(info.errorUserList, [{ userID: 'carol', reason: 6000812 }]);

    // An application: carol sees it received, answers it; both are told.
    const sent = plain(await alice.zim.sendFriendApplication('carol', { wording: 'hello', friendAlias: 'Caz', friendAttributes: {} }));
    assert.deepEqual([sent.applicationInfo.type, sent.applicationInfo.state, sent.applicationInfo.applyUser.userID], [2, 1, 'carol']);
    const received = await carol.waitData('friendApplicationListChanged');
    assert.deepEqual(
      [received.action, received.applicationList[0].type, received.applicationList[0].applyUser.userID, received.applicationList[0].wording],
      [0, 1, 'alice', 'hello'],
    );
    const listed = plain(await carol.zim.queryFriendApplicationList({ count: 10 }));
    assert.deepEqual(listed.applicationList.map((a) => [a.type, a.state, a.applyUser.userName]), [[1, 1, 'ALICE']]);
    assert.equal(listed.nextFlag, 0);
    const accepted = plain(await carol.zim.acceptFriendApplication('alice', { friendAlias: 'Al', friendAttributes: {} }));
    assert.deepEqual([accepted.friendInfo.userID, accepted.friendInfo.friendAlias], ['alice', 'Al']);
    const update = await alice.waitData('friendApplicationUpdated');
    assert.equal(update.applicationList[0].state, 2);
    await alice.waitData('friendListChanged', (d) => ids(d.friendList).includes('carol'));
    await rejectsWith(carol.zim.rejectFriendApplication('alice', {}), 6000802);

    // Paged list, oldest first.
    const first = plain(await alice.zim.queryFriendList({ count: 1 }));
    assert.deepEqual(ids(first.friendList), ['bob']);
    assert.notEqual(first.nextFlag, 0);
    const second = plain(await alice.zim.queryFriendList({ count: 1, nextFlag: first.nextFlag }));
    assert.deepEqual(ids(second.friendList), ['carol']);
    assert.equal(second.friendList[0].friendAlias, 'Caz');
    assert.equal(second.nextFlag, 0);

    // One way, then both ways.
    assert.deepEqual(plain(await alice.zim.deleteFriends(['bob'], { type: 1 })), { errorUserList: [] });
    assert.deepEqual(plain(await bob.zim.checkFriendsRelation(['alice'], { type: 0 })).relationInfos, [{ type: 4, userID: 'alice' }]);
    await alice.zim.deleteFriends(['carol'], { type: 0 });
    const gone = await carol.waitData('friendListChanged', (d) => d.action === 1);
    assert.deepEqual(ids(gone.friendList), ['alice']);
    assert.deepEqual(plain(await carol.zim.queryFriendList({ count: 10 })).friendList, []);
  });

  test(`blacklist (${style}): a blocked user's messages are refused and not stored; a reinstall sees the same lists`, async (t) => {
    const srv = await server(t);
    const alice = await user(t, srv, 'alice', style);
    const bob = await user(t, srv, 'bob', style);
    await alice.zim.addFriend('bob', { friendAlias: 'Bobby', friendAttributes: {}, wording: '' });

    const added = plain(await bob.zim.addUsersToBlacklist(['alice', 'bob']));
    assert.deepEqual(added.errorUserList, [{ userID: 'bob', reason: 6000805 }]);
    const changed = await bob.waitData('blacklistChanged');
    assert.deepEqual([changed.action, ids(changed.userList)], [0, ['alice']]);
    assert.deepEqual(plain(await bob.zim.checkUserIsInBlacklist('alice')), { isUserInBlacklist: true });
    const list = plain(await bob.zim.queryBlacklist({ count: 10 }));
    assert.deepEqual([ids(list.blacklist), list.blacklist[0].userName, list.nextFlag], [['alice'], 'ALICE', 0]);

    // Refused with ZIM's code; bob never gets it, and it is not in his history.
    await rejectsWith(alice.zim.sendMessage({ type: 1, message: 'blocked' }, 'bob', 0, { priority: 1 }), 6000284);
    // Pipelined sends: each one is refused with the code (the second, sent behind the first,
    // is not left waiting for a predecessor that will never be stored).
    const pipelined = ['b1', 'b2'].map((m) => alice.zim.sendMessage({ type: 1, message: m }, 'bob', 0, { priority: 1 }));
    for (const p of pipelined) await rejectsWith(p, 6000284);
    // Bob can still write to her; blocking kept the friendship.
    await bob.zim.sendMessage({ type: 1, message: 'from bob' }, 'alice', 0, { priority: 1 });
    const history = plain(await bob.zim.queryHistoryMessage('alice', 0, { count: 10, reverse: false }));
    assert.deepEqual(
      history.messageList.map((m) => m.message),
      ['from bob'],
    );
    assert.equal(bob.all('receivePeerMessage').length + bob.all('peerMessageReceived').length, 0);
    assert.deepEqual(plain(await bob.zim.checkFriendsRelation(['alice'], { type: 0 })).relationInfos, [{ type: 6, userID: 'alice' }]);

    // A reinstalled app (a fresh code package and instance) reads the same lists.
    bob.zim.logout();
    const again = await user(t, srv, 'bob', style);
    assert.deepEqual(ids(plain(await again.zim.queryBlacklist({ count: 10 })).blacklist), ['alice']);
    assert.deepEqual(ids(plain(await again.zim.queryFriendList({ count: 10 })).friendList), ['alice']);

    // Unblocked: her messages arrive again.
    assert.deepEqual(plain(await again.zim.removeUsersFromBlacklist(['alice', 'carol'])).errorUserList, [{ userID: 'carol', reason: 6000807 }]);
    assert.equal((await again.waitData('blacklistChanged')).action, 1);
    await alice.zim.sendMessage({ type: 1, message: 'hello again' }, 'bob', 0, { priority: 1 });
    await waitFor(() => again.events().find((e) => e[0] === 'receivePeerMessage' || e[0] === 'peerMessageReceived'), 'bob receives after the unblock');
    assert.deepEqual(plain(await again.zim.checkUserIsInBlacklist('alice')), { isUserInBlacklist: false });
  });
}
