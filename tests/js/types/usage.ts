// Compiled by tests/js/types.test.js against the installed package (not run).
import { ZIM, ZIMMessage, ZIMConnectionState, ZIMConversationType, ZIMMessageType } from 'tinyim';
ZIM.setAdvancedConfig('server', 'wss://x/ws');
const zim = ZIM.create(123)!;
zim.on('connectionStateChanged', (zim, { state, event }) => { if (state === ZIMConnectionState.Connected) console.log(event); });
zim.on('connectionStateChanged', function (zim: ZIM, state: ZIMConnectionState, event: number, extendedData: string) { console.log(state, event, extendedData); });
zim.on('tokenWillExpire', (zim, { second }) => console.log(second));
zim.on('receivePeerMessage', function (zim: ZIM, messageList: ZIMMessage[], fromUserID: string) { console.log(messageList[0].messageID, fromUserID); });
zim.on('peerMessageReceived', (zim, { messageList, info }) => console.log(messageList.length, info.isOfflineMessage));
zim.on('error', (zim, e) => console.log(e.code, e.message));
async function main() {
  await zim.login({ userID: 'a', userName: 'A' }, 'tok');
  await zim.login('a', { userName: 'A', token: 't' });
  const { message } = await zim.sendPeerMessage({ priority: 1, type: 1, message: 'hi' }, 'b');
  console.log(message.messageID.length);
  await zim.sendMessage({ type: ZIMMessageType.Text, message: 'x' }, 'b', ZIMConversationType.Peer, { priority: 1 });
  const r = await zim.createRoom({ roomID: 'r', roomName: 'R' });
  console.log(r.roomInfo.baseInfo.roomID);
  const m = await zim.queryRoomMemberList('r', { nextFlag: '', count: 10 });
  console.log(m.memberList[0].userID);
  const h = await zim.queryHistoryMessage('b', 0, { count: 10, reverse: false });
  console.log(h.messageList.length);
  zim.logout(); zim.destroy();
}
main();

// Users: profiles, as ZIM 2.x code reads them.
async function profiles(zim: ZIM): Promise<string> {
    const { selfUserInfo } = await zim.querySelfUserInfo();
    const { userList, errorUserList } = await zim.queryUsersInfo(['bob'], { isQueryFromServer: true });
    await zim.updateUserName(selfUserInfo.userFullInfo.baseInfo.userName + '!');
    zim.on('userInfoUpdated', (zim, { info }) => console.log(info.baseInfo.userID, info.extendedData));
    return userList.map((u) => u.baseInfo.userID).join() + errorUserList.length;
}
void profiles;

// Conversations, receipts, revoke and edit, as ZIM 2.x chat code writes them.
import type { ZIMConversation, ZIMMessageLike, ZIMRevokeMessage } from 'tinyim';
async function chat(zim: ZIM): Promise<number> {
    zim.on('conversationChanged', (zim, { infoList }) => infoList.forEach((i) => console.log(i.event, i.conversation.unreadMessageCount)));
    zim.on('conversationTotalUnreadMessageCountUpdated', (zim, { totalUnreadMessageCount }) => console.log(totalUnreadMessageCount));
    zim.on('messageReceiptChanged', (zim, { infos }) => console.log(infos[0].status, infos[0].messageID));
    zim.on('messageRevokeReceived', (zim, { messageList }) => console.log(messageList[0].originalTextMessageContent));
    zim.on('messageSentStatusChanged', (zim, { infos }) => console.log(infos[0].status, infos[0].message.localMessageID));
    const { conversationList } = await zim.queryConversationList({ count: 20 });
    const next: ZIMConversation | undefined = conversationList[conversationList.length - 1];
    await zim.queryConversationList({ nextConversation: next, count: 20 }, { marks: [1], isOnlyUnreadConversation: true });
    await zim.clearConversationUnreadMessageCount('bob', ZIMConversationType.Peer);
    await zim.updateConversationPinnedState(true, 'bob', ZIMConversationType.Peer);
    await zim.setConversationNotificationStatus(2, 'bob', ZIMConversationType.Peer);
    await zim.setConversationDraft('…', 'bob', ZIMConversationType.Peer);
    await zim.setConversationMark(1, true, [{ conversationID: 'bob', conversationType: ZIMConversationType.Peer }]);
    await zim.deleteConversation('bob', ZIMConversationType.Peer, { isAlsoDeleteServerConversation: true });
    const { unreadMessageCount } = await zim.queryConversationTotalUnreadMessageCount({});
    const { message } = await zim.sendMessage({ type: ZIMMessageType.Text, message: 'hi' }, 'bob', ZIMConversationType.Peer, { priority: 1, hasReceipt: true });
    await zim.sendMessageReceiptsRead([message], 'bob', ZIMConversationType.Peer);
    const { infos } = await zim.queryMessageReceiptsInfo([message], 'bob', ZIMConversationType.Peer);
    const revoked: ZIMMessageLike = (await zim.revokeMessage(message, { revokeExtendedData: '' })).message;
    if (revoked.type === ZIMMessageType.Revoke) console.log((revoked as ZIMRevokeMessage).revokeTimestamp);
    await zim.editMessage(message, {});
    await zim.deleteMessages([message], 'bob', ZIMConversationType.Peer, { isAlsoDeleteServerMessage: false });
    await zim.insertMessageToLocalDB({ type: ZIMMessageType.Text, message: 'note' }, 'bob', ZIMConversationType.Peer, 'alice');
    await zim.updateMessageLocalExtendedData('{}', message);
    await zim.queryMessages([1, 2], 'bob', ZIMConversationType.Peer);
    return unreadMessageCount + infos.length;
}
void chat;
