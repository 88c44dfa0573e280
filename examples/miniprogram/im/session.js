// The app's one IM session: owns the ZIM instance, keeps what pages show (connection state,
// conversations, room membership, the call that rings) and fans ZIM events out to whichever
// pages listen.
//
// Pages never talk to ZIM events directly: a page comes and goes, the session stays. Pages
// call `subscribe(listener)` in onLoad and the returned function in onUnload.

const { ZIM } = require('tinyim');

const STORAGE_KEY = 'tinyim-example-conversations';

const state = {
  zim: null,
  user: null, // { userID, userName }
  serverUrl: '',
  connectionState: 0, // ZIMConnectionState
  conversations: [], // [{ conversationID, lastMessage, unread }]
  // The call invitation on screen: { callID, peer, outgoing, status }, status one of
  // 'ringing', 'accepted', 'rejected', 'cancelled', 'timeout'.
  call: null,
  callTimeout: 30, // seconds an invitation rings before the server times it out
};
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

function loadConversations(userID) {
  const all = wx.getStorageSync(STORAGE_KEY) || {};
  return all[userID] || [];
}

function saveConversations() {
  const all = wx.getStorageSync(STORAGE_KEY) || {};
  all[state.user.userID] = state.conversations;
  wx.setStorageSync(STORAGE_KEY, all);
}

/** Moves a conversation to the top of the list with its newest message. */
function touchConversation(conversationID, message, incoming) {
  let conversation = state.conversations.find(function (c) {
    return c.conversationID === conversationID;
  });
  if (!conversation) {
    conversation = { conversationID: conversationID, lastMessage: '', unread: 0 };
  } else {
    state.conversations.splice(state.conversations.indexOf(conversation), 1);
  }
  if (message) conversation.lastMessage = message.message;
  if (incoming) conversation.unread += 1;
  state.conversations.unshift(conversation);
  saveConversations();
  emit('conversations', state.conversations);
}

function markRead(conversationID) {
  const conversation = state.conversations.find(function (c) {
    return c.conversationID === conversationID;
  });
  if (conversation && conversation.unread) {
    conversation.unread = 0;
    saveConversations();
    emit('conversations', state.conversations);
  }
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
    data.messageList.forEach(function (message) {
      touchConversation(data.fromConversationID, message, true);
    });
    emit('peerMessages', data);
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
    state.conversations = loadConversations(userID);
    return state.zim.login({ userID: userID, userName: userID }, res.token);
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
}

module.exports = {
  state: state,
  subscribe: subscribe,
  login: login,
  logout: logout,
  touchConversation: touchConversation,
  markRead: markRead,
  ring: ring,
  answerCall: answerCall,
  cancelCall: cancelCall,
};
