'use strict';
// Conversations in the strict stand-in against the real server, in both callback styles:
// the list with unread counts (pinned first, then newest), paging and filters, pin, do not
// disturb (out of the total), draft, marks, the events, a second login of the same user
// that sees the same list, unread cleared on the server, deletion.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith, waitFor } = require('./harness');

const PEER = 0;
const EVENTS = [
  'conversationChanged',
  'conversationTotalUnreadMessageCountUpdated',
  'conversationSyncStateChanged',
  'conversationsAllDeleted',
  'error',
];

// What the app's own list would be after the conversationChanged events so far.
function fromEvents(d) {
  const list = new Map();
  for (const [data] of d.all('conversationChanged')) {
    for (const { event, conversation } of data.infoList) {
      if (event === 3) list.delete(conversation.conversationID);
      else list.set(conversation.conversationID, conversation);
    }
  }
  return list;
}

const summary = (list) => list.map((c) => [c.conversationID, c.unreadMessageCount, c.isPinned, c.lastMessage && c.lastMessage.message]);
const lastTotal = (d) => {
  const all = d.all('conversationTotalUnreadMessageCountUpdated');
  return all.length ? all[all.length - 1][0].totalUnreadMessageCount : undefined;
};
const text = (t) => ({ type: 1, message: t });

for (const style of ['1.x', '2.x']) {
  test(`conversations (${style}): unread counts, order, pin, do not disturb, a second login sees the same list`, async (t) => {
    const srv = await server(t);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const carol = await app(t, srv, 'carol', style, []);
    // The sync after bob's login: started, then finished (no conversation yet).
    await bob.wait('conversationSyncStateChanged', (d) => d.state === 1);
    assert.deepEqual(bob.all('conversationSyncStateChanged').map(([d]) => d.state), [0, 1]);

    await alice.zim.sendMessage(text('one'), 'bob', PEER, { priority: 1 });
    await alice.zim.sendMessage(text('two'), 'bob', PEER, { priority: 1 });
    await carol.zim.sendMessage(text('hi from carol'), 'bob', PEER, { priority: 1 });

    // Live events: added, then updated, with the counts; the total follows.
    await waitFor(() => lastTotal(bob) === 3, 'bob total 3');
    let live = fromEvents(bob);
    assert.equal(live.get('alice').unreadMessageCount, 2);
    assert.equal(live.get('alice').lastMessage.message, 'two');
    assert.equal(live.get('carol').unreadMessageCount, 1);
    const firstAlice = bob.all('conversationChanged').find(([d]) => d.infoList[0].conversation.conversationID === 'alice');
    assert.equal(firstAlice[0].infoList[0].event, 0, 'the first change of a conversation is "added"');
    // The sender's own list follows its send, without unread.
    await waitFor(() => fromEvents(alice).get('bob'), 'alice conversation');
    assert.equal(fromEvents(alice).get('bob').unreadMessageCount, 0);
    assert.equal(fromEvents(alice).get('bob').lastMessage.message, 'two');

    // The server's list: newest first, with the peer's name.
    let list = plain(await bob.zim.queryConversationList({ count: 10 }));
    assert.deepEqual(summary(list.conversationList), [
      ['carol', 1, false, 'hi from carol'],
      ['alice', 2, false, 'two'],
    ]);
    assert.equal(list.conversationList[1].conversationName, 'ALICE');
    assert.equal(list.conversationList[1].type, PEER);
    assert.equal(list.conversationList[1].notificationStatus, 1);
    assert.equal(list.conversationList[1].orderKey, Number(list.conversationList[1].lastMessage.messageID));

    // Pinned first; the pin is an event too.
    assert.deepEqual(plain(await bob.zim.updateConversationPinnedState(true, 'alice', PEER)), {
      conversationID: 'alice',
      conversationType: PEER,
    });
    await waitFor(() => fromEvents(bob).get('alice').isPinned, 'pin event');
    list = plain(await bob.zim.queryConversationList({ count: 10 }));
    assert.deepEqual(summary(list.conversationList).map((c) => c[0]), ['alice', 'carol']);
    assert.deepEqual(summary(plain(await bob.zim.queryConversationPinnedList({ count: 10 })).conversationList), [
      ['alice', 2, true, 'two'],
    ]);

    // Paging: one at a time, from the last one of the page before.
    const page1 = plain(await bob.zim.queryConversationList({ count: 1 })).conversationList;
    const page2 = plain(await bob.zim.queryConversationList({ count: 1, nextConversation: page1[0] })).conversationList;
    const page3 = plain(await bob.zim.queryConversationList({ count: 1, nextConversation: page2[0] })).conversationList;
    assert.deepEqual([page1, page2, page3].map((p) => p.map((c) => c.conversationID)), [['alice'], ['carol'], []]);

    // Do not disturb: carol keeps her count, but leaves the total.
    await bob.zim.setConversationNotificationStatus(2, 'carol', PEER);
    await waitFor(() => lastTotal(bob) === 2, 'total without carol');
    assert.deepEqual(plain(await bob.zim.queryConversationTotalUnreadMessageCount({})), { unreadMessageCount: 2 });
    assert.equal(fromEvents(bob).get('carol').unreadMessageCount, 1);
    assert.equal(fromEvents(bob).get('carol').notificationStatus, 2);
    await carol.zim.sendMessage(text('again'), 'bob', PEER, { priority: 1 });
    await waitFor(() => fromEvents(bob).get('carol').unreadMessageCount === 2, 'carol counts on');
    assert.equal(lastTotal(bob), 2, 'a do-not-disturb message leaves the total alone');

    // Draft and marks; a conversation that does not exist fails.
    await bob.zim.setConversationDraft('half a thought', 'alice', PEER);
    const marks = plain(
      await bob.zim.setConversationMark(7, true, [
        { conversationID: 'carol', conversationType: PEER },
        { conversationID: 'nobody', conversationType: PEER },
      ]),
    );
    assert.deepEqual(marks, { failedConversationInfos: [{ conversationID: 'nobody', conversationType: PEER }] });
    await waitFor(() => fromEvents(bob).get('carol').marks.includes(7), 'mark event');
    const marked = plain(await bob.zim.queryConversationList({ count: 10 }, { marks: [7] })).conversationList;
    assert.deepEqual(marked.map((c) => c.conversationID), ['carol']);
    const unreadOnly = plain(await bob.zim.queryConversationList({ count: 10 }, { isOnlyUnreadConversation: true }));
    assert.equal(unreadOnly.conversationList.length, 2);
    await rejectsWith(bob.zim.queryConversation('nobody', PEER), 6000603);
    await rejectsWith(bob.zim.updateConversationPinnedState(true, 'nobody', PEER), 6000603);
    await rejectsWith(bob.zim.queryConversationList({ count: 0 }), 6000001);

    // A second login of bob (another phone: the first is kicked) sees the same list, synced
    // at login, and the same total.
    const before = plain(await bob.zim.queryConversationList({ count: 10 }));
    const bob2 = await app(t, srv, 'bob', style, EVENTS);
    await bob2.wait('conversationSyncStateChanged', (d) => d.state === 1);
    assert.deepEqual(plain(await bob2.zim.queryConversationList({ count: 10 })), before);
    assert.deepEqual(summary([...fromEvents(bob2).values()]).sort(), summary(before.conversationList).sort());
    assert.equal(fromEvents(bob2).get('alice').draft, 'half a thought');
    assert.equal(lastTotal(bob2), 2);

    // Reading clears the count on the server: a third login sees it cleared.
    await bob2.zim.clearConversationUnreadMessageCount('alice', PEER);
    await waitFor(() => fromEvents(bob2).get('alice').unreadMessageCount === 0, 'cleared event');
    await waitFor(() => lastTotal(bob2) === 0, 'total 0');
    const bob3 = await app(t, srv, 'bob', style, EVENTS);
    await bob3.wait('conversationSyncStateChanged', (d) => d.state === 1);
    const after = plain(await bob3.zim.queryConversation('alice', PEER)).conversation;
    assert.equal(after.unreadMessageCount, 0);
    assert.equal(after.readMessageSeq, after.lastMessage.messageSeq);
    assert.deepEqual(plain(await bob3.zim.queryConversationTotalUnreadMessageCount({})), { unreadMessageCount: 0 });
    assert.deepEqual(bob3.all('error'), []);
  });
}

test('conversations: clear all, delete one (a new message brings it back), delete all; on this device only', async (t) => {
  const srv = await server(t);
  const bob = await app(t, srv, 'bob', '2.x', EVENTS);
  const alice = await app(t, srv, 'alice', '2.x', []);
  const carol = await app(t, srv, 'carol', '2.x', []);
  await alice.zim.sendMessage(text('a1'), 'bob', PEER, {});
  await carol.zim.sendMessage(text('c1'), 'bob', PEER, {});
  await waitFor(() => lastTotal(bob) === 2, 'total 2');

  await bob.zim.clearConversationTotalUnreadMessageCount();
  await waitFor(() => lastTotal(bob) === 0, 'all read');
  assert.deepEqual(summary(plain(await bob.zim.queryConversationList({ count: 10 })).conversationList).map((c) => c[1]), [0, 0]);

  // On the server: gone for bob (alice still has hers), back with the next message.
  await bob.zim.deleteConversation('alice', PEER, { isAlsoDeleteServerConversation: true });
  await waitFor(() => !fromEvents(bob).has('alice'), 'deleted event');
  assert.deepEqual(plain(await bob.zim.queryConversationList({ count: 10 })).conversationList.map((c) => c.conversationID), ['carol']);
  assert.equal(plain(await alice.zim.queryConversationList({ count: 10 })).conversationList.length, 1);
  await alice.zim.sendMessage(text('a2'), 'bob', PEER, {});
  await waitFor(() => fromEvents(bob).has('alice'), 'back');
  assert.equal(fromEvents(bob).get('alice').unreadMessageCount, 1, 'counted from the deletion on');

  // On this device only: hidden here until a newer message; the server keeps it.
  await bob.zim.deleteConversation('carol', PEER, { isAlsoDeleteServerConversation: false });
  await waitFor(() => !fromEvents(bob).has('carol'), 'hidden here');
  assert.deepEqual(plain(await bob.zim.queryConversationList({ count: 10 })).conversationList.map((c) => c.conversationID), ['alice']);
  const elsewhere = await app(t, srv, 'bob', '2.x', EVENTS);
  assert.deepEqual(
    plain(await elsewhere.zim.queryConversationList({ count: 10 })).conversationList.map((c) => c.conversationID).sort(),
    ['alice', 'carol'],
  );

  // Delete all: the event says how many.
  await elsewhere.zim.deleteAllConversations({ isAlsoDeleteServerConversation: true });
  const [deleted] = await elsewhere.wait('conversationsAllDeleted');
  assert.equal(deleted.count, 2);
  assert.deepEqual(plain(await elsewhere.zim.queryConversationList({ count: 10 })).conversationList, []);
  assert.equal(lastTotal(elsewhere), 0);
});
