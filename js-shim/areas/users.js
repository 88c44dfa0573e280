'use strict';
// Users: profiles (ZIM's user info). The server keeps them; docs/areas/users.md says how.

var method = require('../rpc').method;

module.exports = {
  methods: {
    querySelfUserInfo: method('querySelfUserInfo', ''),
    // queryUsersInfo(userIDs, { isQueryFromServer }): always answered by the server.
    queryUsersInfo: method('queryUsersInfo', 'userIDs *'),
    updateUserName: method('updateUserName', 'userName'),
    updateUserAvatarUrl: method('updateUserAvatarUrl', 'userAvatarUrl'),
    updateUserExtendedData: method('updateUserExtendedData', 'extendedData'),
  },
  // Notices that are not simply the ZIM event of the same name with the same data.
  notices: {},
};
