'use strict';
// The users area in the strict stand-in against the real server: profiles read and changed,
// userInfoUpdated in both callback styles, ZIM's errors.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith } = require('./harness');

for (const style of ['1.x', '2.x']) {
  test(`users (${style}): update the own profile, others read it, the server keeps it`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, ['userInfoUpdated', 'error']);
    const bob = await app(t, srv, 'bob', style, []);

    assert.deepEqual(plain(await alice.zim.updateUserName('Alice L.')), { userName: 'Alice L.' });
    assert.deepEqual(plain(await alice.zim.updateUserAvatarUrl('https://x/a.png')), { userAvatarUrl: 'https://x/a.png' });
    assert.deepEqual(plain(await alice.zim.updateUserExtendedData('{"age":7}')), { extendedData: '{"age":7}' });
    // userInfoUpdated has no 1.x form: both styles get ZIM's data object { info }.
    const [data] = await alice.wait('userInfoUpdated', (d) => d.info.extendedData === '{"age":7}');
    assert.deepEqual(data.info.baseInfo, {
      userID: 'alice',
      userName: 'Alice L.',
      userAvatarUrl: 'https://x/a.png',
      userExtendedData: '{"age":7}',
    });

    const self = plain(await alice.zim.querySelfUserInfo());
    assert.equal(self.selfUserInfo.userFullInfo.baseInfo.userName, 'Alice L.');
    assert.equal(self.selfUserInfo.userFullInfo.userAvatarUrl, 'https://x/a.png');

    const r = plain(await bob.zim.queryUsersInfo(['alice', 'nobody'], { isQueryFromServer: true }));
    assert.deepEqual(
      r.userList.map((u) => [u.baseInfo.userID, u.baseInfo.userName, u.extendedData]),
      [['alice', 'Alice L.', '{"age":7}']],
    );
    assert.deepEqual(r.errorUserList, [{ userID: 'nobody', reason: 6000011 }]);
    // Logging in sets the name given at login (BOB), as ZIM's login does.
    const bobSelf = plain(await bob.zim.querySelfUserInfo());
    assert.equal(bobSelf.selfUserInfo.userFullInfo.baseInfo.userName, 'BOB');
    assert.deepEqual(alice.all('error'), []);
  });
}

test('users: bad arguments are refused with 6000001 before anything is sent, naming the field', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', []);
  await rejectsWith(alice.zim.updateUserName('x'.repeat(33)), 6000001);
  await assert.rejects(alice.zim.updateUserName(42), (e) => e.code === 6000001 && /userName/.test(e.message));
  await assert.rejects(alice.zim.queryUsersInfo(['ok', 'not ok'], {}), (e) => e.code === 6000001 && /userIDs\[1\]/.test(e.message));
  await rejectsWith(alice.zim.queryUsersInfo('alice', {}), 6000001);
  await rejectsWith(alice.zim.updateUserAvatarUrl(Symbol('x')), 6000001);
  await rejectsWith(alice.zim.queryUsersInfo(Array.from({ length: 11 }, (_, i) => 'u' + i), {}), 6000012);
});
