'use strict';
// Group messages in the strict stand-in against the real server, in both callback styles:
// a message reaching every member once and in one order, an offline member catching up in
// order, history, a kicked member no longer receiving (and keeping what came before), a
// muted member and a non-member refused, the group conversation with its unread count.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith, waitFor } = require('./harness');

const GROUP = 2; // ZIMConversationType.Group
const EVENTS = ['receiveGroupMessage', 'groupMessageReceived', 'messageRevokeReceived', 'messageEdited', 'messageReceiptChanged', 'error'];

// The texts `d` received in group `groupID`, in arrival order, from the style's own event
// (1.x: receiveGroupMessage(messageList, fromGroupID); 2.x: groupMessageReceived(data)).
function received(d, style, groupID) {
  const name = style === '1.x' ? 'receiveGroupMessage' : 'groupMessageReceived';
  const out = [];
  for (const args of d.all(name)) {
    const [list, from] = style === '1.x' ? [args[0], args[1]] : [args[0].messageList, args[0].fromConversationID];
    assert.equal(from, groupID);
    for (const m of list) {
      assert.equal(m.conversationType, GROUP);
      assert.equal(m.conversationID, groupID);
      out.push(m.senderUserID + ':' + m.message);
    }
  }
  return out;
}

const text = (message) => ({ type: 1, message });

for (const style of ['1.x', '2.x']) {
  test(`group messages (${style}): all members once and in order, offline catch-up, history, kick, mute`, async (t) => {
    const srv = await server(t);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const carol = await app(t, srv, 'carol', style, EVENTS);
    const dave = await app(t, srv, 'dave', style, EVENTS);
    await alice.zim.createGroup({ groupID: 'team', groupName: 'Team' }, ['bob', 'carol', 'dave']);
    // Dave goes offline before anything is said.
    await dave.zim.logout();

    // Alice sends three, bob one (1.x's sendGroupMessage), without waiting in between.
    const sends = [
      alice.zim.sendMessage(text('a1'), 'team', GROUP, { priority: 1 }),
      alice.zim.sendMessage(text('a2'), 'team', GROUP, { priority: 1 }),
      alice.zim.sendMessage(text('a3'), 'team', GROUP, { priority: 1 }),
    ];
    const sent = (await Promise.all(sends)).map((r) => plain(r).message);
    sent.forEach((m) => {
      assert.equal(m.conversationType, GROUP);
      assert.equal(m.sentStatus, 1, 'sent');
    });
    await bob.zim.sendGroupMessage(text('b1'), 'team', { priority: 1 });

    const all = ['alice:a1', 'alice:a2', 'alice:a3', 'bob:b1'];
    await waitFor(() => received(carol, style, 'team').length === 4, 'carol gets 4');
    assert.deepEqual(received(carol, style, 'team'), all, 'carol: each once, in order');
    await waitFor(() => received(bob, style, 'team').length === 3, 'bob gets 3');
    assert.deepEqual(received(bob, style, 'team'), all.slice(0, 3), 'bob: not his own');
    assert.deepEqual(received(alice, style, 'team'), ['bob:b1']);

    // Dave, back on a new phone, gets all four from his inbox, in order, once.
    const dave2 = await app(t, srv, 'dave', style, EVENTS);
    await waitFor(() => received(dave2, style, 'team').length === 4, 'dave catches up');
    assert.deepEqual(received(dave2, style, 'team'), all);
    if (style === '2.x') {
      const offline = dave2.all('groupMessageReceived').map((a) => a[0].info.isOfflineMessage);
      assert.ok(offline.includes(true), 'caught-up messages are offline messages: ' + JSON.stringify(offline));
    }

    // History, newest page first as ZIM's `reverse` asks, ascending within the page.
    const history = plain(await carol.zim.queryHistoryMessage('team', GROUP, { count: 10, reverse: true }));
    assert.equal(history.conversationType, GROUP);
    assert.deepEqual(
      history.messageList.map((m) => m.senderUserID + ':' + m.message),
      all,
    );
    const page = plain(await carol.zim.queryHistoryMessage('team', GROUP, { count: 2, reverse: true }));
    assert.deepEqual(page.messageList.map((m) => m.message), ['a3', 'b1']);
    const older = plain(await carol.zim.queryHistoryMessage('team', GROUP, { count: 2, reverse: true, nextMessage: page.messageList[0] }));
    assert.deepEqual(older.messageList.map((m) => m.message), ['a1', 'a2']);

    // The group conversation, with bob's unread count (alice's three) and the group's name.
    const list = plain(await bob.zim.queryConversationList({ count: 10 })).conversationList;
    const team = list.find((c) => c.conversationID === 'team' && c.type === GROUP);
    assert.ok(team, JSON.stringify(list));
    assert.equal(team.unreadMessageCount, 3);
    assert.equal(team.conversationName, 'Team');
    assert.equal(team.lastMessage.message, 'b1');

    // Carol is kicked: she gets nothing after that, and keeps the history before it.
    await alice.zim.kickGroupMembers(['carol'], 'team');
    await alice.zim.sendMessage(text('a4'), 'team', GROUP, { priority: 1 });
    await waitFor(() => received(bob, style, 'team').length === 4, 'bob gets a4');
    await waitFor(() => received(dave2, style, 'team').length === 5, 'dave gets a4');
    assert.deepEqual(received(carol, style, 'team'), all, 'nothing after the kick');
    const kept = plain(await carol.zim.queryHistoryMessage('team', GROUP, { count: 10, reverse: true }));
    assert.deepEqual(kept.messageList.map((m) => m.message), ['a1', 'a2', 'a3', 'b1']);
    await rejectsWith(carol.zim.sendMessage(text('let me back'), 'team', GROUP, { priority: 1 }), 6000521);

    // A muted member is refused; so is anyone sending to a group that does not exist.
    await alice.zim.muteGroupMembers(true, ['bob'], 'team', { duration: 60 });
    await rejectsWith(bob.zim.sendMessage(text('shh'), 'team', GROUP, { priority: 1 }), 6000203);
    await rejectsWith(alice.zim.sendMessage(text('?'), 'nowhere', GROUP, { priority: 1 }), 6000523);
    await rejectsWith(carol.zim.queryHistoryMessage('nowhere', GROUP, { count: 10 }), 6000521);
    // Bob's refused send reached no one.
    const history2 = plain(await alice.zim.queryHistoryMessage('team', GROUP, { count: 10, reverse: true }));
    assert.deepEqual(history2.messageList.map((m) => m.message), ['a1', 'a2', 'a3', 'b1', 'a4']);

    // Alice revokes a1 and edits a2: the members are told (carol, kicked, is not); history
    // shows the change.
    const revoked = plain(await alice.zim.revokeMessage(sent[0], { revokeExtendedData: 'oops' })).message;
    assert.equal(revoked.type, 31, 'ZIMMessageType.Revoke');
    for (const d of [bob, dave2]) {
      const [data] = await d.wait('messageRevokeReceived', (x) => x.messageList[0].messageID === sent[0].messageID);
      assert.equal(data.messageList[0].conversationType, GROUP);
      assert.equal(data.messageList[0].revokeExtendedData, 'oops');
    }
    const edited = Object.assign({}, sent[1], { message: 'a2 (edited)' });
    await alice.zim.editMessage(edited, {});
    const [e] = await bob.wait('messageEdited', (x) => x.messageList[0].messageID === sent[1].messageID);
    assert.equal(e.messageList[0].message, 'a2 (edited)');
    const after = plain(await bob.zim.queryHistoryMessage('team', GROUP, { count: 10, reverse: true })).messageList;
    assert.deepEqual(after.map((m) => m.type), [31, 1, 1, 1, 1]);
    assert.equal(after[1].message, 'a2 (edited)');
    assert.deepEqual(carol.all('messageRevokeReceived'), []);

    // Receipts: bob is unmuted and alice asks for a receipt; the members are bob and dave.
    await alice.zim.muteGroupMembers(false, ['bob'], 'team', { duration: 0 });
    const { message: asked } = plain(await alice.zim.sendMessage(text('read me'), 'team', GROUP, { priority: 1, hasReceipt: true }));
    assert.equal(asked.receiptStatus, 1, 'processing');
    const readers = (d) =>
      d.zim
        .queryGroupMessageReceiptReadMemberList(asked, 'team', { nextFlag: 0, count: 10 })
        .then((r) => plain(r).userList.map((u) => u.userID));
    const unread = (d) =>
      d.zim
        .queryGroupMessageReceiptUnreadMemberList(asked, 'team', { nextFlag: 0, count: 10 })
        .then((r) => plain(r).userList.map((u) => u.userID));
    assert.deepEqual(await unread(alice), ['bob', 'dave']);
    await waitFor(() => received(bob, style, 'team').includes('alice:read me'), 'bob gets it');
    const got = plain(bob.all(style === '1.x' ? 'receiveGroupMessage' : 'groupMessageReceived').slice(-1)[0][0]);
    const mine = (style === '1.x' ? got : got.messageList).find((m) => m.message === 'read me');
    const sentRead = plain(await bob.zim.sendMessageReceiptsRead([mine], 'team', GROUP));
    assert.deepEqual(sentRead.errorMessageIDs, []);
    const [change] = await alice.wait('messageReceiptChanged', (x) => x.infos[0].messageID === asked.messageID);
    assert.deepEqual(
      [change.infos[0].conversationType, change.infos[0].readMemberCount, change.infos[0].unreadMemberCount, change.infos[0].status],
      [GROUP, 1, 1, 1],
    );
    assert.deepEqual(await readers(alice), ['bob']);
    assert.deepEqual(await unread(bob), ['dave']);
    await dave2.zim.sendMessageReceiptsRead([mine], 'team', GROUP);
    await alice.wait('messageReceiptChanged', (x) => x.infos[0].messageID === asked.messageID && x.infos[0].unreadMemberCount === 0);
    const counted = plain(await alice.zim.queryMessageReceiptsInfo([asked], 'team', GROUP)).infos[0];
    assert.deepEqual([counted.readMemberCount, counted.unreadMemberCount, counted.status], [2, 0, 2], 'all read: done');
    // Alice cannot mark her own message read; carol, no longer a member, cannot ask.
    assert.deepEqual(plain(await alice.zim.sendMessageReceiptsRead([asked], 'team', GROUP)).errorMessageIDs, [asked.messageID]);
    await rejectsWith(readers(carol), 6000521);
    assert.deepEqual(alice.all('error'), []);
  });
}
