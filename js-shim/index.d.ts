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
    GroupModuleCommonError = 6000501,
    GroupModuleUserIsNotInTheGroup = 6000521,
    GroupModuleMemberIsAlreadyInTheGroup = 6000522,
    GroupModuleGroupDoesNotExist = 6000523,
    GroupModuleGroupAlreadyExists = 6000524,
    GroupModuleGroupMemberHasReachedLimit = 6000525,
    GroupModuleGroupAttributeDoesNotExist = 6000526,
    GroupModuleCreateGroupWithDismissed = 6000527,
    GroupModuleTheNumberOfGroupAttributesExceedsLimit = 6000531,
    GroupModuleTheLengthOfGroupAttributeKeyExceedsLimit = 6000532,
    GroupModuleTheLengthOfGroupAttributeValueExceedsLimit = 6000533,
    GroupModuleGroupNoCorrespondingOperationAuthority = 6000541,
    GroupModuleForbidJoinGroupError = 6000542,
    GroupModuleNeedApplyJoinGroupError = 6000543,
    GroupModuleNeedApplyInviteGroupError = 6000544,
}

export declare enum ZIMGroupState { Quit = 0, Enter = 1 }
export declare enum ZIMGroupEvent { Unknown = -1, Created = 1, Dismissed = 2, Joined = 3, Invited = 4, Left = 5, KickedOut = 6 }
export declare enum ZIMGroupMemberState { Quit = 0, Enter = 1 }
export declare enum ZIMGroupMemberEvent { Unknown = -1, Joined = 1, Left = 2, KickedOut = 4, Invited = 5 }
export declare enum ZIMGroupMessageNotificationStatus { Notify = 1, Disturb = 2 }
export declare enum ZIMGroupAttributesUpdateAction { Set = 0, Delete = 1 }
export declare enum ZIMGroupMuteMode { None = 0, Normal = 1, All = 2, Custom = 3 }
export declare enum ZIMGroupJoinMode { Any = 0, Auth = 1, Forbid = 2 }
export declare enum ZIMGroupInviteMode { Any = 0, Admin = 1 }
export declare enum ZIMGroupBeInviteMode { None = 0, Auth = 1 }
export declare enum ZIMGroupEnterType { Unknown = 0, Created = 1, JoinApply = 2, Joined = 3, Invited = 4, InviteApply = 5 }
export declare enum ZIMGroupApplicationType { Unknown = -1, None = 0, Join = 1, Invite = 2, BeInvite = 3 }
export declare enum ZIMGroupApplicationState { Unknown = -1, Waiting = 1, Accepted = 2, Rejected = 3, Expired = 4, Disabled = 5 }
export declare enum ZIMGroupApplicationListChangeAction { Added = 0 }

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
    extendedData: string;
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

export type ZIMMessageLike = ZIMTextMessage | ZIMCommandMessage | ZIMBarrageMessage;

/** What a send takes: `{ type, message }`, plus 1.x's `priority` and `extendedData`. */
export interface ZIMMessageToSend {
    type: ZIMMessageType;
    message: string | Uint8Array;
    priority?: ZIMMessagePriority;
    extendedData?: string;
}

export interface ZIMMessageSendConfig {
    priority?: ZIMMessagePriority;
    hasReceipt?: boolean;
}

export interface ZIMMessageSendNotification {
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

// ---- groups -------------------------------------------------------------------------------------
// Times are Unix milliseconds, except mute expiry times: Unix seconds, -1 until unmuted, 0 none.

export interface ZIMGroupInfo {
    groupID: string;
    groupName: string;
    groupAvatarUrl: string;
}

export interface ZIMGroupMuteInfo {
    mode: ZIMGroupMuteMode;
    expiredTime: number;
    roles: number[];
}

export interface ZIMGroupVerifyInfo {
    joinMode: ZIMGroupJoinMode;
    inviteMode: ZIMGroupInviteMode;
    beInviteMode: ZIMGroupBeInviteMode;
}

export interface ZIMGroupFullInfo {
    baseInfo: ZIMGroupInfo;
    groupNotice: string;
    groupAttributes: Record<string, string>;
    groupAlias: string;
    notificationStatus: ZIMGroupMessageNotificationStatus;
    mutedInfo: ZIMGroupMuteInfo;
    createTime: number;
    maxMemberCount: number;
    verifyInfo: ZIMGroupVerifyInfo;
}

export interface ZIMGroup {
    baseInfo: ZIMGroupInfo;
    groupAlias: string;
    notificationStatus: ZIMGroupMessageNotificationStatus;
}

export interface ZIMGroupMemberSimpleInfo extends ZIMUserInfo {
    memberNickname: string;
    memberRole: number;
}

export interface ZIMGroupEnterInfo {
    enterTime: number;
    enterType: ZIMGroupEnterType;
    operatedUser?: ZIMGroupMemberSimpleInfo | null;
}

export interface ZIMGroupMemberInfo extends ZIMUserInfo {
    memberNickname: string;
    memberRole: number;
    /** @deprecated ZIM's copy of userAvatarUrl. */
    memberAvatarUrl: string;
    muteExpiredTime: number;
    groupEnterInfo: ZIMGroupEnterInfo;
}

export interface ZIMGroupOperatedInfo {
    userID: string;
    userName: string;
    memberNickname: string;
    memberRole: number;
}

export interface ZIMGroupAdvancedConfig {
    groupNotice?: string;
    groupAttributes?: Record<string, string>;
    /** 0 or absent: the server's limit (10,000). */
    maxMemberCount?: number;
    joinMode?: ZIMGroupJoinMode;
    inviteMode?: ZIMGroupInviteMode;
    beInviteMode?: ZIMGroupBeInviteMode;
}

export interface ZIMGroupMemberQueryConfig {
    nextFlag: number;
    count: number;
}

export interface ZIMGroupListQueryConfig {
    nextFlag: number;
    userIDs?: string[];
}

export interface ZIMGroupMuteConfig {
    mode: ZIMGroupMuteMode;
    /** Seconds, -1 until unmuted. */
    duration: number;
    roles?: number[];
}

export interface ZIMGroupMemberMuteConfig {
    /** Seconds, -1 until unmuted. */
    duration: number;
}

export interface ZIMGroupApplicationInfo {
    type: ZIMGroupApplicationType;
    state: ZIMGroupApplicationState;
    groupInfo: ZIMGroupInfo;
    applyUser: ZIMUserInfo;
    createTime: number;
    updateTime: number;
    wording: string;
    operatedUser?: ZIMGroupMemberSimpleInfo | null;
}

/** pushConfig is accepted and ignored (tinyim has no offline push). */
export interface ZIMGroupApplicationSendConfig {
    wording?: string;
    pushConfig?: unknown;
}

export interface ZIMGroupApplicationAnswerConfig {
    pushConfig?: unknown;
}

export type ZIMGroupJoinApplicationSendConfig = ZIMGroupApplicationSendConfig;
export type ZIMGroupInviteApplicationSendConfig = ZIMGroupApplicationSendConfig;
export type ZIMGroupJoinApplicationAcceptConfig = ZIMGroupApplicationAnswerConfig;
export type ZIMGroupJoinApplicationRejectConfig = ZIMGroupApplicationAnswerConfig;
export type ZIMGroupInviteApplicationAcceptConfig = ZIMGroupApplicationAnswerConfig;
export type ZIMGroupInviteApplicationRejectConfig = ZIMGroupApplicationAnswerConfig;

export interface ZIMGroupApplicationListQueryConfig {
    nextFlag: number;
    count: number;
}

export interface ZIMGroupCreatedResult {
    groupInfo: ZIMGroupFullInfo;
    userList: ZIMGroupMemberInfo[];
    errorUserList: ZIMErrorUserInfo[];
}

/** dismissGroup, leaveGroup, sendGroupJoinApplication. */
export interface ZIMGroupIDResult {
    groupID: string;
}
export type ZIMGroupDismissedResult = ZIMGroupIDResult;
export type ZIMGroupLeftResult = ZIMGroupIDResult;
export type ZIMGroupJoinApplicationSentResult = ZIMGroupIDResult;

export interface ZIMGroupJoinedResult {
    groupInfo: ZIMGroupFullInfo;
}
export type ZIMGroupInfoQueriedResult = ZIMGroupJoinedResult;

export interface ZIMGroupUsersInvitedResult {
    groupID: string;
    userList: ZIMGroupMemberInfo[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMGroupMemberKickedResult {
    groupID: string;
    kickedUserIDs: string[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMGroupOwnerTransferredResult {
    groupID: string;
    toUserID: string;
}

export interface ZIMGroupMemberInfoQueriedResult {
    groupID: string;
    userInfo: ZIMGroupMemberInfo;
}

export interface ZIMGroupListQueriedResult {
    groupList: ZIMGroup[];
    /** 0 on the last page. */
    nextFlag: number;
}

export interface ZIMGroupMemberListQueriedResult {
    groupID: string;
    userList: ZIMGroupMemberInfo[];
    /** 0 on the last page. */
    nextFlag: number;
}
export type ZIMGroupMemberMutedListQueriedResult = ZIMGroupMemberListQueriedResult;

export interface ZIMGroupMemberCountQueriedResult {
    groupID: string;
    count: number;
}

export interface ZIMGroupNameUpdatedResult {
    groupID: string;
    groupName: string;
}

export interface ZIMGroupAvatarUrlUpdatedResult {
    groupID: string;
    groupAvatarUrl: string;
}

export interface ZIMGroupNoticeUpdatedResult {
    groupID: string;
    groupNotice: string;
}

export interface ZIMGroupAliasUpdatedResult {
    groupID: string;
    groupAlias: string;
}

export interface ZIMGroupModeUpdatedResult<M> {
    groupID: string;
    mode: M;
}
export type ZIMGroupJoinModeUpdatedResult = ZIMGroupModeUpdatedResult<ZIMGroupJoinMode>;
export type ZIMGroupInviteModeUpdatedResult = ZIMGroupModeUpdatedResult<ZIMGroupInviteMode>;
export type ZIMGroupBeInviteModeUpdatedResult = ZIMGroupModeUpdatedResult<ZIMGroupBeInviteMode>;

export interface ZIMGroupAttributesOperatedResult {
    groupID: string;
    errorKeys: string[];
}

export interface ZIMGroupAttributesQueriedResult {
    groupID: string;
    groupAttributes: Record<string, string>;
}

export interface ZIMGroupMemberRoleUpdatedResult {
    groupID: string;
    forUserID: string;
    role: number;
}

export interface ZIMGroupMemberNicknameUpdatedResult {
    groupID: string;
    forUserID: string;
    nickname: string;
}

export interface ZIMGroupMutedResult {
    groupID: string;
    isMute: boolean;
    mutedInfo: ZIMGroupMuteInfo;
}

export interface ZIMGroupMembersMutedResult {
    groupID: string;
    isMute: boolean;
    duration: number;
    mutedUserIDs: string[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMGroupJoinApplicationAnsweredResult {
    groupID: string;
    userID: string;
}
export type ZIMGroupJoinApplicationAcceptedResult = ZIMGroupJoinApplicationAnsweredResult;
export type ZIMGroupJoinApplicationRejectedResult = ZIMGroupJoinApplicationAnsweredResult;

export interface ZIMGroupInviteApplicationsSentResult {
    groupID: string;
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMGroupInviteApplicationAcceptedResult {
    groupInfo: ZIMGroupFullInfo;
    inviterUserID: string;
}

export interface ZIMGroupInviteApplicationRejectedResult {
    groupID: string;
    inviterUserID: string;
}

export interface ZIMGroupApplicationListQueriedResult {
    applicationList: ZIMGroupApplicationInfo[];
    /** 0 on the last page. */
    nextFlag: number;
}

export interface ZIMEventOfGroupStateChangedResult {
    state: ZIMGroupState;
    event: ZIMGroupEvent;
    operatedInfo: ZIMGroupOperatedInfo;
    groupInfo: ZIMGroupFullInfo;
}

export interface ZIMEventOfGroupMemberStateChangedResult {
    groupID: string;
    state: ZIMGroupMemberState;
    event: ZIMGroupMemberEvent;
    userList: ZIMGroupMemberInfo[];
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupMemberInfoUpdatedResult {
    groupID: string;
    userList: ZIMGroupMemberInfo[];
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupNameUpdatedResult {
    groupID: string;
    groupName: string;
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupAvatarUrlUpdatedResult {
    groupID: string;
    groupAvatarUrl: string;
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupNoticeUpdatedResult {
    groupID: string;
    groupNotice: string;
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupAliasUpdatedResult {
    groupID: string;
    groupAlias: string;
    operatedUserID: string;
}

export interface ZIMEventOfGroupAttributesUpdatedResult {
    groupID: string;
    infoList: { action: ZIMGroupAttributesUpdateAction; groupAttributes: Record<string, string> }[];
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupMutedInfoUpdatedResult {
    groupID: string;
    mutedInfo: ZIMGroupMuteInfo;
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupVerifyInfoUpdatedResult {
    groupID: string;
    verifyInfo: ZIMGroupVerifyInfo;
    operatedInfo: ZIMGroupOperatedInfo;
}

export interface ZIMEventOfGroupApplicationListChangedResult {
    action: ZIMGroupApplicationListChangeAction;
    applicationList: ZIMGroupApplicationInfo[];
}

export interface ZIMEventOfGroupApplicationUpdatedResult {
    applicationList: ZIMGroupApplicationInfo[];
}

// ---- events (2.x data objects) ----------------------------------------------------------------

export interface ZIMEventOfConnectionStateChangedResult {
    state: ZIMConnectionState;
    event: ZIMConnectionEvent;
    extendedData: Record<string, unknown>;
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
    extendedData: Record<string, unknown>;
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
    groupStateChanged: (zim: ZIM, data: ZIMEventOfGroupStateChangedResult) => void;
    groupMemberStateChanged: (zim: ZIM, data: ZIMEventOfGroupMemberStateChangedResult) => void;
    groupMemberInfoUpdated: (zim: ZIM, data: ZIMEventOfGroupMemberInfoUpdatedResult) => void;
    groupNameUpdated: (zim: ZIM, data: ZIMEventOfGroupNameUpdatedResult) => void;
    groupAvatarUrlUpdated: (zim: ZIM, data: ZIMEventOfGroupAvatarUrlUpdatedResult) => void;
    groupNoticeUpdated: (zim: ZIM, data: ZIMEventOfGroupNoticeUpdatedResult) => void;
    groupAliasUpdated: (zim: ZIM, data: ZIMEventOfGroupAliasUpdatedResult) => void;
    groupAttributesUpdated: (zim: ZIM, data: ZIMEventOfGroupAttributesUpdatedResult) => void;
    groupMutedInfoUpdated: (zim: ZIM, data: ZIMEventOfGroupMutedInfoUpdatedResult) => void;
    groupVerifyInfoUpdated: (zim: ZIM, data: ZIMEventOfGroupVerifyInfoUpdatedResult) => void;
    groupApplicationListChanged: (zim: ZIM, data: ZIMEventOfGroupApplicationListChangedResult) => void;
    groupApplicationUpdated: (zim: ZIM, data: ZIMEventOfGroupApplicationUpdatedResult) => void;
}

/** 1.x style: positional arguments after `zim` (the seed article's callbacks). */
export interface ZIMEventHandler1x {
    error: (zim: ZIM, errorInfo: ZIMError) => void;
    connectionStateChanged: (zim: ZIM, state: ZIMConnectionState, event: ZIMConnectionEvent, extendedData: Record<string, unknown>) => void;
    tokenWillExpire: (zim: ZIM, second: number) => void;
    receivePeerMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromUserID: string) => void;
    receiveRoomMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromRoomID: string) => void;
    roomStateChanged: (zim: ZIM, state: ZIMRoomState, event: ZIMRoomEvent, extendedData: Record<string, unknown>, roomID: string) => void;
    roomMemberJoined: (zim: ZIM, memberList: ZIMUserInfo[], roomID: string) => void;
    roomMemberLeft: (zim: ZIM, memberList: ZIMUserInfo[], roomID: string) => void;
    groupStateChanged: (zim: ZIM, state: ZIMGroupState, event: ZIMGroupEvent, operatedInfo: ZIMGroupOperatedInfo, groupInfo: ZIMGroupFullInfo) => void;
    groupMemberStateChanged: (zim: ZIM, state: ZIMGroupMemberState, event: ZIMGroupMemberEvent, userList: ZIMGroupMemberInfo[], operatedInfo: ZIMGroupOperatedInfo, groupID: string) => void;
    groupMemberInfoUpdated: (zim: ZIM, userList: ZIMGroupMemberInfo[], operatedInfo: ZIMGroupOperatedInfo, groupID: string) => void;
    groupNameUpdated: (zim: ZIM, groupName: string, operatedInfo: ZIMGroupOperatedInfo, groupID: string) => void;
    groupAvatarUrlUpdated: (zim: ZIM, groupAvatarUrl: string, operatedInfo: ZIMGroupOperatedInfo, groupID: string) => void;
    groupNoticeUpdated: (zim: ZIM, groupNotice: string, operatedInfo: ZIMGroupOperatedInfo, groupID: string) => void;
    groupAttributesUpdated: (zim: ZIM, infoList: ZIMEventOfGroupAttributesUpdatedResult['infoList'], operatedInfo: ZIMGroupOperatedInfo, groupID: string) => void;
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

    createGroup(groupInfo: Partial<ZIMGroupInfo>, userIDs: string[], config?: ZIMGroupAdvancedConfig): Promise<ZIMGroupCreatedResult>;
    dismissGroup(groupID: string): Promise<ZIMGroupDismissedResult>;
    joinGroup(groupID: string): Promise<ZIMGroupJoinedResult>;
    leaveGroup(groupID: string): Promise<ZIMGroupLeftResult>;
    inviteUsersIntoGroup(userIDs: string[], groupID: string): Promise<ZIMGroupUsersInvitedResult>;
    kickGroupMembers(userIDs: string[], groupID: string): Promise<ZIMGroupMemberKickedResult>;
    transferGroupOwner(toUserID: string, groupID: string): Promise<ZIMGroupOwnerTransferredResult>;
    queryGroupInfo(groupID: string): Promise<ZIMGroupInfoQueriedResult>;
    queryGroupMemberInfo(userID: string, groupID: string): Promise<ZIMGroupMemberInfoQueriedResult>;
    queryGroupList(): Promise<ZIMGroupListQueriedResult>;
    queryGroupList(count: number, config: ZIMGroupListQueryConfig): Promise<ZIMGroupListQueriedResult>;
    queryGroupMemberList(groupID: string, config: ZIMGroupMemberQueryConfig): Promise<ZIMGroupMemberListQueriedResult>;
    queryGroupMemberCount(groupID: string): Promise<ZIMGroupMemberCountQueriedResult>;
    updateGroupName(groupName: string, groupID: string): Promise<ZIMGroupNameUpdatedResult>;
    updateGroupAvatarUrl(groupAvatarUrl: string, groupID: string): Promise<ZIMGroupAvatarUrlUpdatedResult>;
    updateGroupNotice(groupNotice: string, groupID: string): Promise<ZIMGroupNoticeUpdatedResult>;
    updateGroupAlias(groupAlias: string, groupID: string): Promise<ZIMGroupAliasUpdatedResult>;
    updateGroupJoinMode(mode: ZIMGroupJoinMode, groupID: string): Promise<ZIMGroupJoinModeUpdatedResult>;
    updateGroupInviteMode(mode: ZIMGroupInviteMode, groupID: string): Promise<ZIMGroupInviteModeUpdatedResult>;
    updateGroupBeInviteMode(mode: ZIMGroupBeInviteMode, groupID: string): Promise<ZIMGroupBeInviteModeUpdatedResult>;
    setGroupAttributes(groupAttributes: Record<string, string>, groupID: string): Promise<ZIMGroupAttributesOperatedResult>;
    deleteGroupAttributes(keys: string[], groupID: string): Promise<ZIMGroupAttributesOperatedResult>;
    queryGroupAttributes(keys: string[], groupID: string): Promise<ZIMGroupAttributesQueriedResult>;
    queryGroupAllAttributes(groupID: string): Promise<ZIMGroupAttributesQueriedResult>;
    setGroupMemberRole(role: number, forUserID: string, groupID: string): Promise<ZIMGroupMemberRoleUpdatedResult>;
    setGroupMemberNickname(nickname: string, forUserID: string, groupID: string): Promise<ZIMGroupMemberNicknameUpdatedResult>;
    muteGroup(isMute: boolean, groupID: string, config: ZIMGroupMuteConfig): Promise<ZIMGroupMutedResult>;
    muteGroupMembers(isMute: boolean, userIDs: string[], groupID: string, config: ZIMGroupMemberMuteConfig): Promise<ZIMGroupMembersMutedResult>;
    queryGroupMemberMutedList(groupID: string, config: ZIMGroupMemberQueryConfig): Promise<ZIMGroupMemberMutedListQueriedResult>;
    sendGroupJoinApplication(groupID: string, config: ZIMGroupJoinApplicationSendConfig): Promise<ZIMGroupJoinApplicationSentResult>;
    acceptGroupJoinApplication(userID: string, groupID: string, config: ZIMGroupJoinApplicationAcceptConfig): Promise<ZIMGroupJoinApplicationAcceptedResult>;
    rejectGroupJoinApplication(userID: string, groupID: string, config: ZIMGroupJoinApplicationRejectConfig): Promise<ZIMGroupJoinApplicationRejectedResult>;
    sendGroupInviteApplications(userIDs: string[], groupID: string, config: ZIMGroupInviteApplicationSendConfig): Promise<ZIMGroupInviteApplicationsSentResult>;
    acceptGroupInviteApplication(inviterUserID: string, groupID: string, config: ZIMGroupInviteApplicationAcceptConfig): Promise<ZIMGroupInviteApplicationAcceptedResult>;
    rejectGroupInviteApplication(inviterUserID: string, groupID: string, config: ZIMGroupInviteApplicationRejectConfig): Promise<ZIMGroupInviteApplicationRejectedResult>;
    queryGroupApplicationList(config: ZIMGroupApplicationListQueryConfig): Promise<ZIMGroupApplicationListQueriedResult>;

    // Second tier (not in tinyim yet): each rejects with { code: 6000013 }.
    queryConversationList(...args: unknown[]): Promise<never>;
    queryConversation(...args: unknown[]): Promise<never>;
    deleteConversation(...args: unknown[]): Promise<never>;
    clearConversationUnreadMessageCount(...args: unknown[]): Promise<never>;
    setConversationNotificationStatus(...args: unknown[]): Promise<never>;
    updateConversationPinnedState(...args: unknown[]): Promise<never>;
    setConversationDraft(...args: unknown[]): Promise<never>;
    sendConversationMessageReceiptRead(...args: unknown[]): Promise<never>;
    sendMessageReceiptsRead(...args: unknown[]): Promise<never>;
    queryMessageReceiptsInfo(...args: unknown[]): Promise<never>;
    revokeMessage(...args: unknown[]): Promise<never>;
    deleteMessages(...args: unknown[]): Promise<never>;
    deleteAllMessage(...args: unknown[]): Promise<never>;
    insertMessageToLocalDB(...args: unknown[]): Promise<never>;
    sendMediaMessage(...args: unknown[]): Promise<never>;
    downloadMediaFile(...args: unknown[]): Promise<never>;
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
