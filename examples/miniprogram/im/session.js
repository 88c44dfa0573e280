// The app's one IM session: owns the ZIM instance, keeps what pages show (connection state,
// the conversation list, room membership, the call that rings) and fans ZIM events out to
// whichever pages listen.
//
// Pages never talk to ZIM events directly: a page comes and goes, the session stays. Pages
// call `subscribe(listener)` in onLoad and the returned function in onUnload.
//
// The conversation list is ZIM's (the server keeps it): queried after login, then kept up to
// date by conversationChanged; unread counts are cleared on the server when a chat is read.

const { ZIM } = require('tinyim');
const view = require('./view');

const PEER = 0; // ZIMConversationType.Peer
const GROUP = 2; // ZIMConversationType.Group

const state = {
  zim: null,
  user: null, // { userID, userName }
  serverUrl: '',
  connectionState: 0, // ZIMConnectionState
  conversations: [], // rows for the list page: view.conversationRow
  totalUnread: 0,
  openChat: '', // key() of the conversation whose chat page is open: read as messages come
  // The call invitation on screen: { callID, peer, outgoing, status }, status one of
  // 'ringing', 'accepted', 'rejected', 'cancelled', 'timeout'.
  call: null,
  callTimeout: 30, // seconds an invitation rings before the server times it out
};
const byID = {}; // key(conversation) -> ZIMConversation

/** A conversation's key: a user and a group may have the same ID. */
function key(conversationID, type) {
  return type + ':' + conversationID;
}
const listeners = [];

function emit(kind, data) {
  listeners.slice().forEach(function (listener) {
    listener(kind, data);
  });
}

/** Registers `listener(kind, data)` for session events; returns the unsubscribe function. */
function subscribe(listener) {
  listeners.push(listener);
  return function () {
    const i = listeners.indexOf(listener);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/**
 * Asks the server for a token. This example uses tinyim-server's dev mode endpoint; a real
 * app asks its own back end, which mints Token04 tokens with the app secret (see README).
 */
function fetchToken(serverUrl, userID) {
  const httpUrl = serverUrl.replace(/^ws/, 'http').replace(/\/ws\/?$/, '');
  return new Promise(function (resolve, reject) {
    wx.request({
      url: httpUrl + '/dev/token?user=' + encodeURIComponent(userID),
      success: function (res) {
        if (res.statusCode === 200 && res.data && res.data.token) resolve(res.data);
        else reject({ code: -1, message: 'token endpoint answered ' + res.statusCode });
      },
      fail: function (err) {
        reject({ code: -1, message: 'cannot reach ' + httpUrl + ': ' + err.errMsg });
      },
    });
  });
}

/** The list page's rows: pinned first, then the newest first. */
function refreshConversations() {
  state.conversations = Object.keys(byID)
    .map(function (id) {
      return byID[id];
    })
    .sort(function (a, b) {
      return b.isPinned - a.isPinned || b.orderKey - a.orderKey;
    })
    .map(view.conversationRow);
  emit('conversations', state.conversations);
}

/** The chat is read: its unread count (on the server) and, for a peer, the receipts. */
function markRead(conversationID, type) {
  type = type || PEER;
  const c = byID[key(conversationID, type)];
  if (c && c.unreadMessageCount) state.zim.clearConversationUnreadMessageCount(conversationID, type).catch(function () {});
  if (type === PEER) state.zim.sendConversationMessageReceiptRead(conversationID, PEER).catch(function () {});
}

/** Creates group `groupID` with `members` (user IDs); this user is its owner. */
function createGroup(groupID, members) {
  return state.zim.createGroup({ groupID: groupID, groupName: groupID }, members).then(function (res) {
    if (res.errorUserList.length) emit('error', { code: res.errorUserList[0].reason, message: 'not added: ' + res.errorUserList[0].userID });
    return res;
  });
}

/** Joins group `groupID` (a group anyone may join). */
function joinGroup(groupID) {
  return state.zim.joinGroup(groupID);
}

function setCall(call) {
  state.call = call;
  emit('call', call);
}

/** The call `callID` (if it is the one on screen and still rings) is now `status`. */
function callIs(callID, status) {
  const call = state.call;
  if (call && call.callID === callID && call.status === 'ringing') {
    setCall(Object.assign({}, call, { status: status }));
  }
}

// ZIMCallUserState -> what the caller sees: Accepted 1, Rejected 2, Timeout 6.
const ANSWER = { 1: 'accepted', 2: 'rejected', 6: 'timeout' };

/** Rings `peer` (a general-mode ZIM call invitation). */
function ring(peer) {
  const config = { timeout: state.callTimeout, mode: 0, extendedData: '' };
  return state.zim.callInvite([peer], config).then(function (res) {
    if (res.errorUserList.length) throw { code: res.errorUserList[0].reason, message: peer + ' is not a known user' };
    setCall({ callID: res.callID, peer: peer, outgoing: true, status: 'ringing' });
    return state.call;
  });
}

/** Accepts (`true`) or declines the incoming call on screen. */
function answerCall(accept) {
  const call = state.call;
  const config = { extendedData: '' };
  const answer = accept ? state.zim.callAccept(call.callID, config) : state.zim.callReject(call.callID, config);
  return answer.then(function () {
    callIs(call.callID, accept ? 'accepted' : 'rejected');
  });
}

/** Cancels the outgoing call on screen. */
function cancelCall() {
  const call = state.call;
  return state.zim.callCancel([call.peer], call.callID, { extendedData: '' }).then(function () {
    callIs(call.callID, 'cancelled');
  });
}

function attachCallHandlers(zim) {
  zim.on('callInvitationReceived', function (_zim, data) {
    setCall({ callID: data.callID, peer: data.inviter, outgoing: false, status: 'ringing' });
  });
  zim.on('callInvitationCancelled', function (_zim, data) {
    callIs(data.callID, 'cancelled');
  });
  zim.on('callInvitationTimeout', function (_zim, data) {
    callIs(data.callID, 'timeout');
  });
  // The caller learns the answer from the invitee's new state.
  zim.on('callUserStateChanged', function (_zim, data) {
    const call = state.call;
    if (!call || !call.outgoing || call.callID !== data.callID) return;
    data.callUserList.forEach(function (user) {
      if (user.userID === call.peer && ANSWER[user.state]) callIs(call.callID, ANSWER[user.state]);
    });
  });
}

function attachHandlers(zim) {
  attachCallHandlers(zim);
  // 2.x callback style: (zim, data).
  zim.on('connectionStateChanged', function (_zim, data) {
    state.connectionState = data.state;
    emit('connection', data);
  });
  zim.on('tokenWillExpire', function () {
    fetchToken(state.serverUrl, state.user.userID)
      .then(function (res) {
        return zim.renewToken(res.token);
      })
      .catch(function (err) {
        emit('error', err);
      });
  });
  zim.on('peerMessageReceived', function (_zim, data) {
    emit('peerMessages', data);
  });
  zim.on('groupMessageReceived', function (_zim, data) {
    emit('groupMessages', data);
  });
  zim.on('conversationChanged', function (_zim, data) {
    data.infoList.forEach(function (info) {
      const c = info.conversation;
      const k = key(c.conversationID, c.type);
      if (info.event === 3) delete byID[k];
      else byID[k] = c;
      if (k === state.openChat && c.unreadMessageCount) markRead(c.conversationID, c.type);
    });
    refreshConversations();
  });
  zim.on('conversationTotalUnreadMessageCountUpdated', function (_zim, data) {
    state.totalUnread = data.totalUnreadMessageCount;
    emit('total', state.totalUnread);
  });
  // Read receipts of what this user sent, and messages the other side revoked.
  zim.on('messageReceiptChanged', function (_zim, data) {
    emit('receipts', { infos: data.infos, all: false });
  });
  zim.on('conversationMessageReceiptChanged', function (_zim, data) {
    emit('receipts', { infos: data.infos, all: true });
  });
  zim.on('messageRevokeReceived', function (_zim, data) {
    emit('revoked', data.messageList);
  });
  zim.on('roomMessageReceived', function (_zim, data) {
    emit('roomMessages', data);
  });
  zim.on('roomMemberJoined', function (_zim, data) {
    emit('roomMembers', data);
  });
  zim.on('roomMemberLeft', function (_zim, data) {
    emit('roomMembers', data);
  });
  zim.on('error', function (_zim, errorInfo) {
    emit('error', errorInfo);
  });
}

/** Logs in as `userID` against the tinyim server at `serverUrl` (ws:// or wss://.../ws). */
function login(userID, serverUrl) {
  return fetchToken(serverUrl, userID).then(function (res) {
    if (!state.zim) {
      ZIM.setAdvancedConfig('server', serverUrl);
      state.zim = ZIM.create(Number(res.appID)) || ZIM.getInstance();
      attachHandlers(state.zim);
    }
    state.serverUrl = serverUrl;
    state.user = { userID: userID, userName: userID };
    return state.zim
      .login({ userID: userID, userName: userID }, res.token)
      .then(function () {
        return state.zim.queryConversationList({ count: 100 });
      })
      .then(function (res) {
        res.conversationList.forEach(function (c) {
          byID[key(c.conversationID, c.type)] = c;
        });
        refreshConversations();
      });
  });
}

function logout() {
  if (state.zim) {
    state.zim.logout();
    state.zim.destroy();
  }
  state.zim = null;
  state.user = null;
  state.connectionState = 0;
  state.conversations = [];
  state.call = null;
  state.totalUnread = 0;
  Object.keys(byID).forEach(function (id) {
    delete byID[id];
  });
}

module.exports = {
  state: state,
  subscribe: subscribe,
  login: login,
  logout: logout,
  markRead: markRead,
  key: key,
  createGroup: createGroup,
  joinGroup: joinGroup,
  PEER: PEER,
  GROUP: GROUP,
  ring: ring,
  answerCall: answerCall,
  cancelCall: cancelCall,
};
