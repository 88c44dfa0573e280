// Type definitions for tinyim: the ZIM API of zego-zim-miniprogram (first tier), in the style
// of ZIM's own typings.

// ---- enums (ZIM's values) ---------------------------------------------------------------------

export declare enum ZIMConnectionState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
    Reconnecting = 3,
}

export declare enum ZIMConnectionEvent {
    Success = 0,
    ActiveLogin = 1,
    LoginTimeout = 2,
    LoginInterrupted = 3,
    KickedOut = 4,
    TokenExpired = 5,
    Unregistered = 6,
}

export declare enum ZIMRoomState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
}

export declare enum ZIMRoomEvent {
    Success = 0,
    NetworkInterrupted = 1,
    NetworkDisconnected = 2,
    RoomNotExist = 3,
    ActiveCreate = 4,
    CreateFailed = 5,
    ActiveEnter = 6,
    EnterFailed = 7,
    KickedOut = 8,
    ConnectTimeout = 9,
    KickedOutByOtherDevice = 10,
}

export declare enum ZIMConversationType {
    Unknown = -1,
    Peer = 0,
    Room = 1,
    Group = 2,
}

export declare enum ZIMMessageType {
    Unknown = 0,
    Text = 1,
    Command = 2,
    Image = 11,
    File = 12,
    Audio = 13,
    Video = 14,
    Barrage = 20,
    System = 30,
    Revoke = 31,
    Custom = 200,
}

export declare enum ZIMMessagePriority {
    Low = 1,
    Medium = 2,
    High = 3,
}

export declare enum ZIMMessageDirection {
    Send = 0,
    Receive = 1,
}

export declare enum ZIMMessageSentStatus {
    Sending = 0,
    Success = 1,
    Failed = 2,
}

export declare enum ZIMErrorCode {
    Success = 0,
    CommonModuleParamsInvalid = 6000001,
    CommonModuleNotInit = 6000002,
    CommonModuleInvalidAppID = 6000003,
    CommonModuleTriggerSDKFrequencyLimit = 6000004,
    CommonModuleTriggerServerFrequencyLimit = 6000005,
    CommonModuleIMServerError = 6000007,
    CommonModuleIMDatabaseError = 6000008,
    CommonModuleIMServerDisconnect = 6000009,
    CommonModuleUnsupportedRequest = 6000013,
    NetworkModuleCommonError = 6000101,
    NetworkModuleTokenInvalid = 6000103,
    NetworkModuleNetworkError = 6000104,
    NetworkModuleRequestTimeout = 6000105,
    NetworkModuleTokenExpired = 6000106,
    NetworkModuleTokenVersionError = 6000107,
    NetworkModuleUserHasAlreadyLogged = 6000111,
    NetworkModuleUserIsNotLogged = 6000121,
    NetworkModuleUserHasAlreadyLoggedOut = 6000122,
    NetworkModuleUserOffline = 6000123,
    NetworkModuleUserIDError = 6000124,
    MessageModuleCommonError = 6000201,
    MessageModuleSendMessageFailed = 6000203,
    MessageModuleTargetDoesNotExist = 6000204,
    RoomModuleCommonError = 6000301,
    RoomModuleUserIsNotInTheRoom = 6000321,
    RoomModuleTheRoomDoesNotExist = 6000322,
    RoomModuleTheRoomAlreadyExists = 6000323,
}

// ---- objects ----------------------------------------------------------------------------------

export interface ZIMError {
    code: ZIMErrorCode | number;
    message: string;
}

export interface ZIMAppConfig {
    appID: number;
    /** tinyim: the server's WebSocket URL (else `ZIM.setAdvancedConfig('server', url)`). */
    server?: string;
    appSign?: string;
}

export interface ZIMUserInfo {
    userID: string;
    userName?: string;
    userAvatarUrl?: string;
    userExtendedData?: string;
}

// ---- users ------------------------------------------------------------------------------------

export interface ZIMUserFullInfo {
    baseInfo: ZIMUserInfo;
    userAvatarUrl: string;
    extendedData: string;
}

export interface ZIMErrorUserInfo {
    userID: string;
    reason: number;
}

export interface ZIMSelfUserInfo {
    userFullInfo: ZIMUserFullInfo;
}

export interface ZIMSelfUserInfoQueriedResult {
    selfUserInfo: ZIMSelfUserInfo;
}

export interface ZIMUsersInfoQueryConfig {
    /** tinyim always asks the server; the flag is accepted. */
    isQueryFromServer: boolean;
}

export interface ZIMUsersInfoQueriedResult {
    userList: ZIMUserFullInfo[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMUserNameUpdatedResult {
    userName: string;
}

export interface ZIMUserAvatarUrlUpdatedResult {
    userAvatarUrl: string;
}

export interface ZIMUserExtendedDataUpdatedResult {
    extendedData: string;
}

export interface ZIMEventOfUserInfoUpdatedResult {
    info: ZIMUserFullInfo;
}

export interface ZIMLoginConfig {
    userName?: string;
    token?: string;
    isOfflineLogin?: boolean;
}

export interface ZIMMessage {
    type: ZIMMessageType;
    /** Server message ID; u64 as a decimal string. */
    messageID: string;
    /** Client message ID; u64 as a decimal string. */
    localMessageID: string;
    messageSeq: number;
    conversationSeq: number;
    senderUserID: string;
    conversationID: string;
    conversationType: ZIMConversationType;
    direction: ZIMMessageDirection;
    sentStatus: ZIMMessageSentStatus;
    /** Unix milliseconds. */
    timestamp: number;
    orderKey: number;
    priority: ZIMMessagePriority;
    isUserInserted: boolean;
    /** ZIMMessageReceiptStatus: 0 none, 1 processing, 2 done. */
    receiptStatus: number;
    /** The sender, once edited; '' otherwise. */
    editorUserID: string;
    editedTime: number;
    extendedData: string;
    /** This device's own data on the message (updateMessageLocalExtendedData). */
    localExtendedData: string;
}

export interface ZIMTextMessage extends ZIMMessage {
    type: ZIMMessageType.Text;
    message: string;
}

export interface ZIMCommandMessage extends ZIMMessage {
    type: ZIMMessageType.Command;
    message: Uint8Array;
}

export interface ZIMBarrageMessage extends ZIMMessage {
    type: ZIMMessageType.Barrage;
    message: string;
}

export interface ZIMCustomMessage extends ZIMMessage {
    type: ZIMMessageType.Custom;
    message: string;
    subType: number;
    searchedContent: string;
}

/** A revoked message: its type is Revoke; the text it had is kept as originalTextMessageContent. */
export interface ZIMRevokeMessage extends ZIMMessage {
    type: ZIMMessageType.Revoke;
    /** ZIMRevokeType: 0 two-way. */
    revokeType: number;
    revokeTimestamp: number;
    operatedUserID: string;
    originalMessageType: ZIMMessageType;
    originalTextMessageContent: string;
    revokeExtendedData: string;
    /** ZIMMessageRevokeStatus: 0 revoked by its sender. */
    revokeStatus: number;
}

export type ZIMMessageLike = ZIMTextMessage | ZIMCommandMessage | ZIMBarrageMessage | ZIMCustomMessage | ZIMRevokeMessage;

/** What a send takes: `{ type, message }`, plus 1.x's `priority` and `extendedData` (a custom message: `subType`, `searchedContent`). */
export interface ZIMMessageToSend {
    type: ZIMMessageType;
    message: string | Uint8Array;
    priority?: ZIMMessagePriority;
    extendedData?: string;
    subType?: number;
    searchedContent?: string;
}

export interface ZIMMessageSendConfig {
    priority?: ZIMMessagePriority;
    hasReceipt?: boolean;
}

export interface ZIMMessageSendNotification {
    /** Gets the message being sent (sentStatus Sending, with its localMessageID); the same object becomes the result, or Failed. */
    onMessageAttached?: (message: ZIMMessageToSend & Partial<ZIMMessage>) => void;
}

export interface ZIMMessageSentResult {
    message: ZIMMessageLike;
}

export interface ZIMRoomInfo {
    roomID: string;
    roomName?: string;
}

export interface ZIMRoomFullInfo {
    baseInfo: { roomID: string; roomName: string };
}

export interface ZIMRoomAdvancedConfig {
    roomAttributes?: Record<string, string>;
    roomDestroyDelayTime?: number;
}

export interface ZIMRoomCreatedResult {
    roomInfo: ZIMRoomFullInfo;
}
export type ZIMRoomJoinedResult = ZIMRoomCreatedResult;
export type ZIMRoomEnteredResult = ZIMRoomCreatedResult;

export interface ZIMRoomLeftResult {
    roomID: string;
}

export interface ZIMRoomMemberQueryConfig {
    nextFlag: string;
    count: number;
}

export interface ZIMRoomMemberQueriedResult {
    roomID: string;
    memberList: ZIMUserInfo[];
    nextFlag: string;
}

export interface ZIMRoomOnlineMemberCountQueriedResult {
    roomID: string;
    count: number;
}

export interface ZIMMessageQueryConfig {
    nextMessage?: ZIMMessage | null;
    count: number;
    reverse: boolean;
}

export interface ZIMMessageQueriedResult {
    conversationID: string;
    conversationType: ZIMConversationType;
    messageList: ZIMMessageLike[];
}

export interface ZIMTokenRenewedResult {
    token: string;
}

// ---- conversations ----------------------------------------------------------------------------
// Enum-valued fields are typed `number` here, with the ZIM enum named in the comment.

export interface ZIMMessageMentionedInfo {
    messageID: string;
    messageSeq: number;
    fromUserID: string;
    /** ZIMMessageMentionedType. */
    type: number;
}

export interface ZIMConversation {
    conversationID: string;
    type: ZIMConversationType;
    conversationName: string;
    conversationAvatarUrl: string;
    conversationAlias: string;
    /** ZIMConversationNotificationStatus: 1 notify, 2 do not disturb (not counted in the total). */
    notificationStatus: number;
    unreadMessageCount: number;
    readMessageSeq: number;
    lastMessage?: ZIMMessageLike | null;
    orderKey: number;
    isPinned: boolean;
    pinnedTime: number;
    mentionedInfoList: ZIMMessageMentionedInfo[];
    draft: string;
    marks: number[];
}

export interface ZIMConversationBaseInfo {
    conversationID: string;
    conversationType: ZIMConversationType;
}

export interface ZIMConversationQueryConfig {
    nextConversation?: ZIMConversation | null;
    count: number;
}

export interface ZIMConversationFilterOption {
    conversationTypes?: ZIMConversationType[];
    marks?: number[];
    isOnlyUnreadConversation?: boolean;
    /** ZIMConversationPinnedFilter: 0 all, 1 only pinned, 2 only unpinned. */
    pinnedFilter?: number;
}

export interface ZIMConversationTotalUnreadMessageCountQueryConfig {
    conversationTypes?: ZIMConversationType[];
    marks?: number[];
}

export interface ZIMConversationDeleteConfig {
    /** false: this device only. */
    isAlsoDeleteServerConversation: boolean;
}

export interface ZIMConversationChangeInfo {
    /** ZIMConversationEvent: 0 added, 1 updated, 2 disabled, 3 deleted. */
    event: number;
    conversation: ZIMConversation;
}

export interface ZIMConversationListQueriedResult {
    conversationList: ZIMConversation[];
}
export type ZIMConversationPinnedListQueriedResult = ZIMConversationListQueriedResult;

export interface ZIMConversationQueriedResult {
    conversation: ZIMConversation;
}

export interface ZIMConversationTotalUnreadMessageCountQueriedResult {
    unreadMessageCount: number;
}

export type ZIMConversationDeletedResult = ZIMConversationBaseInfo;
export type ZIMConversationUnreadMessageCountClearedResult = ZIMConversationBaseInfo;
export type ZIMConversationNotificationStatusSetResult = ZIMConversationBaseInfo;
export type ZIMConversationPinnedStateUpdatedResult = ZIMConversationBaseInfo;
export type ZIMConversationDraftSetResult = ZIMConversationBaseInfo;
export type ZIMConversationMessageReceiptReadSentResult = ZIMConversationBaseInfo;

export interface ZIMConversationMarkSetResult {
    failedConversationInfos: ZIMConversationBaseInfo[];
}

// ---- messages beyond sending ------------------------------------------------------------------

export interface ZIMMessageDeleteConfig {
    /** false: this device only. */
    isAlsoDeleteServerMessage: boolean;
}

export interface ZIMMessageRevokeConfig {
    revokeExtendedData?: string;
}

export interface ZIMMessageEditConfig {}
export interface ZIMSendingMessageCancelConfig {}

export type ZIMMessageDeletedResult = ZIMConversationBaseInfo;

export interface ZIMMessageRevokedResult {
    message: ZIMMessageLike;
}
export type ZIMMessageEditedResult = ZIMMessageRevokedResult;
export type ZIMMessageInsertedResult = ZIMMessageRevokedResult;
export type ZIMMessageLocalExtendedDataUpdatedResult = ZIMMessageRevokedResult;

export interface ZIMMessageReceiptInfo {
    /** ZIMMessageReceiptStatus: 1 processing, 2 done. */
    status: number;
    messageID: string;
    conversationID: string;
    conversationType: ZIMConversationType;
    readMemberCount: number;
    unreadMemberCount: number;
    isSelfOperated: boolean;
    readTime: number;
}

export interface ZIMMessageReceiptsReadSentResult {
    conversationID: string;
    conversationType: ZIMConversationType;
    errorMessageIDs: string[];
}

export interface ZIMMessageReceiptsInfoQueriedResult {
    infos: ZIMMessageReceiptInfo[];
    errorMessageIDs: string[];
}

export interface ZIMMessageSentStatusChangeInfo {
    /** ZIMMessageSentStatus. */
    status: ZIMMessageSentStatus;
    message: ZIMMessageLike;
    reason: string;
}

export interface ZIMEventOfConversationChangedResult {
    infoList: ZIMConversationChangeInfo[];
}

export interface ZIMEventOfConversationTotalUnreadMessageCountUpdatedResult {
    totalUnreadMessageCount: number;
}

export interface ZIMEventOfConversationsAllDeletedResult {
    count: number;
}

export interface ZIMEventOfConversationSyncStateChangedResult {
    /** ZIMConversationSyncState: 0 started, 1 finished, 2 failed. */
    state: number;
}

export interface ZIMEventOfMessageReceiptChangedResult {
    infos: ZIMMessageReceiptInfo[];
}
export type ZIMEventOfConversationMessageReceiptChangedResult = ZIMEventOfMessageReceiptChangedResult;

export interface ZIMEventOfMessageRevokeReceivedResult {
    messageList: ZIMRevokeMessage[];
}

export interface ZIMEventOfMessageEditedResult {
    messageList: ZIMMessageLike[];
}

export interface ZIMEventOfMessageDeletedResult {
    conversationID: string;
    conversationType: ZIMConversationType;
    isDeleteConversationAllMessage: boolean;
    /** ZIMMessageDeleteType: 0 these messages, 1 all of the conversation, 2 all of every conversation. */
    messageDeleteType: number;
    messageList: ZIMMessageLike[];
}

export interface ZIMEventOfMessageSentStatusChangedResult {
    infos: ZIMMessageSentStatusChangeInfo[];
}

// ---- events (2.x data objects) ----------------------------------------------------------------

export interface ZIMEventOfConnectionStateChangedResult {
    state: ZIMConnectionState;
    event: ZIMConnectionEvent;
    /** A JSON string, '' when there is nothing to say. */
    extendedData: string;
}

export interface ZIMEventOfTokenWillExpireResult {
    second: number;
}

export interface ZIMEventOfReceiveConversationMessageResult {
    messageList: ZIMMessageLike[];
    fromConversationID: string;
}

export interface ZIMEventOfConversationMessageReceivedResult {
    messageList: ZIMMessageLike[];
    fromConversationID: string;
    info: { isOfflineMessage: boolean };
}

export interface ZIMEventOfRoomStateChangedResult {
    roomID: string;
    state: ZIMRoomState;
    event: ZIMRoomEvent;
    extendedData: string;
}

export interface ZIMEventOfRoomMembersChangedResult {
    roomID: string;
    memberList: ZIMUserInfo[];
}

/** 2.x style: every callback is (zim, data). */
export interface ZIMEventHandler {
    error: (zim: ZIM, errorInfo: ZIMError) => void;
    connectionStateChanged: (zim: ZIM, data: ZIMEventOfConnectionStateChangedResult) => void;
    tokenWillExpire: (zim: ZIM, data: ZIMEventOfTokenWillExpireResult) => void;
    receivePeerMessage: (zim: ZIM, data: ZIMEventOfReceiveConversationMessageResult) => void;
    receiveRoomMessage: (zim: ZIM, data: ZIMEventOfReceiveConversationMessageResult) => void;
    receiveGroupMessage: (zim: ZIM, data: ZIMEventOfReceiveConversationMessageResult) => void;
    peerMessageReceived: (zim: ZIM, data: ZIMEventOfConversationMessageReceivedResult) => void;
    roomMessageReceived: (zim: ZIM, data: ZIMEventOfConversationMessageReceivedResult) => void;
    roomStateChanged: (zim: ZIM, data: ZIMEventOfRoomStateChangedResult) => void;
    roomMemberJoined: (zim: ZIM, data: ZIMEventOfRoomMembersChangedResult) => void;
    roomMemberLeft: (zim: ZIM, data: ZIMEventOfRoomMembersChangedResult) => void;
    userInfoUpdated: (zim: ZIM, data: ZIMEventOfUserInfoUpdatedResult) => void;
    conversationChanged: (zim: ZIM, data: ZIMEventOfConversationChangedResult) => void;
    conversationTotalUnreadMessageCountUpdated: (zim: ZIM, data: ZIMEventOfConversationTotalUnreadMessageCountUpdatedResult) => void;
    conversationsAllDeleted: (zim: ZIM, data: ZIMEventOfConversationsAllDeletedResult) => void;
    conversationSyncStateChanged: (zim: ZIM, data: ZIMEventOfConversationSyncStateChangedResult) => void;
    conversationMessageReceiptChanged: (zim: ZIM, data: ZIMEventOfConversationMessageReceiptChangedResult) => void;
    messageReceiptChanged: (zim: ZIM, data: ZIMEventOfMessageReceiptChangedResult) => void;
    messageRevokeReceived: (zim: ZIM, data: ZIMEventOfMessageRevokeReceivedResult) => void;
    messageEdited: (zim: ZIM, data: ZIMEventOfMessageEditedResult) => void;
    messageDeleted: (zim: ZIM, data: ZIMEventOfMessageDeletedResult) => void;
    messageSentStatusChanged: (zim: ZIM, data: ZIMEventOfMessageSentStatusChangedResult) => void;
}

/** 1.x style: positional arguments after `zim` (the seed article's callbacks). */
export interface ZIMEventHandler1x {
    error: (zim: ZIM, errorInfo: ZIMError) => void;
    connectionStateChanged: (zim: ZIM, state: ZIMConnectionState, event: ZIMConnectionEvent, extendedData: string) => void;
    tokenWillExpire: (zim: ZIM, second: number) => void;
    receivePeerMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromUserID: string) => void;
    receiveRoomMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromRoomID: string) => void;
    roomStateChanged: (zim: ZIM, state: ZIMRoomState, event: ZIMRoomEvent, extendedData: string, roomID: string) => void;
    roomMemberJoined: (zim: ZIM, memberList: ZIMUserInfo[], roomID: string) => void;
    roomMemberLeft: (zim: ZIM, memberList: ZIMUserInfo[], roomID: string) => void;
}

/**
 * Which style a callback gets: `options.style` if given, else
 * `ZIM.setAdvancedConfig('callback_style', ...)`, else 1.x when the callback declares three
 * or more parameters, else 1.x when any callback on the instance does, else 2.x.
 */
export interface ZIMEventOptions {
    style?: '1.x' | '2.x';
}

export type ZIMAdvancedConfigKey = 'server' | 'wasm_path' | 'callback_style' | 'websocket';

// ---- the class --------------------------------------------------------------------------------

export declare class ZIM {
    /** Creates the instance (synchronously; the wasm loads in the background and calls wait for it). A second create without destroy returns null. */
    static create(appID: number | ZIMAppConfig): ZIM | null;
    static getInstance(): ZIM | null;
    static getVersion(): string;
    /** Before create: 'server' (WebSocket URL), 'wasm_path', 'callback_style' ('1.x' | '2.x'), 'websocket' (a WebSocket class). */
    static setAdvancedConfig(key: ZIMAdvancedConfigKey | string, value: unknown): void;

    /** 2.x callbacks get their types inferred; 1.x callbacks (the second overload) need annotated parameters in TypeScript. */
    on<K extends keyof ZIMEventHandler>(type: K, listener: ZIMEventHandler[K], options?: ZIMEventOptions): void;
    on<K extends keyof ZIMEventHandler1x>(type: K, listener: ZIMEventHandler1x[K], options?: ZIMEventOptions): void;
    off<K extends keyof ZIMEventHandler>(type: K, listener?: (...args: any[]) => void): void;

    /** Accepted and ignored (tinyim has no SDK log files or local cache to configure). */
    setLogConfig(config: { logPath?: string; logSize?: number; logLevel?: string }): void;
    /** Accepted and ignored. */
    setCacheConfig(config: { cachePath?: string }): void;

    login(userInfo: ZIMUserInfo, token: string): Promise<void>;
    login(userID: string, config: ZIMLoginConfig): Promise<void>;
    logout(): void;
    destroy(): void;
    renewToken(token: string): Promise<ZIMTokenRenewedResult>;

    sendPeerMessage(message: ZIMMessageToSend, toUserID: string, config?: ZIMMessageSendConfig): Promise<ZIMMessageSentResult>;
    sendRoomMessage(message: ZIMMessageToSend, toRoomID: string, config?: ZIMMessageSendConfig): Promise<ZIMMessageSentResult>;
    sendMessage(
        message: ZIMMessageToSend,
        toConversationID: string,
        conversationType: ZIMConversationType,
        config: ZIMMessageSendConfig,
        notification?: ZIMMessageSendNotification,
    ): Promise<ZIMMessageSentResult>;

    createRoom(roomInfo: ZIMRoomInfo, config?: ZIMRoomAdvancedConfig): Promise<ZIMRoomCreatedResult>;
    joinRoom(roomID: string): Promise<ZIMRoomJoinedResult>;
    enterRoom(roomInfo: ZIMRoomInfo, config?: ZIMRoomAdvancedConfig): Promise<ZIMRoomEnteredResult>;
    leaveRoom(roomID: string): Promise<ZIMRoomLeftResult>;
    queryRoomMemberList(roomID: string, config: ZIMRoomMemberQueryConfig): Promise<ZIMRoomMemberQueriedResult>;
    queryRoomOnlineMemberCount(roomID: string): Promise<ZIMRoomOnlineMemberCountQueriedResult>;

    queryHistoryMessage(
        conversationID: string,
        conversationType: ZIMConversationType,
        config: ZIMMessageQueryConfig,
    ): Promise<ZIMMessageQueriedResult>;

    querySelfUserInfo(): Promise<ZIMSelfUserInfoQueriedResult>;
    queryUsersInfo(userIDs: string[], config: ZIMUsersInfoQueryConfig): Promise<ZIMUsersInfoQueriedResult>;
    updateUserName(userName: string): Promise<ZIMUserNameUpdatedResult>;
    updateUserAvatarUrl(userAvatarUrl: string): Promise<ZIMUserAvatarUrlUpdatedResult>;
    updateUserExtendedData(extendedData: string): Promise<ZIMUserExtendedDataUpdatedResult>;

    // Conversations
    queryConversationList(config: ZIMConversationQueryConfig, option?: ZIMConversationFilterOption): Promise<ZIMConversationListQueriedResult>;
    queryConversation(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationQueriedResult>;
    queryConversationPinnedList(config: ZIMConversationQueryConfig): Promise<ZIMConversationPinnedListQueriedResult>;
    updateConversationPinnedState(isPinned: boolean, conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationPinnedStateUpdatedResult>;
    deleteConversation(conversationID: string, conversationType: ZIMConversationType, config: ZIMConversationDeleteConfig): Promise<ZIMConversationDeletedResult>;
    deleteAllConversations(config: ZIMConversationDeleteConfig): Promise<void>;
    clearConversationUnreadMessageCount(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationUnreadMessageCountClearedResult>;
    clearConversationTotalUnreadMessageCount(): Promise<void>;
    queryConversationTotalUnreadMessageCount(config: ZIMConversationTotalUnreadMessageCountQueryConfig): Promise<ZIMConversationTotalUnreadMessageCountQueriedResult>;
    /** status: ZIMConversationNotificationStatus (1 notify, 2 do not disturb). */
    setConversationNotificationStatus(status: number, conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationNotificationStatusSetResult>;
    setConversationDraft(draft: string, conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationDraftSetResult>;
    setConversationMark(markType: number, enable: boolean, conversationInfos: ZIMConversationBaseInfo[]): Promise<ZIMConversationMarkSetResult>;

    // Messages: query, delete, receipts, revoke, edit, the local store
    queryMessages(messageSeqs: number[], conversationID: string, conversationType: ZIMConversationType): Promise<ZIMMessageQueriedResult>;
    deleteMessages(messageList: ZIMMessage[], conversationID: string, conversationType: ZIMConversationType, config: ZIMMessageDeleteConfig): Promise<ZIMMessageDeletedResult>;
    deleteAllMessage(conversationID: string, conversationType: ZIMConversationType, config: ZIMMessageDeleteConfig): Promise<ZIMMessageDeletedResult>;
    deleteAllConversationMessages(config: ZIMMessageDeleteConfig): Promise<void>;
    sendMessageReceiptsRead(messageList: ZIMMessage[], conversationID: string, conversationType: ZIMConversationType): Promise<ZIMMessageReceiptsReadSentResult>;
    sendConversationMessageReceiptRead(conversationID: string, conversationType: ZIMConversationType): Promise<ZIMConversationMessageReceiptReadSentResult>;
    queryMessageReceiptsInfo(messageList: ZIMMessage[], conversationID: string, conversationType: ZIMConversationType): Promise<ZIMMessageReceiptsInfoQueriedResult>;
    revokeMessage(message: ZIMMessage, config?: ZIMMessageRevokeConfig): Promise<ZIMMessageRevokedResult>;
    editMessage(message: ZIMMessage, config: ZIMMessageEditConfig, notification?: ZIMMessageSendNotification): Promise<ZIMMessageEditedResult>;
    insertMessageToLocalDB(message: ZIMMessageToSend, conversationID: string, conversationType: ZIMConversationType, senderUserID: string): Promise<ZIMMessageInsertedResult>;
    updateMessageLocalExtendedData(localExtendedData: string, message: ZIMMessage): Promise<ZIMMessageLocalExtendedDataUpdatedResult>;
    cancelSendingMessage(message: ZIMMessage, config?: ZIMSendingMessageCancelConfig): Promise<void>;

    // Second tier (not in tinyim yet): each rejects with { code: 6000013 }.
    sendMediaMessage(...args: unknown[]): Promise<never>;
    downloadMediaFile(...args: unknown[]): Promise<never>;
    createGroup(...args: unknown[]): Promise<never>;
    joinGroup(...args: unknown[]): Promise<never>;
    leaveGroup(...args: unknown[]): Promise<never>;
    dismissGroup(...args: unknown[]): Promise<never>;
    queryGroupList(...args: unknown[]): Promise<never>;
    queryGroupInfo(...args: unknown[]): Promise<never>;
    queryGroupMemberList(...args: unknown[]): Promise<never>;
    sendGroupMessage(...args: unknown[]): Promise<never>;
    setRoomAttributes(...args: unknown[]): Promise<never>;
    queryRoomAllAttributes(...args: unknown[]): Promise<never>;
    callInvite(...args: unknown[]): Promise<never>;
    callAccept(...args: unknown[]): Promise<never>;
    callReject(...args: unknown[]): Promise<never>;
    callCancel(...args: unknown[]): Promise<never>;
    addFriend(...args: unknown[]): Promise<never>;
    queryFriendList(...args: unknown[]): Promise<never>;
}

export default ZIM;
