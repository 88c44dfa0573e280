// The same flow in the 2.x style, as current ZIM code writes it: callbacks take one data
// object after `zim`, login(userID, { userName, token }), sendMessage with a conversation type.
const { ZIM } = require('tinyim');
const config = require('../config.js');
const events = [];
module.exports.events = events;

ZIM.setAdvancedConfig('server', config.server);
const zim = ZIM.create(config.appID);
module.exports.zim = zim;
module.exports.ZIM = ZIM;

zim.on('error', (zim, errorInfo) => {
  events.push(['error', errorInfo.code, errorInfo.message]);
});
zim.on('connectionStateChanged', (zim, { state, event, extendedData }) => {
  events.push(['connectionStateChanged', state, event, typeof extendedData]);
});
zim.on('roomStateChanged', (zim, { roomID, state, event }) => {
  events.push(['roomStateChanged', state, event, roomID]);
});
zim.on('roomMemberJoined', (zim, { roomID, memberList }) => {
  events.push(['roomMemberJoined', memberList.map((m) => m.userID), roomID]);
});
zim.on('roomMemberLeft', (zim, { roomID, memberList }) => {
  events.push(['roomMemberLeft', memberList.map((m) => m.userID), roomID]);
});
zim.on('receiveRoomMessage', (zim, { messageList, fromConversationID }) => {
  events.push(['receiveRoomMessage', messageList.map((m) => m.message), fromConversationID]);
});
zim.on('receivePeerMessage', (zim, { messageList, fromConversationID }) => {
  events.push(['receivePeerMessage', messageList.map((m) => m.message), fromConversationID]);
});
zim.on('peerMessageReceived', (zim, { messageList, fromConversationID, info }) => {
  events.push(['peerMessageReceived', messageList.map((m) => m.message), fromConversationID, info.isOfflineMessage]);
});
zim.on('tokenWillExpire', (zim, { second }) => {
  events.push(['tokenWillExpire', second]);
  zim
    .renewToken(config.newToken)
    .then(({ token }) => events.push(['renewToken', token === config.newToken]))
    .catch((err) => events.push(['renewTokenFailed', err.code, err.message]));
});

zim
  .login(config.userID, { userName: config.userName, token: config.token })
  .then(() => events.push(['login']))
  .catch((err) => events.push(['loginFailed', err.code, err.message]));

module.exports.send = async function (text, toUserID) {
  const message = { type: 1, message: text };
  const config = { priority: 1 };
  const notification = {
    onMessageAttached: (message) => events.push(['attached', message.message]),
  };
  try {
    const { message: sent } = await zim.sendMessage(message, toUserID, 0, config, notification);
    events.push(['sent', sent.message, sent.conversationID, typeof sent.messageID]);
  } catch (err) {
    events.push(['sendFailed', err.code, err.message]);
  }
};

module.exports.finish = function () {
  zim.logout();
  zim.destroy();
};
