'use strict';
// Friends (docs/areas/friends.md): the friend list with the user's alias and attributes per
// friend, friend applications and relation checks, all kept by the server. ZIM's parameter
// names per method, `*` spreading a config (rpc.js); the events are the server's notices
// under ZIM's names and data.

var method = require('../rpc').method;

module.exports = {
  methods: {
    addFriend: method('addFriend', 'userID *'),
    deleteFriends: method('deleteFriends', 'userIDs *'),
    checkFriendsRelation: method('checkFriendsRelation', 'userIDs *'),
    updateFriendAlias: method('updateFriendAlias', 'friendAlias userID'),
    updateFriendAttributes: method('updateFriendAttributes', 'friendAttributes userID'),
    queryFriendsInfo: method('queryFriendsInfo', 'userIDs'),
    queryFriendList: method('queryFriendList', '*'),
    sendFriendApplication: method('sendFriendApplication', 'userID *'),
    acceptFriendApplication: method('acceptFriendApplication', 'userID *'),
    // The config holds only pushConfig: unused.
    rejectFriendApplication: method('rejectFriendApplication', 'userID'),
    queryFriendApplicationList: method('queryFriendApplicationList', '*'),
  },
  notices: {},
};
