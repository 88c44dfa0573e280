'use strict';
// The rest of rooms in the strict stand-in against the real server: ZIM's advanced config,
// switchRoom, leaveAllRoom, queryRoomMembers, room attributes (set, batch, delete, owners,
// limits) and room member attributes, with their events in both callback styles.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith, waitFor } = require('./harness');
const { sleep } = require('../js/server');

const EVENTS = ['roomAttributesUpdated', 'roomAttributesBatchUpdated', 'roomMemberAttributesUpdated', 'roomStateChanged', 'error'];

// roomStateChanged in either style, as { roomID, state, event }.
function roomStates(d) {
  return d.all('roomStateChanged').map((a) => (a[0] && typeof a[0] === 'object' ? a[0] : { state: a[0], event: a[1], roomID: a[3] }));
}

const keep = { isForce: false, isDeleteAfterOwnerLeft: false, isUpdateOwner: false };

for (const style of ['1.x', '2.x']) {
  test(`rooms (${style}): attributes set, batch-updated, deleted and seen by another member`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const a = alice.zim;
    const b = bob.zim;

    // Created with attributes (owned by alice); bob enters and reads them.
    const created = plain(await a.createRoom({ roomID: 'stage', roomName: 'Stage' }, { roomAttributes: { seat1: 'alice' }, roomDestroyDelayTime: 0 }));
    assert.deepEqual(created, { roomInfo: { baseInfo: { roomID: 'stage', roomName: 'Stage' } } });
    await waitFor(() => roomStates(alice).some((s) => s.roomID === 'stage' && s.state === 2 && s.event === 4), 'alice: stage connected (ActiveCreate)');
    assert.deepEqual(plain(await b.enterRoom({ roomID: 'stage', roomName: 'ignored' })), created);
    await waitFor(() => roomStates(bob).some((s) => s.roomID === 'stage' && s.state === 2 && s.event === 6), 'bob: stage connected (ActiveEnter)');
    assert.deepEqual(plain(await b.queryRoomAllAttributes('stage')), { roomID: 'stage', roomAttributes: { seat1: 'alice' } });

    // A set: every member hears it (data object in both styles: the event has no 1.x form).
    const set = plain(await a.setRoomAttributes({ seat2: 'carol', topic: 'hi' }, 'stage', { isForce: false, isDeleteAfterOwnerLeft: true, isUpdateOwner: false }));
    assert.deepEqual(set, { roomID: 'stage', errorKeys: [] });
    const [upd] = await bob.wait('roomAttributesUpdated', (d) => d.infos.some((i) => i.roomAttributes.seat2 === 'carol'));
    assert.deepEqual(upd, { roomID: 'stage', infos: [{ action: 0, roomAttributes: { seat2: 'carol', topic: 'hi' } }] });
    await alice.wait('roomAttributesUpdated', (d) => d.infos.some((i) => i.roomAttributes.topic === 'hi'), 'the setter hears it too');

    // Ownership: bob cannot change alice's keys unless he forces; a partial set lists them.
    await rejectsWith(b.setRoomAttributes({ seat1: 'bob' }, 'stage', keep), 6000331);
    assert.deepEqual(plain(await b.setRoomAttributes({ seat1: 'bob', mine: 'b' }, 'stage', keep)), { roomID: 'stage', errorKeys: ['seat1'] });
    assert.deepEqual(plain(await b.setRoomAttributes({ seat1: 'bob' }, 'stage', { isForce: true, isDeleteAfterOwnerLeft: false, isUpdateOwner: false })), { roomID: 'stage', errorKeys: [] });

    // A batch: three calls collected, one call on the wire, one batch event with the net effect.
    a.beginRoomAttributesBatchOperation('stage', { isForce: true, isDeleteAfterOwnerLeft: false, isUpdateOwner: true });
    const p1 = a.setRoomAttributes({ x: '1', y: '2' }, 'stage', keep);
    const p2 = a.deleteRoomAttributes(['mine'], 'stage', { isForce: false });
    const p3 = a.setRoomAttributes({ x: '3' }, 'stage', keep);
    assert.deepEqual(plain(await a.endRoomAttributesBatchOperation('stage')), { roomID: 'stage', errorKeys: [] });
    for (const p of [p1, p2, p3]) assert.deepEqual(plain(await p), { roomID: 'stage', errorKeys: [] });
    const [batch] = await bob.wait('roomAttributesBatchUpdated', (d) => d.roomID === 'stage');
    assert.deepEqual(batch.infos, [
      { action: 0, roomAttributes: { x: '3', y: '2' } },
      { action: 1, roomAttributes: { mine: '' } },
    ]);
    assert.deepEqual(plain(await b.queryRoomAllAttributes('stage')).roomAttributes, { seat1: 'bob', seat2: 'carol', topic: 'hi', x: '3', y: '2' });

    // A delete: seen by the other member as a Delete action.
    assert.deepEqual(plain(await a.deleteRoomAttributes(['y'], 'stage', { isForce: false })), { roomID: 'stage', errorKeys: [] });
    await bob.wait('roomAttributesUpdated', (d) => d.infos.some((i) => i.action === 1 && 'y' in i.roomAttributes));

    // Member attributes and the member queries.
    const mset = plain(await a.setRoomMembersAttributes({ lv: '9' }, ['alice', 'bob', 'zed'], 'stage', { isDeleteAfterOwnerLeft: true }));
    assert.deepEqual(mset.infos.map((i) => [i.attributesInfo.userID, i.attributesInfo.attributes, i.errorKeys]), [
      ['alice', { lv: '9' }, []],
      ['bob', { lv: '9' }, []],
    ]);
    assert.deepEqual(mset.errorUserList, ['zed']);
    const [mupd] = await bob.wait('roomMemberAttributesUpdated', (d) => d.roomID === 'stage');
    assert.deepEqual(mupd.operatedInfo, { userID: 'alice' });
    assert.equal(mupd.infos.length, 2);
    assert.deepEqual(plain(await b.queryRoomMembersAttributes(['alice', 'zed'], 'stage')), {
      roomID: 'stage',
      infos: [{ userID: 'alice', attributes: { lv: '9' } }],
    });
    const page1 = plain(await b.queryRoomMemberAttributesList('stage', { nextFlag: '', count: 1 }));
    assert.deepEqual(page1.infos.map((i) => i.userID), ['alice']);
    const page2 = plain(await b.queryRoomMemberAttributesList('stage', { nextFlag: page1.nextFlag, count: 1 }));
    assert.deepEqual([page2.infos.map((i) => i.userID), page2.nextFlag], [['bob'], '']);
    const members = plain(await b.queryRoomMembers(['alice', 'zed'], 'stage'));
    assert.deepEqual(members.memberList.map((m) => [m.userID, m.userName]), [['alice', 'ALICE']]);
    assert.deepEqual(members.errorUserList, [{ userID: 'zed', reason: 6000321 }]);

    // Alice leaves: the attributes she owns with isDeleteAfterOwnerLeft go, and bob is told.
    await a.leaveRoom('stage');
    const [gone] = await bob.wait('roomAttributesUpdated', (d) => d.infos.some((i) => i.action === 1 && 'seat2' in i.roomAttributes));
    assert.deepEqual(gone.infos, [{ action: 1, roomAttributes: { seat2: '', topic: '' } }]);
    assert.deepEqual(plain(await b.queryRoomMembersAttributes(['alice', 'bob'], 'stage')).infos, [{ userID: 'bob', attributes: { lv: '9' } }]);
    await rejectsWith(a.queryRoomAllAttributes('stage'), 6000321);
    assert.deepEqual(alice.all('error'), []);
    assert.deepEqual(bob.all('error'), []);
  });

  test(`rooms (${style}): switchRoom, leaveAllRoom and a destroy delay`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const a = alice.zim;
    const b = bob.zim;

    await a.enterRoom({ roomID: 'one', roomName: 'One' });
    assert.deepEqual(plain(await a.switchRoom('one', { roomID: 'two', roomName: 'Two' }, true)), {
      roomInfo: { baseInfo: { roomID: 'two', roomName: 'Two' } },
    });
    await waitFor(() => roomStates(alice).some((s) => s.roomID === 'two' && s.state === 2 && s.event === 11), 'alice: two connected (ActiveSwitch)');
    await rejectsWith(b.joinRoom('one'), 6000322); // alice was its only member
    await rejectsWith(a.switchRoom('two', { roomID: 'nowhere', roomName: '' }, false), 6000322);
    await rejectsWith(a.switchRoom('one', { roomID: 'three', roomName: '' }, true), 6000321);
    await waitFor(() => roomStates(alice).some((s) => s.roomID === 'nowhere' && s.state === 0 && s.event === 12), 'alice: switch failed');
    await a.enterRoom({ roomID: 'three', roomName: '' });
    assert.deepEqual(plain(await a.leaveAllRoom()).roomIDs.sort(), ['three', 'two']);
    await rejectsWith(a.leaveRoom('two'), 6000321);

    // A room created with a destroy delay outlives its last member, attributes and all.
    await a.createRoom({ roomID: 'lasting', roomName: 'L' }, { roomAttributes: { k: 'v' }, roomDestroyDelayTime: 2 });
    await a.leaveRoom('lasting');
    await b.joinRoom('lasting');
    assert.deepEqual(plain(await b.queryRoomAllAttributes('lasting')).roomAttributes, { k: 'v' });
    await b.leaveRoom('lasting');
    await sleep(2600);
    await rejectsWith(b.joinRoom('lasting'), 6000322);
    await rejectsWith(a.createRoom({ roomID: 'x', roomName: '' }, { roomAttributes: {}, roomDestroyDelayTime: 10801 }), 6000001);
  });
}

test('rooms: ZIM limits and codes for attributes', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', []);
  const a = alice.zim;
  await rejectsWith(a.setRoomAttributes({ k: 'v' }, 'nowhere', keep), 6000322);
  await a.enterRoom({ roomID: 'lim', roomName: '' });
  await rejectsWith(a.setRoomAttributes({ ['k'.repeat(17)]: 'v' }, 'lim', keep), 6000335);
  await rejectsWith(a.setRoomAttributes({ k: 'v'.repeat(1025) }, 'lim', keep), 6000336);
  const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => ['k' + i, 'v']));
  await rejectsWith(a.setRoomAttributes(many, 'lim', keep), 6000334);
  const big = Object.fromEntries(Array.from({ length: 6 }, (_, i) => ['k' + i, 'v'.repeat(1000)]));
  await rejectsWith(a.setRoomAttributes(big, 'lim', keep), 6000337);
  await rejectsWith(a.createRoom({ roomID: 'lim2', roomName: '' }, { roomAttributes: many }), 6000334);
  await rejectsWith(a.setRoomMembersAttributes({ toolongkey: 'v' }, ['alice'], 'lim', {}), 6000352);
  await rejectsWith(a.setRoomMembersAttributes({ k: 'v'.repeat(65) }, ['alice'], 'lim', {}), 6000353);
  const wide = Object.fromEntries(Array.from({ length: 3 }, (_, i) => ['k' + i, 'v'.repeat(60)]));
  await rejectsWith(a.setRoomMembersAttributes(wide, ['alice'], 'lim', {}), 6000351);
  await rejectsWith(a.setRoomMembersAttributes({ k: 'v' }, ['bob'], 'lim', {}), 6000321);
  await rejectsWith(a.setRoomAttributes({ k: 1 }, 'lim', keep), 6000001);
  await rejectsWith(a.queryRoomMembers(Array.from({ length: 11 }, (_, i) => 'u' + i), 'lim'), 6000001);
  // Member attributes go with their member by default (ZIM's isDeleteAfterOwnerLeft: true),
  // and stay when set with false.
  const bob = await app(t, srv, 'bob', '2.x', []);
  await bob.zim.enterRoom({ roomID: 'lim', roomName: '' });
  await a.setRoomMembersAttributes({ k: 'v' }, ['alice'], 'lim', {});
  await a.setRoomMembersAttributes({ k: 'v' }, ['bob'], 'lim', { isDeleteAfterOwnerLeft: false });
  await bob.zim.leaveRoom('lim');
  await bob.zim.enterRoom({ roomID: 'lim', roomName: '' });
  await a.leaveRoom('lim');
  await a.enterRoom({ roomID: 'lim', roomName: '' });
  assert.deepEqual(plain(await a.queryRoomMembersAttributes(['alice', 'bob'], 'lim')).infos, [
    { userID: 'alice', attributes: {} },
    { userID: 'bob', attributes: { k: 'v' } },
  ]);
});
