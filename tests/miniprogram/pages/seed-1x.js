// The seed article's flow (ZIM-API.md §1) in the 1.x callback style, as a mini program page
// script holds it. Against zego-zim-miniprogram only the require line and the server line
// differ. (The `events` array and the exported helpers are the test's window into the page.)
const { ZIM } = require('tinyim'); // was: require('zego-zim-miniprogram')
const config = require('../config.js');
var appID = config.appID;
var token = config.token;
var newToken = config.newToken;
var events = [];
module.exports.events = events;

ZIM.setAdvancedConfig('server', config.server); // tinyim: where the server is
var zim = ZIM.create(appID); // appID: number
module.exports.zim = zim;
module.exports.ZIM = ZIM;

zim.on('error', function (zim, errorInfo) {
  console.log(errorInfo.code, errorInfo.message);
  events.push(['error', errorInfo.code, errorInfo.message]);
});
zim.on('connectionStateChanged', function (zim, state, event, extendedData) {
  events.push(['connectionStateChanged', state, event, typeof extendedData]);
});
zim.on('roomStateChanged', function (zim, state, event, extendedData, roomID) {
  events.push(['roomStateChanged', state, event, roomID]);
});
zim.on('roomMemberJoined', function (zim, memberList, roomID) {
  events.push(['roomMemberJoined', memberList.map(function (m) { return m.userID; }), roomID]);
});
zim.on('roomMemberLeft', function (zim, memberList, roomID) {
  events.push(['roomMemberLeft', memberList.map(function (m) { return m.userID; }), roomID]);
});
zim.on('receiveRoomMessage', function (zim, messageList, fromRoomID) {
  events.push(['receiveRoomMessage', messageList.map(function (m) { return m.message; }), fromRoomID]);
});
zim.on('receivePeerMessage', function (zim, messageList, fromUserID) {
  events.push(['receivePeerMessage', messageList.map(function (m) { return m.message; }), fromUserID,
    messageList.map(function (m) { return [m.senderUserID, m.direction, m.type, typeof m.messageID]; })]);
});
zim.on('tokenWillExpire', function (zim, second) {
  events.push(['tokenWillExpire', second]);
  zim.renewToken(newToken).then(function (res) {
    events.push(['renewToken', res.token === newToken]);
  }).catch(function (err) {
    events.push(['renewTokenFailed', err.code, err.message]);
  });
});

zim.login({ userID: config.userID, userName: config.userName }, token)
  .then(function () { events.push(['login']); })
  .catch(function (err) { events.push(['loginFailed', err.code, err.message]); });

module.exports.send = function (text, toUserID) {
  return zim.sendPeerMessage({ priority: 1, type: 1, message: text }, toUserID)
    .then(function (res) { events.push(['sent', res.message.message, res.message.conversationID, typeof res.message.messageID]); })
    .catch(function (err) { events.push(['sendFailed', err.code, err.message]); });
};

module.exports.finish = function () {
  zim.logout();
  zim.destroy();
};
