// Compiled by tests/js/types.test.js against the installed package (not run).
import { ZIM, ZIMMessage, ZIMConnectionState, ZIMConversationType, ZIMMessageType, ZIMCallUserState, ZIMCallInvitationMode } from 'tinyim';
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

// Groups, as ZIM code calls them, with both callback styles.
import { ZIMGroupJoinMode, ZIMGroupState, ZIMGroupMemberInfo, ZIMGroupOperatedInfo, ZIMGroupMemberState, ZIMGroupMemberEvent } from 'tinyim';
async function groups(zim: ZIM): Promise<number> {
    const { groupInfo, userList } = await zim.createGroup({ groupID: 'g', groupName: 'G' }, ['bob'], { joinMode: ZIMGroupJoinMode.Auth });
    await zim.updateGroupName(groupInfo.baseInfo.groupName + '!', 'g');
    await zim.muteGroupMembers(true, ['bob'], 'g', { duration: 60 });
    const page = await zim.queryGroupMemberList('g', { nextFlag: 0, count: 100 });
    const all = await zim.queryGroupList();
    const some = await zim.queryGroupList(10, { nextFlag: all.nextFlag, userIDs: ['bob'] });
    const apps = await zim.queryGroupApplicationList({ nextFlag: 0, count: 10 });
    await zim.acceptGroupJoinApplication(apps.applicationList[0].applyUser.userID, 'g', {});
    zim.on('groupStateChanged', (zim, { state, groupInfo }) => console.log(state === ZIMGroupState.Enter, groupInfo.baseInfo.groupID));
    zim.on('groupApplicationListChanged', (zim, { applicationList }) => console.log(applicationList.length));
    zim.on('groupMemberStateChanged', function (zim: ZIM, state: ZIMGroupMemberState, event: ZIMGroupMemberEvent, userList: ZIMGroupMemberInfo[], operatedInfo: ZIMGroupOperatedInfo, groupID: string) {
        console.log(state, event, userList.length, operatedInfo.userID, groupID);
    });
    return userList.length + page.userList[0].muteExpiredTime + some.groupList.length;
}
void groups;
// Rooms and calls, as ZIM 2.x code writes them.
async function roomsAndCalls(zim: ZIM): Promise<number> {
    await zim.enterRoom({ roomID: 'r', roomName: 'R' }, { roomAttributes: { seat: 'a' }, roomDestroyDelayTime: 60 });
    zim.on('roomAttributesUpdated', (zim, { roomID, infos }) => console.log(roomID, infos[0].action, infos[0].roomAttributes));
    zim.on('roomMemberAttributesUpdated', (zim, { infos, operatedInfo }) => console.log(infos[0].attributesInfo.userID, operatedInfo.userID));
    const { errorKeys } = await zim.setRoomAttributes({ seat: 'b' }, 'r', { isForce: true, isDeleteAfterOwnerLeft: false, isUpdateOwner: true });
    zim.beginRoomAttributesBatchOperation('r', { isForce: false, isDeleteAfterOwnerLeft: true, isUpdateOwner: false });
    void zim.deleteRoomAttributes(['seat'], 'r', { isForce: false });
    await zim.endRoomAttributesBatchOperation('r');
    const { roomAttributes } = await zim.queryRoomAllAttributes('r');
    await zim.setRoomMembersAttributes({ lv: '1' }, ['a'], 'r', { isDeleteAfterOwnerLeft: true });
    const { infos } = await zim.queryRoomMemberAttributesList('r', { nextFlag: '', count: 10 });
    await zim.switchRoom('r', { roomID: 's', roomName: '' }, true);
    const { roomIDs } = await zim.leaveAllRoom();

    zim.on('callInvitationReceived', (zim, { callID, inviter, callUserList }) => console.log(callID, inviter, callUserList[0].state === ZIMCallUserState.Inviting));
    zim.on('callUserStateChanged', (zim, { callUserList }) => console.log(callUserList.length));
    zim.on('callInvitationTimeout', (zim, { callID, mode }) => console.log(callID, mode === ZIMCallInvitationMode.General));
    const { callID } = await zim.callInvite(['b'], { timeout: 30, mode: ZIMCallInvitationMode.General, extendedData: '' });
    await zim.callAccept(callID, { extendedData: '' });
    await zim.callCancel([], callID, { extendedData: '' });
    const { callList, nextFlag } = await zim.queryCallInvitationList({ count: 10 });
    return errorKeys.length + Object.keys(roomAttributes).length + infos.length + roomIDs.length + callList.length + nextFlag;
}
void roomsAndCalls;
// Conversations, receipts, revoke and edit, as ZIM 2.x chat code writes them.
import type { ZIMConversation, ZIMMessageLike, ZIMRevokeMessage, ZIMImageMessage, ZIMFileMessage, ZIMMediaMessage } from 'tinyim';
import { ZIMMediaFileType } from 'tinyim';
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

// Media messages: an image from a local path with upload progress; a download of a received file.
async function media(path: string) {
    const { message } = await zim.sendMediaMessage(
        { type: ZIMMessageType.Image, fileLocalPath: path, originalImageWidth: 640 },
        'bob',
        ZIMConversationType.Peer,
        { priority: 1 },
        { onMediaUploadingProgress: (m, current, total) => console.log(m.fileName, current / total) },
    );
    if (message.type === ZIMMessageType.Image) console.log((message as ZIMImageMessage).thumbnailDownloadUrl);
    const file: ZIMMediaMessage = message as ZIMFileMessage;
    const { message: got } = await zim.downloadMediaFile(file, ZIMMediaFileType.OriginalFile, {}, (m, current, total) => console.log(current, total));
    return got.fileLocalPath;
}
void media;
