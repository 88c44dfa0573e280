'use strict';
// The users area in the strict stand-in against the real server: profiles read and changed,
// the user's own settings, userInfoUpdated and userRuleUpdated in both callback styles,
// ZIM's errors; and the rest of ZIM's first area (uploadLog, callExperimentalAPI,
// setGeofencingConfig, the 2.2x enum names on the class). Presence is presence.test.js.

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

for (const style of ['1.x', '2.x']) {
  test(`users (${style}): the offline push rule and badge are kept and returned, userRuleUpdated, querySelfUserInfo`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, ['userRuleUpdated', 'error']);
    const rule = { onlinePlatforms: [6, 7], notToReceiveOfflinePushPlatforms: [2] };
    assert.deepEqual(plain(await alice.zim.updateUserOfflinePushRule(rule)), { offlinePushRule: rule });
    // userRuleUpdated has no 1.x form: both styles get ZIM's data object { userRule }.
    const [data] = await alice.wait('userRuleUpdated');
    assert.deepEqual(data, { userRule: { offlinePushRule: rule } });
    assert.equal(await alice.zim.updateUserBadge(3), undefined);
    await rejectsWith(alice.zim.updateUserBadge(-1), 6000001);
    await rejectsWith(alice.zim.updateUserOfflinePushRule({ onlinePlatforms: [256] }), 6000001);

    // Another login of alice reads them from the server, with her own status.
    const again = await app(t, srv, 'alice', style, []);
    const { selfUserInfo } = plain(await again.zim.querySelfUserInfo());
    assert.deepEqual(selfUserInfo.userRule, { offlinePushRule: rule });
    assert.equal(selfUserInfo.userStatus.userID, 'alice');
    assert.equal(selfUserInfo.userStatus.onlineStatus, 0);
    assert.deepEqual(alice.all('error'), []);
  });
}

test("the rest of ZIM's first area: uploadLog, callExperimentalAPI, setGeofencingConfig, 2.2x enum names", async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', []);
  const { zim, ZIM } = alice;
  assert.equal(await zim.uploadLog(), undefined);
  await assert.rejects(zim.callExperimentalAPI('{"method":"querySDKDomainInfo","params":{}}'), (e) => {
    assert.equal(e.code, 6000001);
    assert.match(e.message, /not supported/);
    return true;
  });
  await rejectsWith(zim.callExperimentalAPI('not json'), 6000001);
  assert.equal(ZIM.setGeofencingConfig([2], 1), false);
  // Apps written for ZIM 2.2x read the enums on the class.
  assert.equal(ZIM.MessageType.Text, 1);
  assert.equal(ZIM.ConversationType.Group, 2);
  assert.equal(ZIM.CallUserState.BeCancelled, 10);
  assert.equal(ZIM.MessageRevokeStatus.ServiceAPIRevoke, 2);
  assert.equal(ZIM.ConnectionState[2], 'Connected', 'values map back to names, as in ZIM');
});
