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
  queryGroupMessageReceiptReadMemberList: 'message groupID *',
  queryGroupMessageReceiptUnreadMemberList: 'message groupID *',
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
