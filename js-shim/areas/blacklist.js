'use strict';
// The blacklist (docs/areas/friends.md): kept by the server, which refuses a blocked user's
// peer messages to the blocker with 6000284.

var method = require('../rpc').method;

module.exports = {
  methods: {
    addUsersToBlacklist: method('addUsersToBlacklist', 'userIDs'),
    removeUsersFromBlacklist: method('removeUsersFromBlacklist', 'userIDs'),
    queryBlacklist: method('queryBlacklist', '*'),
    checkUserIsInBlacklist: method('checkUserIsInBlacklist', 'userID'),
  },
  notices: {},
};
