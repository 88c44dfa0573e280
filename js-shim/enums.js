'use strict';
// ZIM 2.29's 58 enums and 169 error codes with ZIM's values, built at load from this table.
// A line: an enum's name without "ZIM", then its members, each one more than the one before
// (the first 0) unless "=value" follows; a "+Prefix" line adds members named Prefix... to
// the enum above. Values also map back to names, as in TypeScript's (ZIM's) enums.
var TABLE = `ConnectionState Disconnected Connecting Connected Reconnecting
ConnectionEvent Success ActiveLogin LoginTimeout LoginInterrupted KickedOut TokenExpired Unregistered
ConversationEvent Added Updated Disabled Deleted
ConversationNotificationStatus Notify=1 DoNotDisturb
ConversationType Unknown=-1 Peer Room Group CommunityChannel
ConversationSyncState Started Finished Failed
ConversationPinnedFilter All OnlyPinned OnlyUnpinned
ConversationSearchMode MatchMessage MatchConversationName
MediaFileType OriginalFile=1 LargeImage Thumbnail VideoFirstFrame
MessageDirection Send Receive
MessageOrder Descending Ascending
MessagePriority Low=1 Medium High
MessageReceiptStatus Unknown=-1 None Processing Done Expired Failed
MessageRevokeStatus Unknown=-1 SelfRevoke SystemRevoke ServerAPIRevoke GroupAdminRevoke GroupOwnerRevoke AuditRejectRevoke
MessageSentStatus Sending Success Failed
MessageType Unknown Text Command Multiple=10 Image File Audio Video Barrage=20 System=30 Revoke Tips Combine=100 Custom=200
RevokeType Unknown=-1 TwoWay OneWay
TipsMessageEvent Unknown GroupCreated GroupDismissed GroupJoined GroupInvited GroupLeft GroupKickedOut GroupInfoChanged GroupMemberInfoChanged GroupMessagePinned CommunityCreated=101 CommunityJoined=103 CommunityInvited CommunityChannelCreated=151
TipsMessageChangeInfoType Unknown GroupDataChanged GroupNoticeChanged GroupNameChanged GroupAvatarUrlChanged GroupMuteChanged GroupOwnerTransferred=10 GroupMemberRoleChanged GroupMemberMuteChanged GroupMessagePinInfoChanged=21
MessageMentionedType Unknown MentionMe MentionAll MentionAllAndMe
MessageDeleteType MessageListDeleted ConversationAllMessagesDeleted AllConversationMessagesDeleted
MessageRepliedInfoState Normal Deleted NotFound
MessagePinStatus NotPinned Pinned Updated
MessageReactionUserChangeAction Added Deleted
RoomEvent Success NetworkInterrupted NetworkDisconnected RoomNotExist ActiveCreate CreateFailed ActiveEnter EnterFailed KickedOut ConnectTimeout KickedOutByOtherDevice ActiveSwitch SwitchFailed
RoomState Disconnected Connecting Connected
RoomAttributesUpdateAction Set Delete
RoomMemberAttributesUpdateAction Set
GroupState Quit Enter
GroupEvent Unknown=-1 Created=1 Dismissed Joined Invited Left KickedOut
GroupMemberEvent Unknown=-1 Joined=1 Left KickedOut=4 Invited
GroupMemberState Quit Enter
GroupMessageNotificationStatus Notify=1 Disturb
GroupAttributesUpdateAction Set Delete
GroupMuteMode None Normal All Custom
GroupJoinMode Any Auth Forbid
GroupInviteMode Any Admin
GroupBeInviteMode None Auth
GroupEnterType Unknown Created JoinApply Joined Invited InviteApply
GroupApplicationType Unknown=-1 None Join Invite BeInvite
GroupApplicationState Unknown=-1 Waiting=1 Accepted Rejected Expired Disabled
GroupApplicationListChangeAction Added
CallInvitationMode Unknown=-1 General Advanced
CallState Unknown=-1 Started=1 Ended
CallUserState Unknown=-1 Inviting Accepted Rejected Cancelled Offline Received Timeout Quit Ended NotYetReceived BeCancelled
FriendListChangeAction Added Deleted
FriendApplicationListChangeAction Added Deleted
FriendApplicationType Unknown=-1 None Received Sent Both
FriendApplicationState Unknown=-1 Waiting=1 Accepted Rejected Expired Disabled
FriendRelationCheckType Both Single
FriendDeleteType Both Single
UserRelationType Unknown SingleNo SingleHave BothAllNo BothSelfHave BothOtherHave BothAllHave
BlacklistChangeAction Added Removed
CXHandleType Generic=1 PhoneNumber EmailAddress
GeofencingType None Include Exclude
PlatformType Win=1 IPhoneOS Android MacOS Linux Web MiniProgram IPadOS=9 OHOS Unknown=32
UserOnlineStatus Online Offline Logout Unknown=99
MessageQueryMode General PreferServer OnlyLocal
ErrorCode Success Failed
+CommonModule ParamsInvalid=6000001 NotInit InvalidAppID TriggerSDKFrequencyLimit TriggerServerFrequencyLimit SwitchServerError IMServerError IMDatabaseError IMServerDisconnect UploadLogError UserIsNotExist UserInfoQueriedLimit UnsupportedRequest UnactivatedIMServer ExceedDAULimit ExceedMAULimit BlacklistLimit=6000021
+NetworkModule CommonError=6000101 ServerError TokenInvalid NetworkError RequestTimeout TokenExpired TokenVersionError TokenTimeIsTooShort RspProtoParseError UserHasAlreadyLogged=6000111 UserIsNotLogged=6000121 UserHasAlreadyLoggedOut UserOffline UserIDError
+MessageModule CommonError=6000201 ServerError SendMessageFailed TargetDoesNotExist EditMessageFailed SendMessageFailedForCancelled CancelSendingMessageFailed MessageIsNotPinned FileError=6000210 FileNotExist FileServerError FileTypeUnsupported FileSizeInvalid FileDurationInvalid FilePermissionDenied FileDownloadFailed FileDownloadLimit FileDownloadUrlNotFound FileDownloadHttpRequestServerError AuditRejected AuditFailed AuditCustomSentRejected=6000230 CacheFileOpenFailed=6000240 CacheFileExportOrImportIsInProgressCurrently CacheFileOnlyCanImportCacheOfOneself CacheFileExportFailed CacheFileImportFailed CacheFileJsonParseFailed FileConnectError=6000251 FileHttpError FileVerificationError FileClientError ReceiptReadError=6000277 MessageExceedsRevokeTime MessageHasBeenRevoked MessageReactionTypeExisted MessageReceiptLimit=6000282 SenderInBlacklist=6000284 EditNoCorrespondingOperationAuthority MessageExceedsEditTime TheNumberOfPinnedMessagesExceedsLimit
+CallModule CommonError=6000270 CancelError ServerError IsNotInvitor IsNotInvitee AlreadyExists DoesNotExist InviteUserDoesNotExist=6000281 UserAlreadyInTheCall=6000283
+RoomModule CommonError=6000301 ServerError CreateRoomError JoinRoomError LeaveRoomError=6000306 TheRoomMemberQueryFailed=6000310 TheRoomMembersQueryFailedCompletely UserIsAlreadyInTheRoom=6000320 UserIsNotInTheRoom TheRoomDoesNotExist TheRoomAlreadyExists TheNumberOfExistingRoomsHasReachedLimit TheNumberOfJoinedRoomsHasReachedLimit TheRoomIsConnecting RoomMemberIsBlocked RoomAttributesCommonError=6000330 RoomAttributesOperationFailedCompletely RoomAttributesOperationFailedPartly RoomAttributesQueryFailed TheNumberOfRoomAttributesExceedsLimit TheLengthOfRoomAttributeKeyExceedsLimit TheLengthOfRoomAttributeValueExceedsLimit TheTotalLengthOfRoomAttributesValueExceedsLimit RoomMemberAttributesCommonError=6000350 TheTotalLengthOfRoomMemberAttributesExceedsLimit TheLengthOfRoomMemberAttributesKeyExceedsLimit TheLengthOfRoomMemberAttributesValueExceedsLimit TheMemberNumberOfRoomMemberAttributesExceedsLimit=6000357
+ZpnsModule PushIDInvalid=6000401
+GroupModule CommonError=6000501 ServerError CreateGroupError DismissGroupError JoinGroupError LeaveGroupError KickoutGroupMemberError InviteUserIntoGroupError TransferOwnerError UpdateGroupInfoError QueryGroupInfoError GroupAttributesOperationFailed GroupAttributesQueryFailed UpdateGroupMemberInfoError QueryGroupMemberInfoError QueryGroupListError QueryGroupMemberListError UserIsNotInTheGroup=6000521 MemberIsAlreadyInTheGroup GroupDoesNotExist GroupAlreadyExists GroupMemberHasReachedLimit GroupAttributeDoesNotExist CreateGroupWithDismissed TheNumberOfGroupAttributesExceedsLimit=6000531 TheLengthOfGroupAttributeKeyExceedsLimit TheLengthOfGroupAttributeValueExceedsLimit TheTotalLengthOfGroupAttributesValueExceedsLimit GroupNoCorrespondingOperationAuthority=6000541 ForbidJoinGroupError NeedApplyJoinGroupError NeedApplyInviteGroupError
+ConversationModule CommonError=6000601 ServerError ConversationDoesNotExist ConversationPinnedListReachedLimit
+DatabaseModule OpenDatabaseError=6000701 ModifyDatabaseError DeleteDatabaseError SeleteDatabaseError DbIsNotOpened=6000710
+FriendModule FriendNumsLimit=6000801 FriendApplicationStatusError IsAlreadyYourFriend AlreadyAddToBlacklist CannotAddSelfToBlacklist AlreadyDeleteFromBlacklist UserNotInBlacklist BlacklistListQuantityLimit FriendOperationLimitExceeded CannotAddSelfToFriendList FriendAreUnregistered NotYourFriend CannotDeleteSelf FriendApplicationExpired AddBlacklistFail DelBlacklistFail`;

var enums = {};
var current, next, prefix;
TABLE.split('\n').forEach(function (line) {
  var words = line.split(' ');
  var head = words.shift();
  if (head.charAt(0) === '+') prefix = head.slice(1);
  else {
    current = enums['ZIM' + head] = {};
    next = 0;
    prefix = '';
  }
  words.forEach(function (word) {
    var parts = word.split('=');
    var value = parts.length > 1 ? Number(parts[1]) : next;
    current[prefix + parts[0]] = value;
    current[value] = prefix + parts[0];
    next = value + 1;
  });
});

module.exports = enums;
