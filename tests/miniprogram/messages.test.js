'use strict';
// Messages beyond sending, in the strict stand-in against the real server, in both callback
// styles: receipts both ways (also to a user who was offline), revoke and edit changing the
// other side's message and conversation, deletion (on the server, and on this device only),
// queryMessages, the send's status (a failed send yields the failed message), cancelling a
// send, the local store (inserted messages, local extended data, kept across a restart),
// and the Custom and Barrage types.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith, waitFor } = require('./harness');

const PEER = 0;
const EVENTS = [
  'receivePeerMessage',
  'receiveRoomMessage',
  'messageReceiptChanged',
  'conversationMessageReceiptChanged',
  'messageRevokeReceived',
  'messageEdited',
  'messageDeleted',
  'messageSentStatusChanged',
  'conversationChanged',
  'error',
];

const text = (t) => ({ type: 1, message: t });

// The messages received in the conversation with `from` so far (receivePeerMessage).
function received(d, from) {
  return d
    .all('receivePeerMessage')
    .filter((e) => (e.length > 1 && typeof e[1] === 'string' ? e[1] : e[0].fromConversationID) === from)
    .flatMap((e) => (Array.isArray(e[0]) ? e[0] : e[0].messageList));
}

// The last conversationChanged state of conversation `id`.
function conversation(d, id) {
  let found;
  for (const [data] of d.all('conversationChanged')) {
    for (const info of data.infoList) if (info.conversation.conversationID === id) found = info.conversation;
  }
  return found;
}

async function history(d, peer) {
  return plain(await d.zim.queryHistoryMessage(peer, PEER, { count: 50, reverse: true })).messageList;
}

for (const style of ['1.x', '2.x']) {
  test(`receipts (${style}): read by message and by conversation, both ways, also after being offline`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);

    const { message: sent } = await alice.zim.sendMessage(text('did you read this?'), 'bob', PEER, { priority: 1, hasReceipt: true });
    assert.equal(sent.receiptStatus, 1, 'processing');
    await waitFor(() => received(bob, 'alice').length === 1, 'bob gets it');
    const got = received(bob, 'alice')[0];
    assert.equal(got.receiptStatus, 1);

    // Bob reads it: alice is told, with the reader's conversation.
    const r = plain(await bob.zim.sendMessageReceiptsRead([got], 'alice', PEER));
    assert.deepEqual(r, { conversationID: 'alice', conversationType: PEER, errorMessageIDs: [] });
    const [changed] = await alice.wait('messageReceiptChanged');
    assert.equal(changed.infos.length, 1);
    assert.deepEqual(
      [changed.infos[0].status, changed.infos[0].messageID, changed.infos[0].conversationID, changed.infos[0].readMemberCount],
      [2, sent.messageID, 'bob', 1],
    );
    assert.ok(changed.infos[0].readTime > 0);
    const info = plain(await alice.zim.queryMessageReceiptsInfo([sent], 'bob', PEER));
    assert.deepEqual([info.infos[0].status, info.infos[0].unreadMemberCount, info.errorMessageIDs], [2, 0, []]);
    assert.equal((await history(alice, 'bob'))[0].receiptStatus, 2, 'the stored message is read');
    // Not again, and not a message without a receipt.
    const { message: plainMsg } = await alice.zim.sendMessage(text('no receipt'), 'bob', PEER, { priority: 1 });
    const again = plain(await bob.zim.sendMessageReceiptsRead([got, plainMsg], 'alice', PEER));
    assert.deepEqual(again.errorMessageIDs, [got.messageID, plainMsg.messageID]);
    await rejectsWith(bob.zim.sendMessageReceiptsRead(new Array(11).fill(got), 'alice', PEER), 6000282);

    // The other way, for the whole conversation, while bob is offline.
    await alice.zim.sendMessage(text('one?'), 'bob', PEER, { priority: 1, hasReceipt: true });
    await bob.zim.sendMessage(text('b1'), 'alice', PEER, { priority: 1, hasReceipt: true });
    await bob.zim.sendMessage(text('b2'), 'alice', PEER, { priority: 1, hasReceipt: true });
    await waitFor(() => received(alice, 'bob').length === 2, 'alice gets them');
    bob.zim.logout();
    assert.deepEqual(plain(await alice.zim.sendConversationMessageReceiptRead('bob', PEER)), { conversationID: 'bob', conversationType: PEER });
    const bobAgain = await app(t, srv, 'bob', style, EVENTS);
    const [conv] = await bobAgain.wait('conversationMessageReceiptChanged');
    assert.deepEqual([conv.infos[0].status, conv.infos[0].conversationID], [2, 'alice']);
    const mine = (await history(bobAgain, 'alice')).filter((m) => m.senderUserID === 'bob');
    assert.deepEqual(mine.map((m) => m.receiptStatus), [2, 2]);
    assert.equal(bobAgain.all('conversationMessageReceiptChanged').length, 1, 'once');
    // Alice's own unread message (one?) from bob's side: still waiting.
    const theirs = (await history(bobAgain, 'alice')).filter((m) => m.message === 'one?');
    assert.equal(theirs[0].receiptStatus, 1);
  });

  test(`revoke and edit (${style}): the other side's message, history and conversation change`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const { message: secret } = await alice.zim.sendMessage({ type: 1, message: 'secret', extendedData: 'x' }, 'bob', PEER, { priority: 1 });
    const { message: typo } = await alice.zim.sendMessage(text('helo'), 'bob', PEER, { priority: 1 });
    await waitFor(() => received(bob, 'alice').length === 2, 'bob gets both');
    await waitFor(() => conversation(bob, 'alice') && conversation(bob, 'alice').unreadMessageCount === 2, 'unread 2');

    // Revoke: the sender gets the revoked message; the recipient a revoke message (31) with
    // the original content, and one unread fewer.
    const { message: revoked } = plain(await alice.zim.revokeMessage(secret, { revokeExtendedData: 'oops' }));
    assert.deepEqual([revoked.type, revoked.originalMessageType, revoked.revokeExtendedData, revoked.operatedUserID], [31, 1, 'oops', 'alice']);
    assert.equal(revoked.message, undefined, 'a revoke message does not show the text');
    const [rev] = await bob.wait('messageRevokeReceived');
    const r = rev.messageList[0];
    assert.deepEqual(
      [r.type, r.messageID, r.originalTextMessageContent, r.revokeType, r.revokeStatus, r.conversationID],
      [31, secret.messageID, 'secret', 0, 0, 'alice'],
    );
    assert.ok(r.revokeTimestamp > 0);
    await waitFor(() => conversation(bob, 'alice').unreadMessageCount === 1, 'unread 1');
    assert.deepEqual((await history(bob, 'alice')).map((m) => m.type), [31, 1]);
    await rejectsWith(alice.zim.revokeMessage(secret), 6000279);
    await rejectsWith(bob.zim.revokeMessage(typo), 6000285);

    // Edit: the recipient's copy and its conversation's last message change.
    const edited = plain(await alice.zim.editMessage(Object.assign({}, typo, { message: 'hello' }), {}));
    assert.deepEqual([edited.message.message, edited.message.editorUserID], ['hello', 'alice']);
    assert.ok(edited.message.editedTime > 0);
    const [ed] = await bob.wait('messageEdited');
    assert.deepEqual([ed.messageList[0].message, ed.messageList[0].messageID], ['hello', typo.messageID]);
    await waitFor(() => conversation(bob, 'alice').lastMessage.message === 'hello', 'last message edited');
    assert.deepEqual((await history(bob, 'alice')).map((m) => m.message || m.originalTextMessageContent), ['secret', 'hello']);
    // The sender's own conversation shows the edit too.
    await waitFor(() => conversation(alice, 'bob') && conversation(alice, 'bob').lastMessage.message === 'hello', 'alice list');

    // Revoking the last message makes it the conversation's revoke message, on both sides.
    await alice.zim.revokeMessage(typo);
    await waitFor(() => conversation(bob, 'alice').lastMessage.type === 31, 'last is revoked');
    assert.equal(conversation(bob, 'alice').unreadMessageCount, 0);
    const list = plain(await bob.zim.queryConversationList({ count: 10 })).conversationList;
    assert.equal(list[0].lastMessage.type, 31);
    assert.deepEqual(bob.all('error'), []);
  });
}

for (const style of ['1.x', '2.x']) {
  test(`deletion (${style}): for me on the server (others keep theirs), and on this device only (kept across a restart)`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const sent = [];
    for (const m of ['m1', 'm2', 'm3', 'm4']) sent.push((await alice.zim.sendMessage(text(m), 'bob', PEER, {})).message);

    // queryMessages by sequence.
    const bySeq = plain(await alice.zim.queryMessages([sent[1].messageSeq, sent[3].messageSeq, 999], 'bob', PEER));
    assert.deepEqual(bySeq.messageList.map((m) => m.message), ['m2', 'm4']);

    // On the server, for alice: m4 (the last) goes, so the conversation's last is m3.
    const del = plain(await alice.zim.deleteMessages([sent[3]], 'bob', PEER, { isAlsoDeleteServerMessage: true }));
    assert.deepEqual(del, { conversationID: 'bob', conversationType: PEER });
    const [gone] = await alice.wait('messageDeleted');
    assert.deepEqual([gone.messageDeleteType, gone.messageList.map((m) => m.message)], [0, ['m4']]);
    await waitFor(() => conversation(alice, 'bob') && conversation(alice, 'bob').lastMessage.message === 'm3', 'last is m3');
    assert.deepEqual((await history(alice, 'bob')).map((m) => m.message), ['m1', 'm2', 'm3']);
    assert.deepEqual((await history(bob, 'alice')).map((m) => m.message), ['m1', 'm2', 'm3', 'm4'], 'bob keeps his');

    // On this device only: m2 hidden here, kept on the server and after a restart.
    await alice.zim.deleteMessages([sent[1]], 'bob', PEER, { isAlsoDeleteServerMessage: false });
    assert.deepEqual((await history(alice, 'bob')).map((m) => m.message), ['m1', 'm3']);
    const restarted = await app(t, srv, 'alice', style, EVENTS, alice.phone.storage);
    assert.deepEqual((await history(restarted, 'bob')).map((m) => m.message), ['m1', 'm3']);
    const other = await app(t, srv, 'alice', style, EVENTS);
    assert.deepEqual((await history(other, 'bob')).map((m) => m.message), ['m1', 'm2', 'm3'], 'another phone sees m2');

    // All of the conversation, on the server: empty for alice, the conversation stays.
    await other.zim.deleteAllMessage('bob', PEER, { isAlsoDeleteServerMessage: true });
    const [all] = await other.wait('messageDeleted');
    assert.deepEqual([all.messageDeleteType, all.isDeleteConversationAllMessage], [1, true]);
    assert.deepEqual(await history(other, 'bob'), []);
    const c = plain(await other.zim.queryConversation('bob', PEER)).conversation;
    assert.equal(c.lastMessage, null);
    // Later messages show again.
    await bob.zim.sendMessage(text('after'), 'alice', PEER, {});
    await waitFor(() => received(other, 'bob').length === 1, 'other gets it');
    assert.deepEqual((await history(other, 'bob')).map((m) => m.message), ['after']);
    await other.zim.deleteAllConversationMessages({ isAlsoDeleteServerMessage: true });
    assert.deepEqual(await history(other, 'bob'), []);
    assert.deepEqual((await history(bob, 'alice')).length, 5);
  });

  test(`sending (${style}): status events, a failed send yields the failed message, cancelling a waiting send`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);

    // Success: the attached object becomes the stored message (Sending, then Success).
    let attached;
    const res = await alice.zim.sendMessage(text('ok'), 'bob', PEER, {}, { onMessageAttached: (m) => (attached = [m, m.sentStatus, m.localMessageID]) });
    assert.equal(attached[1], 0, 'attached while sending');
    assert.match(attached[2], /^[1-9][0-9]*$/, 'with its localMessageID');
    assert.equal(res.message, attached[0], 'the same object');
    assert.deepEqual([res.message.sentStatus, res.message.localMessageID], [1, attached[2]]);
    assert.notEqual(res.message.messageID, '0');
    const [ok] = await alice.wait('messageSentStatusChanged', (d) => d.infos[0].status === 1);
    assert.equal(ok.infos[0].message.localMessageID, attached[2]);

    // Failure (a room the sender is not in): rejected with ZIM's code, the message Failed.
    let failedAttached;
    await rejectsWith(
      alice.zim.sendMessage(text('lost'), 'no-such-room', 1, {}, { onMessageAttached: (m) => (failedAttached = m) }),
      6000322,
    );
    assert.equal(failedAttached.sentStatus, 2);
    const [failed] = await alice.wait('messageSentStatusChanged', (d) => d.infos[0].status === 2);
    assert.deepEqual([failed.infos[0].message.message, failed.infos[0].message.sentStatus, failed.infos[0].message.conversationID], ['lost', 2, 'no-such-room']);
    assert.equal(typeof failed.infos[0].reason, 'string');
    // Refused before it leaves the device: failed too.
    await rejectsWith(alice.zim.sendMessage(text('x'.repeat(40000)), 'bob', PEER, {}), 6000001);
    assert.equal(alice.all('messageSentStatusChanged').filter(([d]) => d.infos[0].status === 2).length, 2);

    // Cancel: sends beyond the pace (5 at once) wait in the outbox; one of them is taken back.
    await new Promise((r) => setTimeout(r, 1100)); // a full rate budget
    const waiting = [];
    const sends = [];
    for (let i = 0; i < 7; i++) {
      sends.push(
        alice.zim
          .sendMessage(text('burst ' + i), 'bob', PEER, {}, { onMessageAttached: (m) => waiting.push(m) })
          .then(() => 'sent', (e) => e.code),
      );
    }
    await alice.zim.cancelSendingMessage(waiting[6], {});
    await rejectsWith(alice.zim.cancelSendingMessage(res.message, {}), 6000207);
    assert.deepEqual(await Promise.all(sends), ['sent', 'sent', 'sent', 'sent', 'sent', 'sent', 6000206]);
    await waitFor(() => received(bob, 'alice').length === 7, 'bob gets ok + the 6 sent');
    assert.deepEqual(received(bob, 'alice').map((m) => m.message).slice(1), [0, 1, 2, 3, 4, 5].map((i) => 'burst ' + i));
  });
}

test('the local store: inserted messages in history, local extended data, both kept across a restart', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '2.x', EVENTS);
  const bob = await app(t, srv, 'bob', '2.x', EVENTS);
  const { message: first } = await alice.zim.sendMessage(text('first'), 'bob', PEER, {});
  const ins = plain(await alice.zim.insertMessageToLocalDB({ type: 1, message: 'a local note' }, 'bob', PEER, 'alice'));
  assert.deepEqual([ins.message.isUserInserted, ins.message.sentStatus, ins.message.message], [true, 1, 'a local note']);
  await alice.zim.sendMessage(text('second'), 'bob', PEER, {});
  assert.deepEqual((await history(alice, 'bob')).map((m) => [m.message, m.isUserInserted]), [
    ['first', false],
    ['a local note', true],
    ['second', false],
  ]);
  const upd = await alice.zim.updateMessageLocalExtendedData('{"pinned":true}', first);
  assert.equal(upd.message.localExtendedData, '{"pinned":true}');
  assert.equal((await history(alice, 'bob'))[0].localExtendedData, '{"pinned":true}');
  await rejectsWith(alice.zim.insertMessageToLocalDB({ type: 2, message: new Uint8Array([1]) }, 'bob', PEER, 'alice'), 6000001);

  // The same phone after a restart keeps both; bob (and another phone) has neither.
  const again = await app(t, srv, 'alice', '2.x', EVENTS, alice.phone.storage);
  const kept = await history(again, 'bob');
  assert.deepEqual(kept.map((m) => m.message), ['first', 'a local note', 'second']);
  assert.equal(kept[0].localExtendedData, '{"pinned":true}');
  assert.deepEqual((await history(bob, 'alice')).map((m) => [m.message, m.localExtendedData]), [
    ['first', ''],
    ['second', ''],
  ]);
});

test('custom (200) and barrage (20) messages', async (t) => {
  const srv = await server(t);
  const alice = await app(t, srv, 'alice', '1.x', EVENTS);
  const bob = await app(t, srv, 'bob', '1.x', EVENTS);
  const custom = { type: 200, message: '{"vote":3}', subType: 7, searchedContent: 'vote' };
  const { message: sent } = await alice.zim.sendMessage(custom, 'bob', PEER, { priority: 1 });
  assert.deepEqual([sent.type, sent.subType, sent.searchedContent], [200, 7, 'vote']);
  await waitFor(() => received(bob, 'alice').length === 1, 'bob gets it');
  const got = received(bob, 'alice')[0];
  assert.deepEqual([got.type, got.message, got.subType, got.searchedContent], [200, '{"vote":3}', 7, 'vote']);
  assert.equal((await history(bob, 'alice'))[0].subType, 7);
  await waitFor(() => conversation(bob, 'alice'), 'a conversation');
  assert.equal(conversation(bob, 'alice').unreadMessageCount, 1);

  // Barrage: a room's on-screen comment, not kept.
  await alice.zim.enterRoom({ roomID: 'live', roomName: 'Live' });
  await bob.zim.enterRoom({ roomID: 'live', roomName: 'Live' });
  await alice.zim.sendMessage({ type: 20, message: '666' }, 'live', 1, { priority: 1 });
  await waitFor(() => bob.all('receiveRoomMessage').length === 1, 'barrage');
  const [list, room] = bob.all('receiveRoomMessage')[0];
  assert.deepEqual([list[0].type, list[0].message, room], [20, '666', 'live']);
  await alice.zim.sendMessage({ type: 20, message: 'not kept' }, 'bob', PEER, { priority: 1 });
  await waitFor(() => received(bob, 'alice').length === 2, 'peer barrage delivered');
  assert.deepEqual((await history(bob, 'alice')).map((m) => m.type), [200], 'not in history');
});
