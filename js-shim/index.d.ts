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
    ActiveSwitch = 11,
    SwitchFailed = 12,
}

export declare enum ZIMRoomAttributesUpdateAction {
    Set = 0,
    Delete = 1,
}

export declare enum ZIMRoomMemberAttributesUpdateAction {
    Set = 0,
}

export declare enum ZIMCallInvitationMode {
    Unknown = -1,
    General = 0,
    Advanced = 1,
}

export declare enum ZIMCallState {
    Unknown = -1,
    Started = 1,
    Ended = 2,
}

export declare enum ZIMCallUserState {
    Unknown = -1,
    Inviting = 0,
    Accepted = 1,
    Rejected = 2,
    Cancelled = 3,
    Offline = 4,
    Received = 5,
    Timeout = 6,
    Quit = 7,
    Ended = 8,
    NotYetReceived = 9,
    BeCancelled = 10,
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
    RoomModuleRoomAttributesOperationFailedCompletely = 6000331,
    RoomModuleTheNumberOfRoomAttributesExceedsLimit = 6000334,
    RoomModuleTheLengthOfRoomAttributeKeyExceedsLimit = 6000335,
    RoomModuleTheLengthOfRoomAttributeValueExceedsLimit = 6000336,
    RoomModuleTheTotalLengthOfRoomAttributesValueExceedsLimit = 6000337,
    RoomModuleTheTotalLengthOfRoomMemberAttributesExceedsLimit = 6000351,
    RoomModuleTheLengthOfRoomMemberAttributesKeyExceedsLimit = 6000352,
    RoomModuleTheLengthOfRoomMemberAttributesValueExceedsLimit = 6000353,
    RoomModuleTheMemberNumberOfRoomMemberAttributesExceedsLimit = 6000357,
    CallModuleCommonError = 6000270,
    CallModuleCancelError = 6000271,
    CallModuleIsNotInvitor = 6000273,
    CallModuleIsNotInvitee = 6000274,
    CallModuleDoesNotExist = 6000276,
    CallModuleInviteUserDoesNotExist = 6000281,
    CallModuleUserAlreadyInTheCall = 6000283,
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

export type ZIMRoomSwitchedResult = ZIMRoomCreatedResult;

export interface ZIMRoomAllLeftResult {
    roomIDs: string[];
}

export interface ZIMRoomMemberInfo extends ZIMUserInfo {}

export interface ZIMRoomMembersQueriedResult {
    roomID: string;
    memberList: ZIMRoomMemberInfo[];
    errorUserList: ZIMErrorUserInfo[];
}

// ---- room attributes ------------------------------------------------------------------------

export interface ZIMRoomAttributesSetConfig {
    /** Change attributes another user owns. */
    isForce: boolean;
    /** Delete the attributes when their owner leaves the room. */
    isDeleteAfterOwnerLeft: boolean;
    /** Make the caller the owner of the attributes it changes. */
    isUpdateOwner: boolean;
}

export type ZIMRoomAttributesBatchOperationConfig = ZIMRoomAttributesSetConfig;

export interface ZIMRoomAttributesDeleteConfig {
    isForce: boolean;
}

export interface ZIMRoomAttributesOperatedResult {
    roomID: string;
    /** Keys not changed: another user owns them (no isForce). */
    errorKeys: string[];
}

export interface ZIMRoomAttributesBatchOperatedResult {
    roomID: string;
    /** tinyim: the keys of the batch that were not changed. */
    errorKeys: string[];
}

export interface ZIMRoomAttributesQueriedResult {
    roomID: string;
    roomAttributes: Record<string, string>;
}

export interface ZIMRoomAttributesUpdateInfo {
    action: ZIMRoomAttributesUpdateAction;
    /** For a Delete, the deleted keys with empty values. */
    roomAttributes: Record<string, string>;
}

export interface ZIMRoomMemberAttributesSetConfig {
    /** Default true: the attributes go when their member leaves the room. */
    isDeleteAfterOwnerLeft?: boolean;
}

export interface ZIMRoomMemberAttributesInfo {
    userID: string;
    attributes: Record<string, string>;
}

export interface ZIMRoomMemberAttributesOperatedInfo {
    attributesInfo: ZIMRoomMemberAttributesInfo;
    errorKeys: string[];
}

export interface ZIMRoomMembersAttributesOperatedResult {
    roomID: string;
    infos: ZIMRoomMemberAttributesOperatedInfo[];
    errorUserList: string[];
}

export interface ZIMRoomMembersAttributesQueriedResult {
    roomID: string;
    infos: ZIMRoomMemberAttributesInfo[];
}

export interface ZIMRoomMemberAttributesQueryConfig {
    nextFlag: string;
    count: number;
}

export interface ZIMRoomMemberAttributesListQueriedResult {
    roomID: string;
    infos: ZIMRoomMemberAttributesInfo[];
    nextFlag: string;
}

export interface ZIMRoomMemberAttributesUpdateInfo {
    attributesInfo: ZIMRoomMemberAttributesInfo;
}

export interface ZIMRoomOperatedInfo {
    userID: string;
}

// ---- call invitations -----------------------------------------------------------------------

export interface ZIMCallUserInfo {
    userID: string;
    state: ZIMCallUserState;
    extendedData: string;
}

/** Accepted and not carried: tinyim has no offline push. */
export interface ZIMPushConfig {
    title?: string;
    content?: string;
    payload?: string;
    resourcesID?: string;
}

export interface ZIMCallInviteConfig {
    /** Seconds, 1 to 600; 0 or absent: 90. */
    timeout: number;
    mode: ZIMCallInvitationMode;
    extendedData: string;
    enableNotReceivedCheck?: boolean;
    pushConfig?: ZIMPushConfig;
}

export interface ZIMCallConfig {
    extendedData?: string;
    pushConfig?: ZIMPushConfig;
}
export type ZIMCallCancelConfig = ZIMCallConfig;
export type ZIMCallAcceptConfig = ZIMCallConfig;
export type ZIMCallRejectConfig = ZIMCallConfig;
export type ZIMCallJoinConfig = ZIMCallConfig;
export type ZIMCallQuitConfig = ZIMCallConfig;
export type ZIMCallEndConfig = ZIMCallConfig;
export interface ZIMCallingInviteConfig {
    pushConfig?: ZIMPushConfig;
}

export interface ZIMCallInvitationSentResult {
    callID: string;
    timeout: number;
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMCallingInvitationSentResult {
    callID: string;
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMCallCancelSentResult {
    callID: string;
    errorInvitees: string[];
}

export interface ZIMCallAcceptanceSentResult {
    callID: string;
}
export type ZIMCallRejectionSentResult = ZIMCallAcceptanceSentResult;

export interface ZIMCallJoinSentResult {
    callID: string;
    createTime: number;
    joinTime: number;
    extendedData: string;
    callUserList: ZIMCallUserInfo[];
}

export interface ZIMCallQuitSentResult {
    callID: string;
    createTime: number;
    acceptTime: number;
    quitTime: number;
}

export interface ZIMCallEndSentResult {
    callID: string;
    createTime: number;
    acceptTime: number;
    endTime: number;
}

export interface ZIMCallInvitationQueryConfig {
    count: number;
    nextFlag?: number;
}

export interface ZIMCallInfo {
    callID: string;
    caller: string;
    inviter: string;
    createTime: number;
    endTime: number;
    state: ZIMCallState;
    mode: ZIMCallInvitationMode;
    extendedData: string;
    callUserList: ZIMCallUserInfo[];
}

export interface ZIMCallInvitationListQueriedResult {
    callList: ZIMCallInfo[];
    /** 0 on the last page. */
    nextFlag: number;
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

export interface ZIMEventOfRoomAttributesUpdatedResult {
    roomID: string;
    infos: ZIMRoomAttributesUpdateInfo[];
}

export interface ZIMEventOfRoomMembersAttributesUpdatedResult {
    roomID: string;
    infos: ZIMRoomMemberAttributesUpdateInfo[];
    operatedInfo: ZIMRoomOperatedInfo;
}

export interface ZIMEventOfCallInvitationCreatedResult {
    callID: string;
    mode: ZIMCallInvitationMode;
    caller: string;
    extendedData: string;
    timeout: number;
    createTime: number;
    callUserList: ZIMCallUserInfo[];
}

export interface ZIMEventOfCallInvitationReceivedResult extends ZIMEventOfCallInvitationCreatedResult {
    inviter: string;
}

export interface ZIMEventOfCallInvitationCancelledResult {
    callID: string;
    mode: ZIMCallInvitationMode;
    inviter: string;
    extendedData: string;
}

export interface ZIMEventOfCallInvitationEndedResult {
    callID: string;
    mode: ZIMCallInvitationMode;
    caller: string;
    operatedUserID: string;
    extendedData: string;
    endTime: number;
}

export interface ZIMEventOfCallInvitationTimeoutResult {
    callID: string;
    mode: ZIMCallInvitationMode;
}

export interface ZIMEventOfCallUserStateChangedResult {
    callID: string;
    callUserList: ZIMCallUserInfo[];
}

/** @deprecated ZIM 2.9: use callUserStateChanged. Still sent. */
export interface ZIMEventOfCallInvitationAcceptedResult {
    callID: string;
    invitee: string;
    extendedData: string;
}
/** @deprecated ZIM 2.9: use callUserStateChanged. Still sent. */
export type ZIMEventOfCallInvitationRejectedResult = ZIMEventOfCallInvitationAcceptedResult;

/** @deprecated ZIM 2.9: use callUserStateChanged. Still sent. */
export interface ZIMEventOfCallInviteesAnsweredTimeoutResult {
    callID: string;
    invitees: string[];
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
    roomAttributesUpdated: (zim: ZIM, data: ZIMEventOfRoomAttributesUpdatedResult) => void;
    roomAttributesBatchUpdated: (zim: ZIM, data: ZIMEventOfRoomAttributesUpdatedResult) => void;
    roomMemberAttributesUpdated: (zim: ZIM, data: ZIMEventOfRoomMembersAttributesUpdatedResult) => void;
    callInvitationCreated: (zim: ZIM, data: ZIMEventOfCallInvitationCreatedResult) => void;
    callInvitationReceived: (zim: ZIM, data: ZIMEventOfCallInvitationReceivedResult) => void;
    callInvitationCancelled: (zim: ZIM, data: ZIMEventOfCallInvitationCancelledResult) => void;
    callInvitationEnded: (zim: ZIM, data: ZIMEventOfCallInvitationEndedResult) => void;
    callInvitationTimeout: (zim: ZIM, data: ZIMEventOfCallInvitationTimeoutResult) => void;
    callUserStateChanged: (zim: ZIM, data: ZIMEventOfCallUserStateChangedResult) => void;
    /** @deprecated ZIM 2.9: use callUserStateChanged. */
    callInvitationAccepted: (zim: ZIM, data: ZIMEventOfCallInvitationAcceptedResult) => void;
    /** @deprecated ZIM 2.9: use callUserStateChanged. */
    callInvitationRejected: (zim: ZIM, data: ZIMEventOfCallInvitationRejectedResult) => void;
    /** @deprecated ZIM 2.9: use callUserStateChanged. */
    callInviteesAnsweredTimeout: (zim: ZIM, data: ZIMEventOfCallInviteesAnsweredTimeoutResult) => void;
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
    /** Into `toRoomInfo` (created if allowed), out of `fromRoomID`; nothing changes if either fails. */
    switchRoom(fromRoomID: string, toRoomInfo: ZIMRoomInfo, isCreateWhenRoomNotExisted: boolean, config?: ZIMRoomAdvancedConfig): Promise<ZIMRoomSwitchedResult>;
    leaveRoom(roomID: string): Promise<ZIMRoomLeftResult>;
    leaveAllRoom(): Promise<ZIMRoomAllLeftResult>;
    /** At most 10 users; those not in the room are in errorUserList (6000321). */
    queryRoomMembers(userIDs: string[], roomID: string): Promise<ZIMRoomMembersQueriedResult>;
    queryRoomMemberList(roomID: string, config: ZIMRoomMemberQueryConfig): Promise<ZIMRoomMemberQueriedResult>;
    queryRoomOnlineMemberCount(roomID: string): Promise<ZIMRoomOnlineMemberCountQueriedResult>;

    /** Inside a batch (begin ... end) the call joins the batch and settles when it ends. */
    setRoomAttributes(roomAttributes: Record<string, string>, roomID: string, config: ZIMRoomAttributesSetConfig): Promise<ZIMRoomAttributesOperatedResult>;
    deleteRoomAttributes(keys: string[], roomID: string, config: ZIMRoomAttributesDeleteConfig): Promise<ZIMRoomAttributesOperatedResult>;
    beginRoomAttributesBatchOperation(roomID: string, config: ZIMRoomAttributesBatchOperationConfig): void;
    endRoomAttributesBatchOperation(roomID: string): Promise<ZIMRoomAttributesBatchOperatedResult>;
    queryRoomAllAttributes(roomID: string): Promise<ZIMRoomAttributesQueriedResult>;
    setRoomMembersAttributes(attributes: Record<string, string>, userIDs: string[], roomID: string, config: ZIMRoomMemberAttributesSetConfig): Promise<ZIMRoomMembersAttributesOperatedResult>;
    queryRoomMembersAttributes(userIDs: string[], roomID: string): Promise<ZIMRoomMembersAttributesQueriedResult>;
    queryRoomMemberAttributesList(roomID: string, config: ZIMRoomMemberAttributesQueryConfig): Promise<ZIMRoomMemberAttributesListQueriedResult>;

    callInvite(invitees: string[], config: ZIMCallInviteConfig): Promise<ZIMCallInvitationSentResult>;
    callCancel(invitees: string[], callID: string, config: ZIMCallCancelConfig): Promise<ZIMCallCancelSentResult>;
    callAccept(callID: string, config: ZIMCallAcceptConfig): Promise<ZIMCallAcceptanceSentResult>;
    callReject(callID: string, config: ZIMCallRejectConfig): Promise<ZIMCallRejectionSentResult>;
    callingInvite(invitees: string[], callID: string, config: ZIMCallingInviteConfig): Promise<ZIMCallingInvitationSentResult>;
    callJoin(callID: string, config: ZIMCallJoinConfig): Promise<ZIMCallJoinSentResult>;
    callQuit(callID: string, config: ZIMCallQuitConfig): Promise<ZIMCallQuitSentResult>;
    callEnd(callID: string, config: ZIMCallEndConfig): Promise<ZIMCallEndSentResult>;
    queryCallInvitationList(config: ZIMCallInvitationQueryConfig): Promise<ZIMCallInvitationListQueriedResult>;

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
    createGroup(...args: unknown[]): Promise<never>;
    joinGroup(...args: unknown[]): Promise<never>;
    leaveGroup(...args: unknown[]): Promise<never>;
    dismissGroup(...args: unknown[]): Promise<never>;
    queryGroupList(...args: unknown[]): Promise<never>;
    queryGroupInfo(...args: unknown[]): Promise<never>;
    queryGroupMemberList(...args: unknown[]): Promise<never>;
    sendGroupMessage(...args: unknown[]): Promise<never>;
    addFriend(...args: unknown[]): Promise<never>;
    queryFriendList(...args: unknown[]): Promise<never>;
}

export default ZIM;
