'use strict';
// Users: profiles (ZIM's user info), presence (user status) and the user's own settings. The
// server keeps them all; docs/users.md says how.

var method = require('../rpc').method;

module.exports = {
  methods: {
    querySelfUserInfo: method('querySelfUserInfo', ''),
    // queryUsersInfo(userIDs, { isQueryFromServer }): always answered by the server.
    queryUsersInfo: method('queryUsersInfo', 'userIDs *'),
    updateUserName: method('updateUserName', 'userName'),
    updateUserAvatarUrl: method('updateUserAvatarUrl', 'userAvatarUrl'),
    updateUserExtendedData: method('updateUserExtendedData', 'extendedData'),
    queryUsersStatus: method('queryUsersStatus', 'userIDs'),
    // subscribeUsersStatus(userIDs, { subscriptionDuration }): minutes, 1 to 43200.
    subscribeUsersStatus: method('subscribeUsersStatus', 'userIDs *'),
    unsubscribeUsersStatus: method('unsubscribeUsersStatus', 'userIDs'),
    // querySubscribedUserStatusList({ userIDs }): no IDs lists every subscription.
    querySubscribedUserStatusList: method('querySubscribedUserStatusList', '*'),
    // updateUserCustomStatus(customStatus, { duration }?): seconds, at most (and by default) a day.
    updateUserCustomStatus: method('updateUserCustomStatus', 'customStatus *'),
    updateUserOfflinePushRule: method('updateUserOfflinePushRule', 'offlinePushRule'),
    // Resolves with nothing, as ZIM's does.
    updateUserBadge: function (badge) {
      return this._rpc('updateUserBadge', { badge: badge }).then(function () {});
    },
  },
  // Notices that are not simply the ZIM event of the same name with the same data.
  notices: {},
};
