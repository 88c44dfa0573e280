'use strict';
// Groups (docs/protocol.md, "Groups"): ZIM's parameter names per method, `*` spreading a config
// (rpc.js). queryGroupList() is queryGroupList(count, config) with no count: every group.

var method = require('../rpc').method;

var PARAMS = {
  createGroup: 'groupInfo userIDs config',
  dismissGroup: 'groupID',
  joinGroup: 'groupID',
  leaveGroup: 'groupID',
  inviteUsersIntoGroup: 'userIDs groupID',
  kickGroupMembers: 'userIDs groupID',
  transferGroupOwner: 'toUserID groupID',
  queryGroupInfo: 'groupID',
  queryGroupMemberInfo: 'userID groupID',
  queryGroupList: 'count *',
  queryGroupMemberList: 'groupID *',
  queryGroupMemberCount: 'groupID',
  updateGroupName: 'groupName groupID',
  updateGroupAvatarUrl: 'groupAvatarUrl groupID',
  updateGroupNotice: 'groupNotice groupID',
  updateGroupAlias: 'groupAlias groupID',
  updateGroupJoinMode: 'mode groupID',
  updateGroupInviteMode: 'mode groupID',
  updateGroupBeInviteMode: 'mode groupID',
  setGroupAttributes: 'groupAttributes groupID',
  deleteGroupAttributes: 'keys groupID',
  queryGroupAttributes: 'keys groupID',
  queryGroupAllAttributes: 'groupID',
  setGroupMemberRole: 'role forUserID groupID',
  setGroupMemberNickname: 'nickname forUserID groupID',
  muteGroup: 'isMute groupID *',
  muteGroupMembers: 'isMute userIDs groupID *',
  queryGroupMemberMutedList: 'groupID *',
  // Answer configs hold only pushConfig: unused.
  sendGroupJoinApplication: 'groupID *',
  acceptGroupJoinApplication: 'userID groupID',
  rejectGroupJoinApplication: 'userID groupID',
  sendGroupInviteApplications: 'userIDs groupID *',
  acceptGroupInviteApplication: 'inviterUserID groupID',
  rejectGroupInviteApplication: 'inviterUserID groupID',
  queryGroupApplicationList: '*',
};

var methods = {};
for (var name in PARAMS) methods[name] = method(name, PARAMS[name]);

// 1.x positional arguments after `zim` (other group events always get the data object).
function info(key) {
  return function (d) {
    return [d[key], d.operatedInfo, d.groupID];
  };
}

module.exports = {
  methods: methods,
  // Exported with enums.js's.
  enums: {
    ZIMGroupState: { Quit: 0, Enter: 1 },
    ZIMGroupEvent: { Unknown: -1, Created: 1, Dismissed: 2, Joined: 3, Invited: 4, Left: 5, KickedOut: 6 },
    ZIMGroupMemberState: { Quit: 0, Enter: 1 },
    ZIMGroupMemberEvent: { Unknown: -1, Joined: 1, Left: 2, KickedOut: 4, Invited: 5 },
    ZIMGroupMessageNotificationStatus: { Notify: 1, Disturb: 2 },
    ZIMGroupAttributesUpdateAction: { Set: 0, Delete: 1 },
    ZIMGroupMuteMode: { None: 0, Normal: 1, All: 2, Custom: 3 },
    ZIMGroupJoinMode: { Any: 0, Auth: 1, Forbid: 2 },
    ZIMGroupInviteMode: { Any: 0, Admin: 1 },
    ZIMGroupBeInviteMode: { None: 0, Auth: 1 },
    ZIMGroupEnterType: { Unknown: 0, Created: 1, JoinApply: 2, Joined: 3, Invited: 4, InviteApply: 5 },
    ZIMGroupApplicationType: { Unknown: -1, None: 0, Join: 1, Invite: 2, BeInvite: 3 },
    ZIMGroupApplicationState: { Unknown: -1, Waiting: 1, Accepted: 2, Rejected: 3, Expired: 4, Disabled: 5 },
    ZIMGroupApplicationListChangeAction: { Added: 0 },
  },
  notices: {},
  positional: {
    groupStateChanged: function (d) {
      return [d.state, d.event, d.operatedInfo, d.groupInfo];
    },
    groupMemberStateChanged: function (d) {
      return [d.state, d.event, d.userList, d.operatedInfo, d.groupID];
    },
    groupMemberInfoUpdated: info('userList'),
    groupNameUpdated: info('groupName'),
    groupAvatarUrlUpdated: info('groupAvatarUrl'),
    groupNoticeUpdated: info('groupNotice'),
    groupAttributesUpdated: info('infoList'),
  },
};
