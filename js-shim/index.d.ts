// Type definitions for tinyim: the ZIM API of zego-zim-miniprogram (first tier), in the style
// of ZIM's own typings.

// ---- enums: all of ZIM 2.29's, with ZIM's values (js-shim/enums.js builds them) -------------

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

export declare enum ZIMConversationEvent {
    Added = 0,
    Updated = 1,
    Disabled = 2,
    Deleted = 3,
}

export declare enum ZIMConversationNotificationStatus {
    Notify = 1,
    DoNotDisturb = 2,
}

export declare enum ZIMConversationType {
    Unknown = -1,
    Peer = 0,
    Room = 1,
    Group = 2,
    CommunityChannel = 3,
}

export declare enum ZIMConversationSyncState {
    Started = 0,
    Finished = 1,
    Failed = 2,
}

export declare enum ZIMConversationPinnedFilter {
    All = 0,
    OnlyPinned = 1,
    OnlyUnpinned = 2,
}

export declare enum ZIMConversationSearchMode {
    MatchMessage = 0,
    MatchConversationName = 1,
}

export declare enum ZIMMediaFileType {
    OriginalFile = 1,
    LargeImage = 2,
    Thumbnail = 3,
    VideoFirstFrame = 4,
}

export declare enum ZIMMessageDirection {
    Send = 0,
    Receive = 1,
}

export declare enum ZIMMessageOrder {
    Descending = 0,
    Ascending = 1,
}

export declare enum ZIMMessagePriority {
    Low = 1,
    Medium = 2,
    High = 3,
}

export declare enum ZIMMessageReceiptStatus {
    Unknown = -1,
    None = 0,
    Processing = 1,
    Done = 2,
    Expired = 3,
    Failed = 4,
}

export declare enum ZIMMessageRevokeStatus {
    Unknown = -1,
    SelfRevoke = 0,
    SystemRevoke = 1,
    ServerAPIRevoke = 2,
    GroupAdminRevoke = 3,
    GroupOwnerRevoke = 4,
    AuditRejectRevoke = 5,
}

export declare enum ZIMMessageSentStatus {
    Sending = 0,
    Success = 1,
    Failed = 2,
}

export declare enum ZIMMessageType {
    Unknown = 0,
    Text = 1,
    Command = 2,
    Multiple = 10,
    Image = 11,
    File = 12,
    Audio = 13,
    Video = 14,
    Barrage = 20,
    System = 30,
    Revoke = 31,
    Tips = 32,
    Combine = 100,
    Custom = 200,
}

export declare enum ZIMRevokeType {
    Unknown = -1,
    TwoWay = 0,
    OneWay = 1,
}

export declare enum ZIMTipsMessageEvent {
    Unknown = 0,
    GroupCreated = 1,
    GroupDismissed = 2,
    GroupJoined = 3,
    GroupInvited = 4,
    GroupLeft = 5,
    GroupKickedOut = 6,
    GroupInfoChanged = 7,
    GroupMemberInfoChanged = 8,
    GroupMessagePinned = 9,
    CommunityCreated = 101,
    CommunityJoined = 103,
    CommunityInvited = 104,
    CommunityChannelCreated = 151,
}

export declare enum ZIMTipsMessageChangeInfoType {
    Unknown = 0,
    GroupDataChanged = 1,
    GroupNoticeChanged = 2,
    GroupNameChanged = 3,
    GroupAvatarUrlChanged = 4,
    GroupMuteChanged = 5,
    GroupOwnerTransferred = 10,
    GroupMemberRoleChanged = 11,
    GroupMemberMuteChanged = 12,
    GroupMessagePinInfoChanged = 21,
}

export declare enum ZIMMessageMentionedType {
    Unknown = 0,
    MentionMe = 1,
    MentionAll = 2,
    MentionAllAndMe = 3,
}

export declare enum ZIMMessageDeleteType {
    MessageListDeleted = 0,
    ConversationAllMessagesDeleted = 1,
    AllConversationMessagesDeleted = 2,
}

export declare enum ZIMMessageRepliedInfoState {
    Normal = 0,
    Deleted = 1,
    NotFound = 2,
}

export declare enum ZIMMessagePinStatus {
    NotPinned = 0,
    Pinned = 1,
    Updated = 2,
}

export declare enum ZIMMessageReactionUserChangeAction {
    Added = 0,
    Deleted = 1,
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

export declare enum ZIMRoomState {
    Disconnected = 0,
    Connecting = 1,
    Connected = 2,
}

export declare enum ZIMRoomAttributesUpdateAction {
    Set = 0,
    Delete = 1,
}

export declare enum ZIMRoomMemberAttributesUpdateAction {
    Set = 0,
}

export declare enum ZIMGroupState {
    Quit = 0,
    Enter = 1,
}

export declare enum ZIMGroupEvent {
    Unknown = -1,
    Created = 1,
    Dismissed = 2,
    Joined = 3,
    Invited = 4,
    Left = 5,
    KickedOut = 6,
}

export declare enum ZIMGroupMemberEvent {
    Unknown = -1,
    Joined = 1,
    Left = 2,
    KickedOut = 4,
    Invited = 5,
}

export declare enum ZIMGroupMemberState {
    Quit = 0,
    Enter = 1,
}

export declare enum ZIMGroupMessageNotificationStatus {
    Notify = 1,
    Disturb = 2,
}

export declare enum ZIMGroupAttributesUpdateAction {
    Set = 0,
    Delete = 1,
}

export declare enum ZIMGroupMuteMode {
    None = 0,
    Normal = 1,
    All = 2,
    Custom = 3,
}

export declare enum ZIMGroupJoinMode {
    Any = 0,
    Auth = 1,
    Forbid = 2,
}

export declare enum ZIMGroupInviteMode {
    Any = 0,
    Admin = 1,
}

export declare enum ZIMGroupBeInviteMode {
    None = 0,
    Auth = 1,
}

export declare enum ZIMGroupEnterType {
    Unknown = 0,
    Created = 1,
    JoinApply = 2,
    Joined = 3,
    Invited = 4,
    InviteApply = 5,
}

export declare enum ZIMGroupApplicationType {
    Unknown = -1,
    None = 0,
    Join = 1,
    Invite = 2,
    BeInvite = 3,
}

export declare enum ZIMGroupApplicationState {
    Unknown = -1,
    Waiting = 1,
    Accepted = 2,
    Rejected = 3,
    Expired = 4,
    Disabled = 5,
}

export declare enum ZIMGroupApplicationListChangeAction {
    Added = 0,
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

export declare enum ZIMFriendListChangeAction {
    Added = 0,
    Deleted = 1,
}

export declare enum ZIMFriendApplicationListChangeAction {
    Added = 0,
    Deleted = 1,
}

export declare enum ZIMFriendApplicationType {
    Unknown = -1,
    None = 0,
    Received = 1,
    Sent = 2,
    Both = 3,
}

export declare enum ZIMFriendApplicationState {
    Unknown = -1,
    Waiting = 1,
    Accepted = 2,
    Rejected = 3,
    Expired = 4,
    Disabled = 5,
}

export declare enum ZIMFriendRelationCheckType {
    Both = 0,
    Single = 1,
}

export declare enum ZIMFriendDeleteType {
    Both = 0,
    Single = 1,
}

export declare enum ZIMUserRelationType {
    Unknown = 0,
    SingleNo = 1,
    SingleHave = 2,
    BothAllNo = 3,
    BothSelfHave = 4,
    BothOtherHave = 5,
    BothAllHave = 6,
}

export declare enum ZIMBlacklistChangeAction {
    Added = 0,
    Removed = 1,
}

export declare enum ZIMCXHandleType {
    Generic = 1,
    PhoneNumber = 2,
    EmailAddress = 3,
}

export declare enum ZIMGeofencingType {
    None = 0,
    Include = 1,
    Exclude = 2,
}

export declare enum ZIMPlatformType {
    Win = 1,
    IPhoneOS = 2,
    Android = 3,
    MacOS = 4,
    Linux = 5,
    Web = 6,
    MiniProgram = 7,
    IPadOS = 9,
    OHOS = 10,
    Unknown = 32,
}

export declare enum ZIMUserOnlineStatus {
    Online = 0,
    Offline = 1,
    Logout = 2,
    Unknown = 99,
}

export declare enum ZIMMessageQueryMode {
    General = 0,
    PreferServer = 1,
    OnlyLocal = 2,
}

export declare enum ZIMErrorCode {
    Success = 0,
    Failed = 1,
    CommonModuleParamsInvalid = 6000001,
    CommonModuleNotInit = 6000002,
    CommonModuleInvalidAppID = 6000003,
    CommonModuleTriggerSDKFrequencyLimit = 6000004,
    CommonModuleTriggerServerFrequencyLimit = 6000005,
    CommonModuleSwitchServerError = 6000006,
    CommonModuleIMServerError = 6000007,
    CommonModuleIMDatabaseError = 6000008,
    CommonModuleIMServerDisconnect = 6000009,
    CommonModuleUploadLogError = 6000010,
    CommonModuleUserIsNotExist = 6000011,
    CommonModuleUserInfoQueriedLimit = 6000012,
    CommonModuleUnsupportedRequest = 6000013,
    CommonModuleUnactivatedIMServer = 6000014,
    CommonModuleExceedDAULimit = 6000015,
    CommonModuleExceedMAULimit = 6000016,
    CommonModuleBlacklistLimit = 6000021,
    NetworkModuleCommonError = 6000101,
    NetworkModuleServerError = 6000102,
    NetworkModuleTokenInvalid = 6000103,
    NetworkModuleNetworkError = 6000104,
    NetworkModuleRequestTimeout = 6000105,
    NetworkModuleTokenExpired = 6000106,
    NetworkModuleTokenVersionError = 6000107,
    NetworkModuleTokenTimeIsTooShort = 6000108,
    NetworkModuleRspProtoParseError = 6000109,
    NetworkModuleUserHasAlreadyLogged = 6000111,
    NetworkModuleUserIsNotLogged = 6000121,
    NetworkModuleUserHasAlreadyLoggedOut = 6000122,
    NetworkModuleUserOffline = 6000123,
    NetworkModuleUserIDError = 6000124,
    MessageModuleCommonError = 6000201,
    MessageModuleServerError = 6000202,
    MessageModuleSendMessageFailed = 6000203,
    MessageModuleTargetDoesNotExist = 6000204,
    MessageModuleEditMessageFailed = 6000205,
    MessageModuleSendMessageFailedForCancelled = 6000206,
    MessageModuleCancelSendingMessageFailed = 6000207,
    MessageModuleMessageIsNotPinned = 6000208,
    MessageModuleFileError = 6000210,
    MessageModuleFileNotExist = 6000211,
    MessageModuleFileServerError = 6000212,
    MessageModuleFileTypeUnsupported = 6000213,
    MessageModuleFileSizeInvalid = 6000214,
    MessageModuleFileDurationInvalid = 6000215,
    MessageModuleFilePermissionDenied = 6000216,
    MessageModuleFileDownloadFailed = 6000217,
    MessageModuleFileDownloadLimit = 6000218,
    MessageModuleFileDownloadUrlNotFound = 6000219,
    MessageModuleFileDownloadHttpRequestServerError = 6000220,
    MessageModuleAuditRejected = 6000221,
    MessageModuleAuditFailed = 6000222,
    MessageModuleAuditCustomSentRejected = 6000230,
    MessageModuleCacheFileOpenFailed = 6000240,
    MessageModuleCacheFileExportOrImportIsInProgressCurrently = 6000241,
    MessageModuleCacheFileOnlyCanImportCacheOfOneself = 6000242,
    MessageModuleCacheFileExportFailed = 6000243,
    MessageModuleCacheFileImportFailed = 6000244,
    MessageModuleCacheFileJsonParseFailed = 6000245,
    MessageModuleFileConnectError = 6000251,
    MessageModuleFileHttpError = 6000252,
    MessageModuleFileVerificationError = 6000253,
    MessageModuleFileClientError = 6000254,
    CallModuleCommonError = 6000270,
    CallModuleCancelError = 6000271,
    CallModuleServerError = 6000272,
    CallModuleIsNotInvitor = 6000273,
    CallModuleIsNotInvitee = 6000274,
    CallModuleAlreadyExists = 6000275,
    CallModuleDoesNotExist = 6000276,
    MessageModuleReceiptReadError = 6000277,
    MessageModuleMessageExceedsRevokeTime = 6000278,
    MessageModuleMessageHasBeenRevoked = 6000279,
    MessageModuleMessageReactionTypeExisted = 6000280,
    CallModuleInviteUserDoesNotExist = 6000281,
    MessageModuleMessageReceiptLimit = 6000282,
    CallModuleUserAlreadyInTheCall = 6000283,
    MessageModuleSenderInBlacklist = 6000284,
    MessageModuleEditNoCorrespondingOperationAuthority = 6000285,
    MessageModuleMessageExceedsEditTime = 6000286,
    MessageModuleTheNumberOfPinnedMessagesExceedsLimit = 6000287,
    RoomModuleCommonError = 6000301,
    RoomModuleServerError = 6000302,
    RoomModuleCreateRoomError = 6000303,
    RoomModuleJoinRoomError = 6000304,
    RoomModuleLeaveRoomError = 6000306,
    RoomModuleTheRoomMemberQueryFailed = 6000310,
    RoomModuleTheRoomMembersQueryFailedCompletely = 6000311,
    RoomModuleUserIsAlreadyInTheRoom = 6000320,
    RoomModuleUserIsNotInTheRoom = 6000321,
    RoomModuleTheRoomDoesNotExist = 6000322,
    RoomModuleTheRoomAlreadyExists = 6000323,
    RoomModuleTheNumberOfExistingRoomsHasReachedLimit = 6000324,
    RoomModuleTheNumberOfJoinedRoomsHasReachedLimit = 6000325,
    RoomModuleTheRoomIsConnecting = 6000326,
    RoomModuleRoomMemberIsBlocked = 6000327,
    RoomModuleRoomAttributesCommonError = 6000330,
    RoomModuleRoomAttributesOperationFailedCompletely = 6000331,
    RoomModuleRoomAttributesOperationFailedPartly = 6000332,
    RoomModuleRoomAttributesQueryFailed = 6000333,
    RoomModuleTheNumberOfRoomAttributesExceedsLimit = 6000334,
    RoomModuleTheLengthOfRoomAttributeKeyExceedsLimit = 6000335,
    RoomModuleTheLengthOfRoomAttributeValueExceedsLimit = 6000336,
    RoomModuleTheTotalLengthOfRoomAttributesValueExceedsLimit = 6000337,
    RoomModuleRoomMemberAttributesCommonError = 6000350,
    RoomModuleTheTotalLengthOfRoomMemberAttributesExceedsLimit = 6000351,
    RoomModuleTheLengthOfRoomMemberAttributesKeyExceedsLimit = 6000352,
    RoomModuleTheLengthOfRoomMemberAttributesValueExceedsLimit = 6000353,
    RoomModuleTheMemberNumberOfRoomMemberAttributesExceedsLimit = 6000357,
    ZpnsModulePushIDInvalid = 6000401,
    GroupModuleCommonError = 6000501,
    GroupModuleServerError = 6000502,
    GroupModuleCreateGroupError = 6000503,
    GroupModuleDismissGroupError = 6000504,
    GroupModuleJoinGroupError = 6000505,
    GroupModuleLeaveGroupError = 6000506,
    GroupModuleKickoutGroupMemberError = 6000507,
    GroupModuleInviteUserIntoGroupError = 6000508,
    GroupModuleTransferOwnerError = 6000509,
    GroupModuleUpdateGroupInfoError = 6000510,
    GroupModuleQueryGroupInfoError = 6000511,
    GroupModuleGroupAttributesOperationFailed = 6000512,
    GroupModuleGroupAttributesQueryFailed = 6000513,
    GroupModuleUpdateGroupMemberInfoError = 6000514,
    GroupModuleQueryGroupMemberInfoError = 6000515,
    GroupModuleQueryGroupListError = 6000516,
    GroupModuleQueryGroupMemberListError = 6000517,
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
    GroupModuleTheTotalLengthOfGroupAttributesValueExceedsLimit = 6000534,
    GroupModuleGroupNoCorrespondingOperationAuthority = 6000541,
    GroupModuleForbidJoinGroupError = 6000542,
    GroupModuleNeedApplyJoinGroupError = 6000543,
    GroupModuleNeedApplyInviteGroupError = 6000544,
    ConversationModuleCommonError = 6000601,
    ConversationModuleServerError = 6000602,
    ConversationModuleConversationDoesNotExist = 6000603,
    ConversationModuleConversationPinnedListReachedLimit = 6000604,
    DatabaseModuleOpenDatabaseError = 6000701,
    DatabaseModuleModifyDatabaseError = 6000702,
    DatabaseModuleDeleteDatabaseError = 6000703,
    DatabaseModuleSeleteDatabaseError = 6000704,
    DatabaseModuleDbIsNotOpened = 6000710,
    FriendModuleFriendNumsLimit = 6000801,
    FriendModuleFriendApplicationStatusError = 6000802,
    FriendModuleIsAlreadyYourFriend = 6000803,
    FriendModuleAlreadyAddToBlacklist = 6000804,
    FriendModuleCannotAddSelfToBlacklist = 6000805,
    FriendModuleAlreadyDeleteFromBlacklist = 6000806,
    FriendModuleUserNotInBlacklist = 6000807,
    FriendModuleBlacklistListQuantityLimit = 6000808,
    FriendModuleFriendOperationLimitExceeded = 6000809,
    FriendModuleCannotAddSelfToFriendList = 6000810,
    FriendModuleFriendAreUnregistered = 6000811,
    FriendModuleNotYourFriend = 6000812,
    FriendModuleCannotDeleteSelf = 6000813,
    FriendModuleFriendApplicationExpired = 6000814,
    FriendModuleAddBlacklistFail = 6000815,
    FriendModuleDelBlacklistFail = 6000816,
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
    userRule: ZIMUserRule;
    userStatus: ZIMUserStatus;
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

// ---- users: presence and the user's own settings ----------------------------------------------

export interface ZIMUserStatus {
    userID: string;
    onlineStatus: ZIMUserOnlineStatus;
    /** tinyim: always empty (a login does not say which platform the client runs on). */
    onlinePlatforms: ZIMPlatformType[];
    customStatus: string;
    /** Unix ms; 0 without a custom status. */
    customStatusExpiredTime: number;
    /** Unix ms (all three); 0 where not known since the server started. */
    lastUpdateTime: number;
    lastOnlineStatusUpdateTime: number;
    lastCustomStatusUpdateTime: number;
}

export interface ZIMUsersStatusQueriedResult {
    userStatusList: ZIMUserStatus[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMUserStatusSubscribeConfig {
    /** Minutes, 1 to 43200 (30 days). */
    subscriptionDuration: number;
}

export interface ZIMUsersStatusSubscribedResult {
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMUsersStatusUnsubscribedResult {
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMSubscribedUserStatusQueryConfig {
    /** Empty: every subscription. */
    userIDs: string[];
}

export interface ZIMUserStatusSubscription {
    userStatus: ZIMUserStatus;
    /** Unix ms. */
    subscribeExpiredTime: number;
}

export interface ZIMSubscribedUserStatusListQueriedResult {
    userStatusSubscriptionList: ZIMUserStatusSubscription[];
}

export interface ZIMUserCustomStatusUpdateConfig {
    /** tinyim: seconds, at most (and by default) 86400. */
    duration: number;
}

export interface ZIMUserCustomStatusUpdatedResult {
    customStatus: string;
}

/** Kept and returned; tinyim has no push vendor to apply it. */
export interface ZIMUserOfflinePushRule {
    onlinePlatforms: ZIMPlatformType[];
    notToReceiveOfflinePushPlatforms: ZIMPlatformType[];
}

export interface ZIMUserOfflinePushRuleUpdatedResult {
    offlinePushRule: ZIMUserOfflinePushRule;
}

export interface ZIMUserRule {
    offlinePushRule: ZIMUserOfflinePushRule;
}

export interface ZIMEventOfUserStatusUpdatedResult {
    userStatusList: ZIMUserStatus[];
}

export interface ZIMEventOfUserRuleUpdatedResult {
    userRule: ZIMUserRule;
}

export interface ZIMLoginConfig {
    userName?: string;
    token?: string;
    isOfflineLogin?: boolean;
    /** Set once the login succeeds, as `updateUserCustomStatus(customStatus, { duration: customStatusDuration })`. */
    customStatus?: string;
    customStatusDuration?: number;
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

/** A media message (image, file, audio, video): its file is on the server's file endpoint or at the app's own URL. */
export interface ZIMMediaMessage extends ZIMMessage {
    /** The sender's local file (a wxfile:// path on a phone; a File, Blob or path elsewhere); the receiver's after downloadMediaFile. */
    fileLocalPath?: string;
    fileDownloadUrl?: string;
    fileUID?: string;
    fileName?: string;
    fileSize?: number;
}

export interface ZIMImageMessage extends ZIMMediaMessage {
    type: ZIMMessageType.Image;
    thumbnailDownloadUrl?: string;
    thumbnailLocalPath?: string;
    largeImageDownloadUrl?: string;
    largeImageLocalPath?: string;
    originalImageWidth?: number;
    originalImageHeight?: number;
    largeImageWidth?: number;
    largeImageHeight?: number;
    thumbnailWidth?: number;
    thumbnailHeight?: number;
}

export interface ZIMFileMessage extends ZIMMediaMessage {
    type: ZIMMessageType.File;
}

export interface ZIMAudioMessage extends ZIMMediaMessage {
    type: ZIMMessageType.Audio;
    /** Seconds. */
    audioDuration: number;
}

export interface ZIMVideoMessage extends ZIMMediaMessage {
    type: ZIMMessageType.Video;
    /** Seconds. */
    videoDuration: number;
    videoFirstFrameDownloadUrl?: string;
    videoFirstFrameLocalPath?: string;
    videoFirstFrameWidth?: number;
    videoFirstFrameHeight?: number;
}

/** What sendMediaMessage takes: the type, and the local file (or the app's own URL of it). */
export type ZIMMediaMessageToSend = Partial<ZIMImageMessage | ZIMFileMessage | ZIMAudioMessage | ZIMVideoMessage> & {
    type: ZIMMessageType.Image | ZIMMessageType.File | ZIMMessageType.Audio | ZIMMessageType.Video;
};

export type ZIMMediaUploadingProgress = (message: ZIMMediaMessage, currentFileSize: number, totalFileSize: number) => void;
export type ZIMMediaDownloadingProgress = (message: ZIMMediaMessage, currentFileSize: number, totalFileSize: number) => void;

export interface ZIMMediaMessageSendNotification {
    onMessageAttached?: (message: ZIMMediaMessage) => void;
    onMediaUploadingProgress?: ZIMMediaUploadingProgress;
}

export interface ZIMMediaDownloadConfig {
    messageInfoIndex?: number;
}

export interface ZIMMediaDownloadedResult {
    message: ZIMMediaMessage;
}

export type ZIMMessageLike =
    | ZIMTextMessage
    | ZIMCommandMessage
    | ZIMBarrageMessage
    | ZIMCustomMessage
    | ZIMRevokeMessage
    | ZIMImageMessage
    | ZIMFileMessage
    | ZIMAudioMessage
    | ZIMVideoMessage;

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

export interface ZIMGroupMessageReceiptMemberQueryConfig {
    /** 0 for the first page, then the result's nextFlag. */
    nextFlag: number;
    count: number;
}

export interface ZIMGroupMessageReceiptMemberListQueriedResult {
    groupID: string;
    userList: ZIMGroupMemberInfo[];
    /** 0 on the last page. */
    nextFlag: number;
}

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

// ---- friends and blacklist (kept by the server; docs/areas/friends.md) -------------------------

export interface ZIMFriendInfo extends ZIMUserInfo {
    friendAlias: string;
    friendAttributes: Record<string, string>;
    createTime: number;
    wording: string;
}

export interface ZIMFriendRelationInfo {
    type: ZIMUserRelationType;
    userID: string;
}

export interface ZIMFriendApplicationInfo {
    type: ZIMFriendApplicationType;
    state: ZIMFriendApplicationState;
    /** The other side: who sent it (received) or who it went to (sent). */
    applyUser: ZIMUserInfo;
    wording: string;
    createTime: number;
    updateTime: number;
}

/** Attribute keys are k0 to k4 (ZEGO's rule). */
export interface ZIMFriendAddConfig {
    friendAlias?: string;
    friendAttributes?: Record<string, string>;
    wording?: string;
}

export interface ZIMFriendDeleteConfig {
    type: ZIMFriendDeleteType;
}

export interface ZIMFriendRelationCheckConfig {
    type: ZIMFriendRelationCheckType;
}

/** Also ZIMFriendApplicationListQueryConfig and ZIMBlacklistQueryConfig: count 1 to 100. */
export interface ZIMFriendListQueryConfig {
    /** 0 or absent: the first page. */
    nextFlag?: number;
    count: number;
}
export type ZIMFriendApplicationListQueryConfig = ZIMFriendListQueryConfig;
export type ZIMBlacklistQueryConfig = ZIMFriendListQueryConfig;

/** pushConfig is accepted and ignored (tinyim has no offline push). */
export interface ZIMFriendApplicationSendConfig {
    wording?: string;
    friendAlias?: string;
    friendAttributes?: Record<string, string>;
    pushConfig?: unknown;
}

export interface ZIMFriendApplicationAcceptConfig {
    friendAlias?: string;
    friendAttributes?: Record<string, string>;
    pushConfig?: unknown;
}

export interface ZIMFriendApplicationRejectConfig {
    pushConfig?: unknown;
}

/** The result of addFriend, updateFriendAlias, updateFriendAttributes, acceptFriendApplication. */
export interface ZIMFriendAddedResult {
    friendInfo: ZIMFriendInfo;
}
export type ZIMFriendAliasUpdatedResult = ZIMFriendAddedResult;
export type ZIMFriendAttributesUpdatedResult = ZIMFriendAddedResult;
export type ZIMFriendApplicationAcceptedResult = ZIMFriendAddedResult;

export interface ZIMFriendsDeletedResult {
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMFriendsRelationCheckedResult {
    relationInfos: ZIMFriendRelationInfo[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMFriendsInfoQueriedResult {
    friendInfos: ZIMFriendInfo[];
    errorUserList: ZIMErrorUserInfo[];
}

export interface ZIMFriendListQueriedResult {
    friendList: ZIMFriendInfo[];
    /** 0 on the last page. */
    nextFlag: number;
}

export interface ZIMFriendApplicationSentResult {
    applicationInfo: ZIMFriendApplicationInfo;
}

export interface ZIMFriendApplicationRejectedResult {
    userInfo: ZIMUserInfo;
}

export interface ZIMFriendApplicationListQueriedResult {
    applicationList: ZIMFriendApplicationInfo[];
    /** 0 on the last page. */
    nextFlag: number;
}

export interface ZIMBlacklistUsersAddedResult {
    errorUserList: ZIMErrorUserInfo[];
}
export type ZIMBlacklistUsersRemovedResult = ZIMBlacklistUsersAddedResult;

export interface ZIMBlacklistQueriedResult {
    blacklist: ZIMUserInfo[];
    /** 0 on the last page. */
    nextFlag: number;
}

export interface ZIMBlacklistCheckedResult {
    isUserInBlacklist: boolean;
}

export interface ZIMEventOfFriendListChangedResult {
    friendList: ZIMFriendInfo[];
    action: ZIMFriendListChangeAction;
}

export interface ZIMEventOfFriendInfoUpdatedResult {
    friendList: ZIMFriendInfo[];
}

export interface ZIMEventOfFriendApplicationListChangedResult {
    applicationList: ZIMFriendApplicationInfo[];
    action: ZIMFriendApplicationListChangeAction;
}

export interface ZIMEventOfFriendApplicationUpdatedResult {
    applicationList: ZIMFriendApplicationInfo[];
}

export interface ZIMEventOfBlacklistChangedResult {
    userList: ZIMUserInfo[];
    action: ZIMBlacklistChangeAction;
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
    groupMessageReceived: (zim: ZIM, data: ZIMEventOfConversationMessageReceivedResult) => void;
    roomStateChanged: (zim: ZIM, data: ZIMEventOfRoomStateChangedResult) => void;
    roomMemberJoined: (zim: ZIM, data: ZIMEventOfRoomMembersChangedResult) => void;
    roomMemberLeft: (zim: ZIM, data: ZIMEventOfRoomMembersChangedResult) => void;
    userInfoUpdated: (zim: ZIM, data: ZIMEventOfUserInfoUpdatedResult) => void;
    userStatusUpdated: (zim: ZIM, data: ZIMEventOfUserStatusUpdatedResult) => void;
    userRuleUpdated: (zim: ZIM, data: ZIMEventOfUserRuleUpdatedResult) => void;
    /** tinyim has no experimental APIs: never emitted. */
    experimentalEventReceived: (zim: ZIM, content: string) => void;
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
    friendListChanged: (zim: ZIM, data: ZIMEventOfFriendListChangedResult) => void;
    friendInfoUpdated: (zim: ZIM, data: ZIMEventOfFriendInfoUpdatedResult) => void;
    friendApplicationListChanged: (zim: ZIM, data: ZIMEventOfFriendApplicationListChangedResult) => void;
    friendApplicationUpdated: (zim: ZIM, data: ZIMEventOfFriendApplicationUpdatedResult) => void;
    blacklistChanged: (zim: ZIM, data: ZIMEventOfBlacklistChangedResult) => void;
}

/** 1.x style: positional arguments after `zim` (the seed article's callbacks). */
export interface ZIMEventHandler1x {
    error: (zim: ZIM, errorInfo: ZIMError) => void;
    connectionStateChanged: (zim: ZIM, state: ZIMConnectionState, event: ZIMConnectionEvent, extendedData: string) => void;
    tokenWillExpire: (zim: ZIM, second: number) => void;
    receivePeerMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromUserID: string) => void;
    receiveRoomMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromRoomID: string) => void;
    receiveGroupMessage: (zim: ZIM, messageList: ZIMMessageLike[], fromGroupID: string) => void;
    roomStateChanged: (zim: ZIM, state: ZIMRoomState, event: ZIMRoomEvent, extendedData: string, roomID: string) => void;
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
    /** tinyim has no geofencing: never applied, so always false. */
    static setGeofencingConfig(areaList: number[], type: ZIMGeofencingType): boolean;

    // ZIM 2.2x's names of the enums, on the class (2.2x's MessageRevokeStatus also has ServiceAPIRevoke).
    static readonly ConnectionState: typeof ZIMConnectionState;
    static readonly ConnectionEvent: typeof ZIMConnectionEvent;
    static readonly ConversationEvent: typeof ZIMConversationEvent;
    static readonly ConversationNotificationStatus: typeof ZIMConversationNotificationStatus;
    static readonly ConversationType: typeof ZIMConversationType;
    static readonly ConversationSyncState: typeof ZIMConversationSyncState;
    static readonly ConversationPinnedFilter: typeof ZIMConversationPinnedFilter;
    static readonly ConversationSearchMode: typeof ZIMConversationSearchMode;
    static readonly MediaFileType: typeof ZIMMediaFileType;
    static readonly MessageDirection: typeof ZIMMessageDirection;
    static readonly MessageOrder: typeof ZIMMessageOrder;
    static readonly MessagePriority: typeof ZIMMessagePriority;
    static readonly MessageReceiptStatus: typeof ZIMMessageReceiptStatus;
    static readonly MessageRevokeStatus: typeof ZIMMessageRevokeStatus & { readonly ServiceAPIRevoke: ZIMMessageRevokeStatus.ServerAPIRevoke };
    static readonly MessageSentStatus: typeof ZIMMessageSentStatus;
    static readonly MessageType: typeof ZIMMessageType;
    static readonly RevokeType: typeof ZIMRevokeType;
    static readonly TipsMessageEvent: typeof ZIMTipsMessageEvent;
    static readonly TipsMessageChangeInfoType: typeof ZIMTipsMessageChangeInfoType;
    static readonly MessageMentionedType: typeof ZIMMessageMentionedType;
    static readonly MessageDeleteType: typeof ZIMMessageDeleteType;
    static readonly MessageRepliedInfoState: typeof ZIMMessageRepliedInfoState;
    static readonly MessagePinStatus: typeof ZIMMessagePinStatus;
    static readonly MessageReactionUserChangeAction: typeof ZIMMessageReactionUserChangeAction;
    static readonly RoomEvent: typeof ZIMRoomEvent;
    static readonly RoomState: typeof ZIMRoomState;
    static readonly RoomAttributesUpdateAction: typeof ZIMRoomAttributesUpdateAction;
    static readonly RoomMemberAttributesUpdateAction: typeof ZIMRoomMemberAttributesUpdateAction;
    static readonly GroupState: typeof ZIMGroupState;
    static readonly GroupEvent: typeof ZIMGroupEvent;
    static readonly GroupMemberEvent: typeof ZIMGroupMemberEvent;
    static readonly GroupMemberState: typeof ZIMGroupMemberState;
    static readonly GroupMessageNotificationStatus: typeof ZIMGroupMessageNotificationStatus;
    static readonly GroupAttributesUpdateAction: typeof ZIMGroupAttributesUpdateAction;
    static readonly GroupMuteMode: typeof ZIMGroupMuteMode;
    static readonly GroupJoinMode: typeof ZIMGroupJoinMode;
    static readonly GroupInviteMode: typeof ZIMGroupInviteMode;
    static readonly GroupBeInviteMode: typeof ZIMGroupBeInviteMode;
    static readonly GroupEnterType: typeof ZIMGroupEnterType;
    static readonly GroupApplicationType: typeof ZIMGroupApplicationType;
    static readonly GroupApplicationState: typeof ZIMGroupApplicationState;
    static readonly GroupApplicationListChangeAction: typeof ZIMGroupApplicationListChangeAction;
    static readonly CallInvitationMode: typeof ZIMCallInvitationMode;
    static readonly CallState: typeof ZIMCallState;
    static readonly CallUserState: typeof ZIMCallUserState;
    static readonly FriendListChangeAction: typeof ZIMFriendListChangeAction;
    static readonly FriendApplicationListChangeAction: typeof ZIMFriendApplicationListChangeAction;
    static readonly FriendApplicationType: typeof ZIMFriendApplicationType;
    static readonly FriendApplicationState: typeof ZIMFriendApplicationState;
    static readonly FriendRelationCheckType: typeof ZIMFriendRelationCheckType;
    static readonly FriendDeleteType: typeof ZIMFriendDeleteType;
    static readonly UserRelationType: typeof ZIMUserRelationType;
    static readonly BlacklistChangeAction: typeof ZIMBlacklistChangeAction;
    static readonly CXHandleType: typeof ZIMCXHandleType;
    static readonly GeofencingType: typeof ZIMGeofencingType;
    static readonly PlatformType: typeof ZIMPlatformType;
    static readonly UserOnlineStatus: typeof ZIMUserOnlineStatus;
    static readonly MessageQueryMode: typeof ZIMMessageQueryMode;

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
    /** ZIM 1.x: sendMessage(message, toGroupID, ZIMConversationType.Group, config). */
    sendGroupMessage(message: ZIMMessageToSend, toGroupID: string, config?: ZIMMessageSendConfig): Promise<ZIMMessageSentResult>;
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
    queryUsersStatus(userIDs: string[]): Promise<ZIMUsersStatusQueriedResult>;
    subscribeUsersStatus(userIDs: string[], config: ZIMUserStatusSubscribeConfig): Promise<ZIMUsersStatusSubscribedResult>;
    unsubscribeUsersStatus(userIDs: string[]): Promise<ZIMUsersStatusUnsubscribedResult>;
    querySubscribedUserStatusList(config: ZIMSubscribedUserStatusQueryConfig): Promise<ZIMSubscribedUserStatusListQueriedResult>;
    updateUserCustomStatus(customStatus: string, config?: ZIMUserCustomStatusUpdateConfig): Promise<ZIMUserCustomStatusUpdatedResult>;
    updateUserOfflinePushRule(offlinePushRule: ZIMUserOfflinePushRule): Promise<ZIMUserOfflinePushRuleUpdatedResult>;
    updateUserBadge(badge: number): Promise<void>;

    /** tinyim writes no log files (logs stay on the device, in the console): resolves at once. */
    uploadLog(): Promise<void>;
    /** Every experimental request is unknown to tinyim: rejects with 6000001, as ZIM does for one it does not know. */
    callExperimentalAPI(params: string): Promise<string>;

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
    queryGroupMessageReceiptReadMemberList(message: ZIMMessageLike, groupID: string, config: ZIMGroupMessageReceiptMemberQueryConfig): Promise<ZIMGroupMessageReceiptMemberListQueriedResult>;
    queryGroupMessageReceiptUnreadMemberList(message: ZIMMessageLike, groupID: string, config: ZIMGroupMessageReceiptMemberQueryConfig): Promise<ZIMGroupMessageReceiptMemberListQueriedResult>;

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
    addFriend(userID: string, config: ZIMFriendAddConfig): Promise<ZIMFriendAddedResult>;
    deleteFriends(userIDs: string[], config: ZIMFriendDeleteConfig): Promise<ZIMFriendsDeletedResult>;
    checkFriendsRelation(userIDs: string[], config: ZIMFriendRelationCheckConfig): Promise<ZIMFriendsRelationCheckedResult>;
    updateFriendAlias(friendAlias: string, userID: string): Promise<ZIMFriendAliasUpdatedResult>;
    /** Sets the given keys (k0 to k4); the others stay. */
    updateFriendAttributes(friendAttributes: Record<string, string>, userID: string): Promise<ZIMFriendAttributesUpdatedResult>;
    queryFriendsInfo(userIDs: string[]): Promise<ZIMFriendsInfoQueriedResult>;
    queryFriendList(config: ZIMFriendListQueryConfig): Promise<ZIMFriendListQueriedResult>;
    sendFriendApplication(userID: string, config: ZIMFriendApplicationSendConfig): Promise<ZIMFriendApplicationSentResult>;
    acceptFriendApplication(userID: string, config: ZIMFriendApplicationAcceptConfig): Promise<ZIMFriendApplicationAcceptedResult>;
    rejectFriendApplication(userID: string, config?: ZIMFriendApplicationRejectConfig): Promise<ZIMFriendApplicationRejectedResult>;
    queryFriendApplicationList(config: ZIMFriendApplicationListQueryConfig): Promise<ZIMFriendApplicationListQueriedResult>;
    addUsersToBlacklist(userIDs: string[]): Promise<ZIMBlacklistUsersAddedResult>;
    removeUsersFromBlacklist(userIDs: string[]): Promise<ZIMBlacklistUsersRemovedResult>;
    queryBlacklist(config: ZIMBlacklistQueryConfig): Promise<ZIMBlacklistQueriedResult>;
    checkUserIsInBlacklist(userID: string): Promise<ZIMBlacklistCheckedResult>;

    /** Uploads the local file to the server, then sends the message with its URL (docs/areas/media.md). */
    sendMediaMessage(
        message: ZIMMediaMessageToSend,
        toConversationID: string,
        conversationType: ZIMConversationType,
        config: ZIMMessageSendConfig,
        notification?: ZIMMediaMessageSendNotification,
    ): Promise<ZIMMessageSentResult>;
    downloadMediaFile(
        message: ZIMMediaMessage,
        fileType: ZIMMediaFileType,
        config: ZIMMediaDownloadConfig,
        progress: ZIMMediaDownloadingProgress,
    ): Promise<ZIMMediaDownloadedResult>;

    // Second tier (not in tinyim yet): each rejects with { code: 6000013 }.
    addMessageReaction(...args: unknown[]): Promise<never>;
    deleteMessageReaction(...args: unknown[]): Promise<never>;
    deleteMessageAllReactions(...args: unknown[]): Promise<never>;
    queryMessageReactionUserList(...args: unknown[]): Promise<never>;
    replyMessage(...args: unknown[]): Promise<never>;
    queryMessageRepliedList(...args: unknown[]): Promise<never>;
    queryCombineMessageDetail(...args: unknown[]): Promise<never>;
    pinMessage(...args: unknown[]): Promise<never>;
    queryPinnedMessageList(...args: unknown[]): Promise<never>;
    searchLocalConversations(...args: unknown[]): Promise<never>;
    searchLocalMessages(...args: unknown[]): Promise<never>;
    searchGlobalLocalMessages(...args: unknown[]): Promise<never>;
    searchLocalGroups(...args: unknown[]): Promise<never>;
    searchLocalGroupMembers(...args: unknown[]): Promise<never>;
    searchLocalFriends(...args: unknown[]): Promise<never>;
}

/** ZIM 2.2x's enum names as types (`conversationType: ZIM.ConversationType`). */
export declare namespace ZIM {
    type ConnectionState = ZIMConnectionState;
    type ConnectionEvent = ZIMConnectionEvent;
    type ConversationEvent = ZIMConversationEvent;
    type ConversationNotificationStatus = ZIMConversationNotificationStatus;
    type ConversationType = ZIMConversationType;
    type ConversationSyncState = ZIMConversationSyncState;
    type ConversationPinnedFilter = ZIMConversationPinnedFilter;
    type ConversationSearchMode = ZIMConversationSearchMode;
    type MediaFileType = ZIMMediaFileType;
    type MessageDirection = ZIMMessageDirection;
    type MessageOrder = ZIMMessageOrder;
    type MessagePriority = ZIMMessagePriority;
    type MessageReceiptStatus = ZIMMessageReceiptStatus;
    type MessageRevokeStatus = ZIMMessageRevokeStatus;
    type MessageSentStatus = ZIMMessageSentStatus;
    type MessageType = ZIMMessageType;
    type RevokeType = ZIMRevokeType;
    type TipsMessageEvent = ZIMTipsMessageEvent;
    type TipsMessageChangeInfoType = ZIMTipsMessageChangeInfoType;
    type MessageMentionedType = ZIMMessageMentionedType;
    type MessageDeleteType = ZIMMessageDeleteType;
    type MessageRepliedInfoState = ZIMMessageRepliedInfoState;
    type MessagePinStatus = ZIMMessagePinStatus;
    type MessageReactionUserChangeAction = ZIMMessageReactionUserChangeAction;
    type RoomEvent = ZIMRoomEvent;
    type RoomState = ZIMRoomState;
    type RoomAttributesUpdateAction = ZIMRoomAttributesUpdateAction;
    type RoomMemberAttributesUpdateAction = ZIMRoomMemberAttributesUpdateAction;
    type GroupState = ZIMGroupState;
    type GroupEvent = ZIMGroupEvent;
    type GroupMemberEvent = ZIMGroupMemberEvent;
    type GroupMemberState = ZIMGroupMemberState;
    type GroupMessageNotificationStatus = ZIMGroupMessageNotificationStatus;
    type GroupAttributesUpdateAction = ZIMGroupAttributesUpdateAction;
    type GroupMuteMode = ZIMGroupMuteMode;
    type GroupJoinMode = ZIMGroupJoinMode;
    type GroupInviteMode = ZIMGroupInviteMode;
    type GroupBeInviteMode = ZIMGroupBeInviteMode;
    type GroupEnterType = ZIMGroupEnterType;
    type GroupApplicationType = ZIMGroupApplicationType;
    type GroupApplicationState = ZIMGroupApplicationState;
    type GroupApplicationListChangeAction = ZIMGroupApplicationListChangeAction;
    type CallInvitationMode = ZIMCallInvitationMode;
    type CallState = ZIMCallState;
    type CallUserState = ZIMCallUserState;
    type FriendListChangeAction = ZIMFriendListChangeAction;
    type FriendApplicationListChangeAction = ZIMFriendApplicationListChangeAction;
    type FriendApplicationType = ZIMFriendApplicationType;
    type FriendApplicationState = ZIMFriendApplicationState;
    type FriendRelationCheckType = ZIMFriendRelationCheckType;
    type FriendDeleteType = ZIMFriendDeleteType;
    type UserRelationType = ZIMUserRelationType;
    type BlacklistChangeAction = ZIMBlacklistChangeAction;
    type CXHandleType = ZIMCXHandleType;
    type GeofencingType = ZIMGeofencingType;
    type PlatformType = ZIMPlatformType;
    type UserOnlineStatus = ZIMUserOnlineStatus;
    type MessageQueryMode = ZIMMessageQueryMode;
}

export default ZIM;
