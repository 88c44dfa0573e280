'use strict';
// Rooms on the method path (docs/protocol.md). ZIM's beginRoomAttributesBatchOperation is
// synchronous: it opens a batch here, sets and deletes on that room join it, and end... sends
// them as one call; each joined call settles with the batch (errorKeys: its own keys').

var rpc = require('../rpc');
var method = rpc.method;

function batchOf(zim, roomID) {
  return zim._batches && zim._batches[roomID];
}

// A set (action 0) or delete (1): joins the room's open batch, or goes out at once.
function attributesCall(name, action, params) {
  var list = params.split(' ');
  return function () {
    var args = rpc.argsOf(list, arguments);
    var batch = batchOf(this, args.roomID);
    if (!batch) return this._rpc(name, args);
    return new Promise(function (resolve, reject) {
      batch.ops.push({ action: action, roomAttributes: args.roomAttributes, keys: args.keys });
      var keys = action ? args.keys : Object.keys(args.roomAttributes || {});
      batch.waiting.push({ keys: keys || [], resolve: resolve, reject: reject });
    });
  };
}

module.exports = {
  methods: {
    createRoom: method('createRoom', 'roomInfo config'),
    enterRoom: method('enterRoom', 'roomInfo config'),
    switchRoom: method('switchRoom', 'fromRoomID toRoomInfo isCreateWhenRoomNotExisted config'),
    leaveAllRoom: method('leaveAllRoom', ''),
    queryRoomMembers: method('queryRoomMembers', 'userIDs roomID'),
    setRoomAttributes: attributesCall('setRoomAttributes', 0, 'roomAttributes roomID config'),
    deleteRoomAttributes: attributesCall('deleteRoomAttributes', 1, 'keys roomID config'),
    beginRoomAttributesBatchOperation: function (roomID, config) {
      (this._batches = this._batches || {})[roomID] = { config: config, ops: [], waiting: [] };
    },
    endRoomAttributesBatchOperation: function (roomID) {
      var batch = batchOf(this, roomID);
      if (batch) delete this._batches[roomID];
      var p = this._rpc('endRoomAttributesBatchOperation', {
        roomID: roomID,
        config: batch && batch.config,
        operations: batch ? batch.ops : [],
      });
      if (batch) {
        p.then(
          function (r) {
            batch.waiting.forEach(function (w) {
              var mine = r.errorKeys.filter(function (k) {
                return w.keys.indexOf(k) >= 0;
              });
              w.resolve({ roomID: r.roomID, errorKeys: mine });
            });
          },
          function (e) {
            batch.waiting.forEach(function (w) {
              w.reject(e);
            });
          },
        );
      }
      return p;
    },
    queryRoomAllAttributes: method('queryRoomAllAttributes', 'roomID'),
    setRoomMembersAttributes: method('setRoomMembersAttributes', 'attributes userIDs roomID config'),
    queryRoomMembersAttributes: method('queryRoomMembersAttributes', 'userIDs roomID'),
    queryRoomMemberAttributesList: method('queryRoomMemberAttributesList', 'roomID config'),
  },
};
