'use strict';
// Rooms beyond joinRoom / leaveRoom / member pages: creating and entering with ZIM's advanced
// config, switching, leaving every room, member queries, room and member attributes.
//
// beginRoomAttributesBatchOperation is synchronous in ZIM: it opens a batch for the room here,
// setRoomAttributes / deleteRoomAttributes on that room join it instead of going out, and
// endRoomAttributesBatchOperation sends them as one call; each joined call then settles with
// the batch, its errorKeys being those of its own keys.

var rpc = require('../rpc');
var method = rpc.method;

function batchOf(zim, roomID) {
  return zim._batches && zim._batches[roomID];
}

// A set or delete: joins the room's open batch, or goes out at once.
function attributesCall(name, action, params) {
  var list = params.split(' ');
  return function () {
    var args = rpc.argsOf(list, arguments);
    var batch = batchOf(this, args.roomID);
    if (!batch) return this._rpc(name, args);
    return new Promise(function (resolve, reject) {
      var keys = action ? args.keys : Object.keys(args.roomAttributes || {});
      batch.ops.push({ action: action, roomAttributes: action ? {} : args.roomAttributes, keys: action ? keys : [] });
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
  notices: {},
};
