'use strict';
// The groups area in the strict stand-in against the real server, in both callback styles:
// a group's life from creation with members to dismissal, roles, mute, attributes, member
// paging, and applications under each join mode and invitations under each be-invite mode.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith } = require('./harness');

const EVENTS = [
  'groupStateChanged',
  'groupMemberStateChanged',
  'groupMemberInfoUpdated',
  'groupNameUpdated',
  'groupAvatarUrlUpdated',
  'groupNoticeUpdated',
  'groupAliasUpdated',
  'groupAttributesUpdated',
  'groupMutedInfoUpdated',
  'groupVerifyInfoUpdated',
  'groupApplicationListChanged',
  'groupApplicationUpdated',
  'error',
];

// ZIM 1.x's positional arguments of the events that have them (the others get the data
// object in both styles). Written out here, apart from the SDK's own table, so the test
// checks the SDK against ZIM's order.
const POSITIONAL = {
  groupStateChanged: ['state', 'event', 'operatedInfo', 'groupInfo'],
  groupMemberStateChanged: ['state', 'event', 'userList', 'operatedInfo', 'groupID'],
  groupMemberInfoUpdated: ['userList', 'operatedInfo', 'groupID'],
  groupNameUpdated: ['groupName', 'operatedInfo', 'groupID'],
  groupAvatarUrlUpdated: ['groupAvatarUrl', 'operatedInfo', 'groupID'],
  groupNoticeUpdated: ['groupNotice', 'operatedInfo', 'groupID'],
  groupAttributesUpdated: ['infoList', 'operatedInfo', 'groupID'],
};

// A recorded event's arguments as ZIM's 2.x data object, whatever the style.
function dataOf(style, name, args) {
  const fields = POSITIONAL[name];
  if (style === '2.x' || !fields) return args[0];
  const d = {};
  fields.forEach((f, i) => (d[f] = args[i]));
  // No argument beyond ZIM's (the recorder keeps five).
  assert.ok(args.slice(fields.length).every((a) => a === null || a === undefined), name + ': ' + JSON.stringify(args));
  return d;
}

// A phone with every group event recorded, and `wait(name, pred)` on the data objects.
async function member(t, srv, id, style) {
  const d = await app(t, srv, id, style, EVENTS);
  d.data = (name) => d.all(name).map((args) => dataOf(style, name, args));
  d.waitData = async (name, pred, what) => {
    const args = await d.wait(name, (...a) => !pred || pred(dataOf(style, name, a)), what || id + ' gets ' + name);
    return dataOf(style, name, args);
  };
  return d;
}

const ids = (list) => list.map((m) => m.userID);

for (const style of ['1.x', '2.x']) {
  test(`groups (${style}): create with members, roles, mute, attributes, paging, kick, dismissal`, async (t) => {
    const srv = await server(t);
    const alice = await member(t, srv, 'alice', style);
    const bob = await member(t, srv, 'bob', style);
    const carol = await member(t, srv, 'carol', style);
    const dave = await member(t, srv, 'dave', style);

    const created = plain(
      await alice.zim.createGroup({ groupID: 'team', groupName: 'Team', groupAvatarUrl: 'https://x/t.png' }, ['bob', 'carol'], {
        groupNotice: 'be kind',
        groupAttributes: { topic: 'rust' },
        joinMode: 0,
      }),
    );
    assert.equal(created.groupInfo.baseInfo.groupID, 'team');
    assert.equal(created.groupInfo.groupNotice, 'be kind');
    assert.deepEqual(created.groupInfo.groupAttributes, { topic: 'rust' });
    assert.equal(created.groupInfo.maxMemberCount, 10000);
    assert.deepEqual(created.groupInfo.verifyInfo, { joinMode: 0, inviteMode: 0, beInviteMode: 0 });
    assert.deepEqual(
      created.userList.map((m) => [m.userID, m.userName, m.memberRole, m.groupEnterInfo.enterType]),
      [
        ['alice', 'ALICE', 1, 1],
        ['bob', 'BOB', 3, 4],
        ['carol', 'CAROL', 3, 4],
      ],
    );
    assert.equal(created.userList[1].groupEnterInfo.operatedUser.userID, 'alice');
    assert.deepEqual(created.errorUserList, []);

    // The creator and each invited member are told they are in.
    const mine = await alice.waitData('groupStateChanged');
    assert.deepEqual([mine.state, mine.event, mine.groupInfo.baseInfo.groupName], [1, 1, 'Team']);
    const bobs = await bob.waitData('groupStateChanged');
    assert.deepEqual([bobs.state, bobs.event, bobs.operatedInfo.userID], [1, 4, 'alice']);
    const entered = await carol.waitData('groupMemberStateChanged');
    assert.deepEqual([entered.groupID, entered.state, entered.event, ids(entered.userList)], ['team', 1, 5, ['bob', 'carol']]);

    // Queries answer the current state (what an offline member reads at login).
    const list = plain(await bob.zim.queryGroupList());
    assert.deepEqual(list.groupList.map((g) => g.baseInfo.groupID), ['team']);
    assert.equal(list.nextFlag, 0);
    assert.equal(plain(await bob.zim.queryGroupInfo('team')).groupInfo.groupNotice, 'be kind');
    assert.deepEqual(plain(await bob.zim.queryGroupMemberCount('team')), { groupID: 'team', count: 3 });

    // Join mode any: dave joins; everyone hears it.
    assert.equal(plain(await dave.zim.joinGroup('team')).groupInfo.baseInfo.groupID, 'team');
    const joined = await alice.waitData('groupMemberStateChanged', (d) => d.event === 1);
    assert.deepEqual([joined.state, ids(joined.userList)], [1, ['dave']]);

    // Profile: any member changes it; every member is told.
    assert.deepEqual(plain(await carol.zim.updateGroupName('Team 2', 'team')), { groupID: 'team', groupName: 'Team 2' });
    const renamed = await bob.waitData('groupNameUpdated');
    assert.deepEqual([renamed.groupID, renamed.groupName, renamed.operatedInfo.userID], ['team', 'Team 2', 'carol']);
    await carol.zim.updateGroupNotice('be very kind', 'team');
    assert.equal((await dave.waitData('groupNoticeUpdated')).groupNotice, 'be very kind');
    await carol.zim.updateGroupAvatarUrl('https://x/2.png', 'team');
    assert.equal((await alice.waitData('groupAvatarUrlUpdated')).groupAvatarUrl, 'https://x/2.png');
    // An alias is the caller's own.
    assert.deepEqual(plain(await bob.zim.updateGroupAlias('my team', 'team')), { groupID: 'team', groupAlias: 'my team' });
    assert.deepEqual(await bob.waitData('groupAliasUpdated'), { groupID: 'team', groupAlias: 'my team', operatedUserID: 'bob' });
    assert.equal(plain(await bob.zim.queryGroupInfo('team')).groupInfo.groupAlias, 'my team');
    assert.equal(plain(await alice.zim.queryGroupInfo('team')).groupInfo.groupAlias, '');

    // Attributes.
    assert.deepEqual(plain(await dave.zim.setGroupAttributes({ level: '2', topic: 'go' }, 'team')), { groupID: 'team', errorKeys: [] });
    const set = await alice.waitData('groupAttributesUpdated');
    assert.deepEqual(set.infoList, [{ action: 0, groupAttributes: { level: '2', topic: 'go' } }]);
    assert.deepEqual(plain(await alice.zim.deleteGroupAttributes(['level', 'nope'], 'team')).errorKeys, ['nope']);
    const deleted = await dave.waitData('groupAttributesUpdated', (d) => d.infoList[0].action === 1);
    assert.deepEqual(Object.keys(deleted.infoList[0].groupAttributes), ['level']);
    assert.deepEqual(plain(await carol.zim.queryGroupAllAttributes('team')).groupAttributes, { topic: 'go' });
    assert.deepEqual(plain(await carol.zim.queryGroupAttributes(['topic', 'level'], 'team')).groupAttributes, { topic: 'go' });
    await rejectsWith(carol.zim.setGroupAttributes({ ['k'.repeat(65)]: 'v' }, 'team'), 6000532);

    // Roles are enforced: a regular member may not kick; the owner makes bob an admin, who may.
    await rejectsWith(carol.zim.kickGroupMembers(['dave'], 'team'), 6000541);
    await rejectsWith(carol.zim.setGroupMemberRole(2, 'carol', 'team'), 6000541);
    assert.deepEqual(plain(await alice.zim.setGroupMemberRole(2, 'bob', 'team')), { groupID: 'team', forUserID: 'bob', role: 2 });
    const promoted = await carol.waitData('groupMemberInfoUpdated', (d) => d.userList[0].userID === 'bob');
    assert.equal(promoted.userList[0].memberRole, 2);
    // An admin kicks regular members only: the owner is listed with 6000541.
    const notOwner = plain(await bob.zim.kickGroupMembers(['alice'], 'team'));
    assert.deepEqual([notOwner.kickedUserIDs, notOwner.errorUserList], [[], [{ userID: 'alice', reason: 6000541 }]]);
    await carol.zim.setGroupMemberNickname('Caz', 'carol', 'team');
    await rejectsWith(carol.zim.setGroupMemberNickname('D', 'dave', 'team'), 6000541);
    assert.equal((await alice.waitData('groupMemberInfoUpdated', (d) => d.userList[0].memberNickname === 'Caz')).operatedInfo.userID, 'carol');

    // Member pages, two at a time, in join order.
    const seen = [];
    let nextFlag = 0;
    for (;;) {
      const page = plain(await carol.zim.queryGroupMemberList('team', { nextFlag, count: 2 }));
      assert.ok(page.userList.length <= 2);
      seen.push(...ids(page.userList));
      nextFlag = page.nextFlag;
      if (!nextFlag) break;
    }
    assert.deepEqual(seen, ['alice', 'bob', 'carol', 'dave']);
    const bobInfo = plain(await carol.zim.queryGroupMemberInfo('bob', 'team')).userInfo;
    assert.deepEqual([bobInfo.memberRole, bobInfo.userName], [2, 'BOB']);

    // Mute: the admin mutes a member; the muted list shows them; the owner mutes the group.
    const muted = plain(await bob.zim.muteGroupMembers(true, ['carol'], 'team', { duration: 600 }));
    assert.deepEqual([muted.isMute, muted.duration, muted.mutedUserIDs], [true, 600, ['carol']]);
    const told = await carol.waitData('groupMemberInfoUpdated', (d) => d.userList[0].muteExpiredTime > 0);
    assert.ok(told.userList[0].muteExpiredTime > Date.now() / 1000);
    assert.deepEqual(ids(plain(await dave.zim.queryGroupMemberMutedList('team', { nextFlag: 0, count: 10 })).userList), ['carol']);
    const groupMute = plain(await alice.zim.muteGroup(true, 'team', { mode: 1, duration: -1, roles: [] }));
    assert.deepEqual(groupMute.mutedInfo, { mode: 1, expiredTime: -1, roles: [] });
    assert.deepEqual((await dave.waitData('groupMutedInfoUpdated')).mutedInfo, { mode: 1, expiredTime: -1, roles: [] });
    await rejectsWith(bob.zim.muteGroup(true, 'team', { mode: 2, duration: 60 }), 6000541);

    // Modes: the admin changes the join mode; members are told.
    assert.deepEqual(plain(await bob.zim.updateGroupJoinMode(1, 'team')), { groupID: 'team', mode: 1 });
    assert.deepEqual((await carol.waitData('groupVerifyInfoUpdated')).verifyInfo, { joinMode: 1, inviteMode: 0, beInviteMode: 0 });

    // Kick: dave is out and told so; the others hear it; dave reads no more.
    assert.deepEqual(plain(await bob.zim.kickGroupMembers(['dave'], 'team')).kickedUserIDs, ['dave']);
    const out = await dave.waitData('groupStateChanged', (d) => d.state === 0);
    assert.deepEqual([out.event, out.operatedInfo.userID], [6, 'bob']);
    const kicked = await carol.waitData('groupMemberStateChanged', (d) => d.event === 4);
    assert.deepEqual([kicked.state, ids(kicked.userList)], [0, ['dave']]);
    await rejectsWith(dave.zim.queryGroupMemberCount('team'), 6000521);
    assert.deepEqual(plain(await dave.zim.queryGroupList()).groupList, []);

    // Ownership moves; the old owner leaves; the new one dismisses, and every member hears it.
    assert.deepEqual(plain(await alice.zim.transferGroupOwner('bob', 'team')), { groupID: 'team', toUserID: 'bob' });
    const moved = await carol.waitData('groupMemberInfoUpdated', (d) => d.userList.some((m) => m.userID === 'bob' && m.memberRole === 1));
    assert.deepEqual(moved.userList.map((m) => [m.userID, m.memberRole]), [['bob', 1], ['alice', 3]]);
    await rejectsWith(alice.zim.dismissGroup('team'), 6000541);
    assert.deepEqual(plain(await alice.zim.leaveGroup('team')), { groupID: 'team' });
    assert.equal((await alice.waitData('groupStateChanged', (d) => d.state === 0)).event, 5);
    await carol.waitData('groupMemberStateChanged', (d) => d.event === 2 && d.userList[0].userID === 'alice');
    assert.deepEqual(plain(await bob.zim.dismissGroup('team')), { groupID: 'team' });
    for (const m of [bob, carol]) {
      const gone = await m.waitData('groupStateChanged', (d) => d.event === 2);
      assert.deepEqual([gone.state, gone.operatedInfo.userID, gone.groupInfo.baseInfo.groupID], [0, 'bob', 'team']);
    }
    await rejectsWith(carol.zim.queryGroupInfo('team'), 6000523);
    for (const m of [alice, bob, carol, dave]) assert.deepEqual(m.all('error'), []);
  });

  test(`groups (${style}): an application accepted under each join mode, invitations under each be-invite mode`, async (t) => {
    const srv = await server(t);
    const owner = await member(t, srv, 'owner', style);
    const ann = await member(t, srv, 'ann', style);
    const ben = await member(t, srv, 'ben', style);
    const cat = await member(t, srv, 'cat', style);

    // Join mode any: no application is needed; sending one joins at once.
    await owner.zim.createGroup({ groupID: 'open', groupName: 'Open' }, [], { joinMode: 0 });
    assert.deepEqual(plain(await ann.zim.sendGroupJoinApplication('open', { wording: 'hi' })), { groupID: 'open' });
    const inOpen = await ann.waitData('groupStateChanged', (d) => d.groupInfo.baseInfo.groupID === 'open');
    assert.deepEqual([inOpen.state, inOpen.event], [1, 3]);
    assert.equal(plain(await ann.zim.queryGroupMemberCount('open')).count, 2);

    // Join mode auth: joinGroup is refused; an application waits for the owner, who accepts.
    await owner.zim.createGroup({ groupID: 'auth', groupName: 'Auth' }, [], { joinMode: 1 });
    await rejectsWith(ben.zim.joinGroup('auth'), 6000543);
    await ben.zim.sendGroupJoinApplication('auth', { wording: 'please' });
    const asked = await owner.waitData('groupApplicationListChanged');
    assert.equal(asked.action, 0);
    const a = asked.applicationList[0];
    assert.deepEqual([a.type, a.state, a.applyUser.userID, a.wording, a.groupInfo.groupID], [1, 1, 'ben', 'please', 'auth']);
    const waiting = plain(await owner.zim.queryGroupApplicationList({ nextFlag: 0, count: 10 }));
    assert.deepEqual(waiting.applicationList.map((x) => [x.applyUser.userID, x.state]), [['ben', 1]]);
    await rejectsWith(ann.zim.acceptGroupJoinApplication('ben', 'auth', {}), 6000521);
    assert.deepEqual(plain(await owner.zim.acceptGroupJoinApplication('ben', 'auth', {})), { groupID: 'auth', userID: 'ben' });
    const inAuth = await ben.waitData('groupStateChanged', (d) => d.groupInfo.baseInfo.groupID === 'auth');
    assert.deepEqual([inAuth.state, inAuth.event, inAuth.operatedInfo.userID], [1, 3, 'owner']);
    const answered = await ben.waitData('groupApplicationUpdated');
    assert.deepEqual([answered.applicationList[0].state, answered.applicationList[0].operatedUser.userID], [2, 'owner']);
    const benInfo = plain(await owner.zim.queryGroupMemberInfo('ben', 'auth')).userInfo;
    assert.equal(benInfo.groupEnterInfo.enterType, 2);
    // Another applicant is rejected and stays out.
    await cat.zim.sendGroupJoinApplication('auth', { wording: '' });
    await owner.waitData('groupApplicationListChanged', (d) => d.applicationList[0].applyUser.userID === 'cat');
    await owner.zim.rejectGroupJoinApplication('cat', 'auth', {});
    assert.equal((await cat.waitData('groupApplicationUpdated')).applicationList[0].state, 3);
    await rejectsWith(cat.zim.queryGroupMemberCount('auth'), 6000521);

    // Join mode forbid: only an invitation gets one in. Be-invite mode auth: the invitee
    // accepts (or rejects) the owner's invitation.
    await owner.zim.createGroup({ groupID: 'closed', groupName: 'Closed' }, [], { joinMode: 2, beInviteMode: 1 });
    await rejectsWith(cat.zim.joinGroup('closed'), 6000542);
    await rejectsWith(cat.zim.sendGroupJoinApplication('closed', {}), 6000542);
    await rejectsWith(owner.zim.inviteUsersIntoGroup(['cat'], 'closed'), 6000544);
    assert.deepEqual(plain(await owner.zim.sendGroupInviteApplications(['cat', 'ann'], 'closed', { wording: 'come' })).errorUserList, []);
    const invitation = (await cat.waitData('groupApplicationListChanged')).applicationList[0];
    assert.deepEqual([invitation.type, invitation.state, invitation.applyUser.userID, invitation.wording], [3, 1, 'owner', 'come']);
    const accepted = plain(await cat.zim.acceptGroupInviteApplication('owner', 'closed', {}));
    assert.deepEqual([accepted.groupInfo.baseInfo.groupID, accepted.inviterUserID], ['closed', 'owner']);
    const inClosed = await cat.waitData('groupStateChanged', (d) => d.groupInfo.baseInfo.groupID === 'closed');
    assert.deepEqual([inClosed.state, inClosed.event], [1, 4]);
    const toInviter = await owner.waitData('groupApplicationUpdated', (d) => d.applicationList[0].groupInfo.groupID === 'closed');
    assert.deepEqual([toInviter.applicationList[0].type, toInviter.applicationList[0].state], [2, 2]);
    await ann.waitData('groupApplicationListChanged', (d) => d.applicationList[0].groupInfo.groupID === 'closed');
    assert.deepEqual(plain(await ann.zim.rejectGroupInviteApplication('owner', 'closed', {})), { groupID: 'closed', inviterUserID: 'owner' });
    await rejectsWith(ann.zim.acceptGroupInviteApplication('owner', 'closed', {}), 6000501);
    assert.equal(plain(await owner.zim.queryGroupMemberCount('closed')).count, 2);
    const mine = plain(await ann.zim.queryGroupApplicationList({ nextFlag: 0, count: 10 }));
    assert.deepEqual(mine.applicationList.map((x) => [x.groupInfo.groupID, x.type, x.state]), [['closed', 3, 3]]);

    // Be-invite mode none: invitations need no consent; the invitee is in at once.
    await owner.zim.updateGroupBeInviteMode(0, 'closed');
    await owner.zim.sendGroupInviteApplications(['ann'], 'closed', {});
    const annIn = await ann.waitData('groupStateChanged', (d) => d.groupInfo.baseInfo.groupID === 'closed');
    assert.deepEqual([annIn.state, annIn.event], [1, 4]);

    // Both pages of the owner's list, newest first: the answered join applications and the
    // invitations they sent.
    const p1 = plain(await owner.zim.queryGroupApplicationList({ nextFlag: 0, count: 2 }));
    const p2 = plain(await owner.zim.queryGroupApplicationList({ nextFlag: p1.nextFlag, count: 2 }));
    assert.equal(p2.nextFlag, 0);
    assert.deepEqual(
      [...p1.applicationList, ...p2.applicationList].map((x) => [x.groupInfo.groupID, x.type, x.state]),
      [
        ['closed', 2, 3],
        ['closed', 2, 2],
        ['auth', 1, 3],
        ['auth', 1, 2],
      ],
    );
    // queryGroupList(count, { nextFlag, userIDs }): the groups the caller shares with them.
    const shared = plain(await owner.zim.queryGroupList(10, { nextFlag: 0, userIDs: ['ann'] }));
    assert.deepEqual(shared.groupList.map((g) => g.baseInfo.groupID), ['open', 'closed']);
    for (const m of [owner, ann, ben, cat]) assert.deepEqual(m.all('error'), []);
  });
}

test('groups: bad arguments are refused with 6000001 before anything is sent, naming the field', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', []);
  await assert.rejects(alice.zim.updateGroupName('x'.repeat(101), 'g'), (e) => e.code === 6000001 && /groupName/.test(e.message));
  await assert.rejects(alice.zim.joinGroup('not ok'), (e) => e.code === 6000001 && /groupID/.test(e.message));
  await assert.rejects(alice.zim.inviteUsersIntoGroup(['ok', 'not ok'], 'g'), (e) => e.code === 6000001 && /userIDs\[1\]/.test(e.message));
  await rejectsWith(alice.zim.createGroup({ groupID: 'g', groupName: 'G' }, Array.from({ length: 101 }, (_, i) => 'u' + i)), 6000001);
  await rejectsWith(alice.zim.queryGroupMemberList('nope', { nextFlag: 0, count: 10 }), 6000523);
  // An empty group ID lets the server choose one.
  const made = plain(await alice.zim.createGroup({ groupID: '', groupName: 'Auto' }, []));
  assert.match(made.groupInfo.baseInfo.groupID, /^\d+$/);
});
