'use strict';
// Call invitations in the strict stand-in against the real server: accepted, rejected,
// cancelled, timed out on the server's clock, received at login by an invitee who was
// offline, and ZIM's advanced mode, with every call event in both callback styles (the call
// events have no 1.x form: both styles get ZIM's data object).

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith } = require('./harness');
const { sleep } = require('../js/server');

const EVENTS = [
  'callInvitationCreated',
  'callInvitationReceived',
  'callInvitationCancelled',
  'callInvitationEnded',
  'callInvitationTimeout',
  'callInviteesAnsweredTimeout',
  'callUserStateChanged',
  'callInvitationAccepted',
  'callInvitationRejected',
  'error',
];

// The states of a callUserList, as { userID: state }.
const states = (list) => Object.fromEntries(list.map((u) => [u.userID, u.state]));

for (const style of ['1.x', '2.x']) {
  test(`calls (${style}): accepted, rejected and cancelled`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const carol = await app(t, srv, 'carol', style, EVENTS);

    // Accepted.
    const sent = plain(await alice.zim.callInvite(['bob', 'nobody'], { timeout: 30, mode: 0, extendedData: 'video' }));
    assert.equal(typeof sent.callID, 'string');
    assert.equal(sent.timeout, 30);
    assert.deepEqual(sent.errorUserList, [{ userID: 'nobody', reason: 6000011 }]);
    const id = sent.callID;
    const [created] = await alice.wait('callInvitationCreated', (d) => d.callID === id);
    assert.deepEqual([created.caller, created.mode, created.timeout, created.extendedData], ['alice', 0, 30, 'video']);
    const [received] = await bob.wait('callInvitationReceived', (d) => d.callID === id);
    assert.deepEqual([received.caller, received.inviter, received.extendedData, received.timeout, received.mode], ['alice', 'alice', 'video', 30, 0]);
    assert.deepEqual(states(received.callUserList), { alice: 1, bob: 5 });
    assert.equal(typeof received.createTime, 'number');
    assert.deepEqual(plain(await bob.zim.callAccept(id, { extendedData: 'on my way' })), { callID: id });
    const [accepted] = await alice.wait('callInvitationAccepted', (d) => d.callID === id);
    assert.deepEqual(accepted, { callID: id, invitee: 'bob', extendedData: 'on my way' });
    const [changed] = await alice.wait('callUserStateChanged', (d) => d.callID === id);
    assert.deepEqual(changed.callUserList, [{ userID: 'bob', state: 1, extendedData: 'on my way' }]);
    await rejectsWith(bob.zim.callAccept(id, {}), 6000276); // a general call is over once all answered

    // Rejected.
    const r = plain(await alice.zim.callInvite(['bob'], { timeout: 30, mode: 0, extendedData: '' }));
    await bob.wait('callInvitationReceived', (d) => d.callID === r.callID);
    assert.deepEqual(plain(await bob.zim.callReject(r.callID, { extendedData: 'busy' })), { callID: r.callID });
    const [rejected] = await alice.wait('callInvitationRejected', (d) => d.callID === r.callID);
    assert.deepEqual(rejected, { callID: r.callID, invitee: 'bob', extendedData: 'busy' });
    await alice.wait('callUserStateChanged', (d) => d.callID === r.callID && states(d.callUserList).bob === 2);

    // Cancelled: carol hears it; bob, who was not cancelled, sees carol's new state.
    const c = plain(await alice.zim.callInvite(['bob', 'carol'], { timeout: 30, mode: 0, extendedData: '' }));
    await carol.wait('callInvitationReceived', (d) => d.callID === c.callID);
    await rejectsWith(bob.zim.callCancel(['carol'], c.callID, {}), 6000273);
    assert.deepEqual(plain(await alice.zim.callCancel(['carol'], c.callID, { extendedData: 'sorry' })), { callID: c.callID, errorInvitees: [] });
    const [cancelled] = await carol.wait('callInvitationCancelled', (d) => d.callID === c.callID);
    assert.deepEqual(cancelled, { callID: c.callID, mode: 0, inviter: 'alice', extendedData: 'sorry' });
    await bob.wait('callUserStateChanged', (d) => d.callID === c.callID && states(d.callUserList).carol === 3);
    assert.deepEqual(plain(await alice.zim.callCancel([], c.callID, {})), { callID: c.callID, errorInvitees: [] });
    await bob.wait('callInvitationCancelled', (d) => d.callID === c.callID);
    await rejectsWith(carol.zim.callAccept(c.callID, {}), 6000276);

    // Everyone can list their calls, newest first, paged.
    const list = plain(await bob.zim.queryCallInvitationList({ count: 2 }));
    assert.deepEqual(list.callList.map((x) => x.callID), [c.callID, r.callID]);
    assert.deepEqual(states(list.callList[1].callUserList), { alice: 1, bob: 2 });
    assert.equal(list.callList[1].state, 2);
    const rest = plain(await bob.zim.queryCallInvitationList({ count: 2, nextFlag: list.nextFlag }));
    assert.deepEqual([rest.callList.map((x) => x.callID), rest.nextFlag], [[id], 0]);
    assert.deepEqual(rest.callList[0].inviter, 'alice');
    for (const d of [alice, bob, carol]) assert.deepEqual(d.all('error'), []);
  });

  test(`calls (${style}): timed out on the server's clock, and received at login by an invitee who was offline`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    // Dave is known (he logged in once), then offline; the server needs a moment to see it.
    (await app(t, srv, 'dave', style, [])).zim.logout();
    await sleep(500);

    // Timed out: bob does not answer within 1 s.
    const sent = plain(await alice.zim.callInvite(['bob'], { timeout: 1, mode: 0, extendedData: '' }));
    const [timeout] = await bob.wait('callInvitationTimeout', (d) => d.callID === sent.callID);
    assert.deepEqual(timeout, { callID: sent.callID, mode: 0 });
    const [answered] = await alice.wait('callInviteesAnsweredTimeout', (d) => d.callID === sent.callID);
    assert.deepEqual(answered.invitees, ['bob']);
    await alice.wait('callUserStateChanged', (d) => d.callID === sent.callID && states(d.callUserList).bob === 6);
    await rejectsWith(bob.zim.callAccept(sent.callID, {}), 6000276);

    // Dave is offline: the invitation waits on the server, and reaches him once at login.
    const ring = plain(await alice.zim.callInvite(['dave'], { timeout: 60, mode: 0, extendedData: 'late' }));
    const dave = await app(t, srv, 'dave', style, EVENTS);
    const [late] = await dave.wait('callInvitationReceived', (d) => d.callID === ring.callID);
    assert.equal(late.extendedData, 'late');
    await alice.wait('callUserStateChanged', (d) => d.callID === ring.callID && states(d.callUserList).dave === 5);
    await dave.zim.callAccept(ring.callID, {});
    await alice.wait('callInvitationAccepted', (d) => d.callID === ring.callID && d.invitee === 'dave');
    assert.equal(dave.all('callInvitationReceived').length, 1);
  });

  test(`calls (${style}): advanced mode: invite more, join, quit and end`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const carol = await app(t, srv, 'carol', style, EVENTS);

    const { callID } = plain(await alice.zim.callInvite(['bob'], { timeout: 30, mode: 1, extendedData: 'meeting' }));
    await bob.wait('callInvitationReceived', (d) => d.callID === callID && d.mode === 1);
    await bob.zim.callAccept(callID, {});
    const more = plain(await bob.zim.callingInvite(['carol', 'alice'], callID, {}));
    assert.deepEqual(more, { callID, errorUserList: [{ userID: 'alice', reason: 6000283 }] });
    const [toCarol] = await carol.wait('callInvitationReceived', (d) => d.callID === callID);
    assert.equal(toCarol.inviter, 'bob');
    await carol.zim.callReject(callID, {});
    await bob.wait('callInvitationRejected', (d) => d.callID === callID && d.invitee === 'carol');
    // Carol changes her mind and joins the call that goes on.
    const joined = plain(await carol.zim.callJoin(callID, { extendedData: 'back' }));
    assert.deepEqual([joined.callID, joined.extendedData, states(joined.callUserList)], [callID, 'meeting', { alice: 1, bob: 1, carol: 1 }]);
    await rejectsWith(carol.zim.callJoin(callID, {}), 6000283);
    const quit = plain(await bob.zim.callQuit(callID, {}));
    assert.equal(quit.callID, callID);
    assert.ok(quit.quitTime >= quit.acceptTime && quit.acceptTime >= quit.createTime);
    await alice.wait('callUserStateChanged', (d) => d.callID === callID && states(d.callUserList).bob === 7);
    const ended = plain(await carol.zim.callEnd(callID, { extendedData: 'bye' }));
    assert.equal(ended.callID, callID);
    const [end] = await alice.wait('callInvitationEnded', (d) => d.callID === callID);
    assert.deepEqual([end.caller, end.operatedUserID, end.extendedData, end.mode, end.endTime], ['alice', 'carol', 'bye', 1, ended.endTime]);
    await rejectsWith(alice.zim.callEnd(callID, {}), 6000276);
    for (const d of [alice, bob, carol]) assert.deepEqual(d.all('error'), []);
  });
}

test('calls: ZIM codes for bad invitations', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', []);
  const z = alice.zim;
  await rejectsWith(z.callInvite([], { timeout: 30, mode: 0, extendedData: '' }), 6000001);
  await rejectsWith(z.callInvite(['bad id'], { timeout: 30, mode: 0, extendedData: '' }), 6000001);
  await rejectsWith(z.callInvite(['alice'], { timeout: 30, mode: 0, extendedData: '' }), 6000001);
  await rejectsWith(z.callInvite(['nobody'], { timeout: 30, mode: 0, extendedData: '' }), 6000281);
  await rejectsWith(z.callInvite(['u1'], { timeout: 601, mode: 0, extendedData: '' }), 6000001);
  await rejectsWith(z.callInvite(['u1'], { timeout: 30, mode: 2, extendedData: '' }), 6000001);
  await rejectsWith(z.callAccept('12345', {}), 6000276);
  await rejectsWith(z.callAccept('', {}), 6000001);
  await rejectsWith(z.queryCallInvitationList({ count: 0 }), 6000001);
  assert.deepEqual(plain(await z.queryCallInvitationList({ count: 10 })), { callList: [], nextFlag: 0 });
});
