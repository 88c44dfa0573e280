'use strict';
// The ZIM facade: ZIM's JavaScript API over the tinyim core (Rust, compiled to wasm).
//
// The facade validates nothing and decides nothing: every call goes to the core, which checks
// it, talks to the server and answers. The facade's jobs are the ones only JS can do:
//   - drive the core: it owns the socket and ONE timer; after anything happens it feeds the
//     core (an API call, socket open / bytes / close, the timer) and then carries out what
//     the core asks (open, send, close, settle a Promise, emit an event) and re-arms the timer;
//   - shape values as ZIM does (message objects, { code, message } errors, both event styles).
// docs/bindings.md explains the design.

var enums = require('./enums');
var events = require('./events');
var Listeners = events.Listeners;
var utf8 = require('./utf8');

// The ZIM areas beyond sessions, messages and rooms: each file declares its methods, how its
// server notices become ZIM events (see rpc.js), and the 1.x positional forms of its events.
var AREAS = [
  require('./areas/users'),
  require('./areas/conversations'),
  require('./areas/messages'),
  require('./areas/groups'),
  require('./areas/rooms'),
  require('./areas/calls'),
  require('./areas/friends'),
  require('./areas/blacklist'),
  require('./areas/media'),
];

var VERSION = '0.1.0';

// Set before create(): server (WebSocket URL), wasm_path, callback_style ('1.x' / '2.x'),
// websocket (a WebSocket class for Node without a global one).
var config = { server: '', wasm_path: '', callback_style: '' };
var platform = null; // { transport, loader }, chosen by the entry file
var instance = null;
var glueReady = null; // Promise of the wasm glue module, once per JS context

var NOT_INIT = 6000002;
var PARAMS_INVALID = 6000001;
var NETWORK_ERROR = 6000101; // NetworkModuleCommonError: no way to open a connection here
var ALREADY_LOGGED_IN = 6000111;

function zimError(code, message) {
  return { code: code, message: message };
}

// Every string argument crosses into Rust as a string; the core rejects bad values.
// Neither throws (a Symbol or a null-prototype object cannot convert): a method that returns a
// Promise must reject, not throw; the core then rejects the value it gets.
function str(v) {
  try {
    return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
  } catch (e) {
    return '';
  }
}

function num(v, dflt) {
  try {
    v = Number(v);
  } catch (e) {
    return dflt;
  }
  return isFinite(v) && v >= 0 ? v : dflt;
}

function loadGlue() {
  if (!glueReady) {
    glueReady = Promise.resolve().then(function () {
      var glue = require('./tinyim');
      return platform.loader.load(glue.__tinyim_imports(), config.wasm_path).then(function (res) {
        glue.__tinyim_init(res.instance || res);
        return glue;
      });
    });
    glueReady.catch(function () {
      glueReady = null; // a later create() tries again
    });
  }
  return glueReady;
}

// ---- value shapes ---------------------------------------------------------------------------

// A message's payload as bytes: text as UTF-8; a command's bytes as a Uint8Array, an
// ArrayBuffer, any typed array view or an array of byte values (from any realm).
function bytesOf(v) {
  if (v instanceof Uint8Array) return v;
  if (v && typeof v === 'object') {
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    if (Object.prototype.toString.call(v) === '[object ArrayBuffer]') return new Uint8Array(v);
    if (Array.isArray(v)) return new Uint8Array(v);
  }
  return utf8.encode(str(v));
}

function toMembers(list) {
  return list.map(function (u) {
    return { userID: u[0], userName: u[1] };
  });
}

// ---- the instance ---------------------------------------------------------------------------

function ZIM(appID, server) {
  var that = this;
  this._listeners = new Listeners();
  this._core = null;
  this._queue = []; // calls made before the wasm finished loading
  this._pending = {}; // op id -> { resolve, reject, shape }
  this._socket = null;
  this._timer = null;
  this._due = -1;
  this._userID = '';
  this._appID = appID;
  this._destroyed = false;
  this._pumping = false;
  this._again = false;
  this._failure = null;
  loadGlue().then(
    function (glue) {
      if (that._destroyed) return;
      var missing = platform.transport.missing && platform.transport.missing();
      if (missing) return that._unusable(zimError(NETWORK_ERROR, missing));
      that._core = new glue.Core(appID, server, Math.floor(Math.random() * 9007199254740991));
      that._flush();
    },
    function (e) {
      if (that._destroyed) return; // destroy() already rejected the queued calls
      that._unusable(zimError(NOT_INIT, 'tinyim: the wasm core failed to load: ' + ((e && e.message) || e)));
    },
  );
}

// The instance cannot run here (no wasm, no WebSocket): every call fails with `failure`, and
// an `error` event says why.
ZIM.prototype._unusable = function (failure) {
  this._failure = failure;
  this._flush();
  this._emit('error', failure);
};

ZIM.prototype._flush = function () {
  var queue = this._queue;
  this._queue = null;
  for (var i = 0; i < queue.length; i++) queue[i]();
};

// Starts an API call: `start(core, now)` returns the op id, `shape(reply)` turns the core's
// reply array into what the Promise resolves to; `failed(code, message)`, if given, runs as
// the core refuses the call (before any later output is carried out).
ZIM.prototype._call = function (start, shape, failed) {
  var that = this;
  return new Promise(function (resolve, reject) {
    function run() {
      if (that._destroyed || !that._core) {
        reject(that._failure || zimError(NOT_INIT, 'tinyim: the instance is destroyed; call ZIM.create'));
        return;
      }
      var op;
      try {
        op = start(that._core, Date.now());
      } catch (e) {
        reject(zimError(PARAMS_INVALID, 'tinyim: ' + ((e && e.message) || e)));
        return;
      }
      that._pending[op] = { resolve: resolve, reject: reject, shape: shape, failed: failed };
      that._pump();
    }
    if (that._queue) that._queue.push(run);
    else run();
  });
};

// Calls ZIM method `name` (one of the protocol's methods, see rpc.js) with `args`, an object
// of its request fields by ZIM name; resolves to the method's result object.
ZIM.prototype._rpc = function (name, args) {
  return this._call(
    function (core, now) {
      return core.call(now, name, args);
    },
    function (r) {
      return r[1];
    },
  );
};

// Feeds one socket or timer happening to the core, then carries out what it asks.
ZIM.prototype._input = function (method, arg) {
  if (!this._core) return;
  try {
    this._core[method](Date.now(), arg);
  } catch (e) {
    return this._crash(e);
  }
  this._pump();
};

// The core trapped (a bug: it never panics on input by design). Nothing more can run on this
// instance: fail everything pending, say why, and let the app create a new one.
ZIM.prototype._crash = function (e) {
  var failure = zimError(NOT_INIT, 'tinyim: the core failed: ' + ((e && e.message) || e));
  this._core = null; // do not touch the trapped instance again
  this._failure = failure;
  this._destroyed = true;
  clearTimeout(this._timer);
  this._disconnect();
  var pending = this._pending;
  this._pending = {};
  for (var op in pending) pending[op].reject(failure);
  if (instance === this) instance = null;
  this._emit('error', failure);
};

// Drains the core's outputs. Re-entrant calls (an event callback calling renewToken, say)
// only ask the running loop to drain again, so outputs are carried out in order.
ZIM.prototype._pump = function () {
  if (this._pumping) {
    this._again = true;
    return;
  }
  this._pumping = true;
  try {
    do {
      this._again = false;
      var outputs = this._core.drain();
      for (var i = 0; i < outputs.length && this._core; i++) this._do(outputs[i]);
    } while (this._again && this._core);
  } catch (e) {
    this._pumping = false;
    return this._crash(e);
  }
  this._pumping = false;
  this._arm();
};

ZIM.prototype._arm = function () {
  if (!this._core) return;
  var due = this._core.timeout();
  if (due === this._due && this._timer) return;
  clearTimeout(this._timer);
  this._timer = null;
  this._due = due;
  if (due < 0) return;
  var that = this;
  var delay = Math.min(Math.max(0, due - Date.now()), 0x7fffffff);
  this._timer = setTimeout(function () {
    that._timer = null;
    that._due = -1;
    that._input('tick');
  }, delay);
};

ZIM.prototype._do = function (out) {
  switch (out[0]) {
    case 0:
      return this._connect(out[1]);
    case 1:
      try {
        if (this._socket) this._socket.send(out[1]);
      } catch (e) {
        // The socket is going away; its close event tells the core.
      }
      return;
    case 2:
      return this._disconnect();
    case 3:
      return this._settle(out);
    case 4:
      return this._event(out);
    case 5: // the core's local message store, kept where the platform keeps data
      if (platform.transport.save) platform.transport.save(this._storeKey(), out[1]);
  }
};

ZIM.prototype._storeKey = function () {
  return 'tinyim-local-' + this._appID + '-' + this._userID;
};

ZIM.prototype._connect = function (url) {
  this._disconnect();
  this._wsUrl = url;
  var that = this;
  var socket = null;
  var on = {
    open: function () {
      if (that._socket === socket) that._input('opened');
    },
    message: function (bytes) {
      if (that._socket === socket) that._input('received', bytes);
    },
    close: function (code) {
      if (that._socket !== socket) return;
      that._socket = null;
      that._input('closed', code);
    },
  };
  try {
    socket = platform.transport.connect(url, on);
    this._socket = socket;
  } catch (e) {
    // A URL the platform refuses outright: report it as a failed open, after this pump.
    setTimeout(function () {
      if (that._core && !that._socket) that._input('closed', 1006);
    }, 0);
  }
};

ZIM.prototype._disconnect = function () {
  var socket = this._socket;
  this._socket = null;
  if (socket) socket.close();
};

// out = [3, op, 0, replyKind, ...] or [3, op, code, message]
ZIM.prototype._settle = function (out) {
  var p = this._pending[out[1]];
  if (!p) return;
  delete this._pending[out[1]];
  if (out[2]) {
    if (p.failed) p.failed(out[2], out[3]);
    p.reject(zimError(out[2], out[3]));
  } else p.resolve(p.shape ? p.shape(out.slice(3)) : undefined);
};

// out = [4, eventKind, ...]
ZIM.prototype._event = function (out) {
  switch (out[1]) {
    case 0:
      return this._emit('connectionStateChanged', { state: out[2], event: out[3], extendedData: '' });
    case 1:
      return this._emit('tokenWillExpire', { second: out[2] });
    case 2: {
      var peerList = out[3];
      this._emit('receivePeerMessage', { messageList: peerList, fromConversationID: out[2] });
      return this._emit('peerMessageReceived', {
        messageList: peerList,
        fromConversationID: out[2],
        info: { isOfflineMessage: out[4] },
      });
    }
    case 3: {
      var roomList = out[3];
      this._emit('receiveRoomMessage', { messageList: roomList, fromConversationID: out[2] });
      return this._emit('roomMessageReceived', {
        messageList: roomList,
        fromConversationID: out[2],
        info: { isOfflineMessage: false },
      });
    }
    case 9: {
      var groupList = out[3];
      this._emit('receiveGroupMessage', { messageList: groupList, fromConversationID: out[2] });
      return this._emit('groupMessageReceived', {
        messageList: groupList,
        fromConversationID: out[2],
        info: { isOfflineMessage: out[4] },
      });
    }
    case 4:
      return this._emit('roomStateChanged', { roomID: out[2], state: out[3], event: out[4], extendedData: '' });
    case 5:
      return this._emit('roomMemberJoined', { roomID: out[2], memberList: toMembers(out[3]) });
    case 6:
      return this._emit('roomMemberLeft', { roomID: out[2], memberList: toMembers(out[3]) });
    case 7:
      return this._emit('error', { code: out[2], message: out[3] });
    case 8: {
      // A server notice: its area says which ZIM event(s) it is; by default the event of
      // the same name, with the notice's data.
      var notice = NOTICES[out[2]];
      if (notice) return notice(this, out[3]);
      if (out[2]) return this._emit(out[2], out[3]);
    }
  }
};

ZIM.prototype._emit = function (event, data) {
  this._listeners.emit(this, event, data, config.callback_style);
};

// ---- reply shapes ---------------------------------------------------------------------------

function roomInfo(r) {
  return { roomInfo: { baseInfo: { roomID: r[1], roomName: r[2] } } };
}

// ---- the public API (ZIM-API.md §3) ---------------------------------------------------------

// on(event, callback[, { style: '1.x' | '2.x' }]): see events.js for the style rule.
ZIM.prototype.on = function (event, callback, options) {
  this._listeners.add(event, callback, options);
};

ZIM.prototype.off = function (event, callback) {
  this._listeners.remove(event, callback);
};

// ZIM apps often tune logging and caching at start-up; tinyim has neither to tune, and these
// accept the call so such code runs unchanged.
ZIM.prototype.setLogConfig = function () {};
ZIM.prototype.setCacheConfig = function () {};

// tinyim writes no log files (it logs to the console only), so logs stay on the device and
// there is nothing to upload: resolves at once.
ZIM.prototype.uploadLog = function () {
  return Promise.resolve();
};

// ZIM's experimental methods are ZEGO's own; to tinyim every one is unknown, and ZIM answers an
// unknown one by rejecting with 6000001.
ZIM.prototype.callExperimentalAPI = function () {
  return Promise.reject(zimError(PARAMS_INVALID, 'tinyim: callExperimentalAPI: api is not supported.'));
};

// login({ userID, userName }, token)  (1.x)   or   login(userID, { userName, token })  (2.x)
ZIM.prototype.login = function (user, tokenOrConfig) {
  var userID, userName, token;
  var c = {};
  if (user !== null && typeof user === 'object') {
    userID = user.userID;
    userName = user.userName;
    token = tokenOrConfig;
  } else {
    c = tokenOrConfig || {};
    userID = user;
    userName = c.userName;
    token = c.token;
  }
  var that = this;
  var previous = this._userID;
  this._userID = str(userID);
  this._token = str(token);
  var done = this._call(
    function (core, now) {
      var load = platform.transport.load;
      return core.login(now, str(userID), str(userName), str(token), (load && load(that._storeKey())) || '');
    },
    null,
    function (code) {
      // Refused because a session is on (or starting): "me" is still its user.
      if (code === ALREADY_LOGGED_IN && that._userID === str(userID)) that._userID = previous;
    },
  );
  // 2.x's customStatus is set right after the login (the login itself does not carry it);
  // the login resolves once that is answered, whatever the answer.
  if (!c.customStatus) return done;
  return done.then(function () {
    var after = function () {};
    return that.updateUserCustomStatus(c.customStatus, { duration: c.customStatusDuration }).then(after, after);
  });
};

// ZIM's logout returns nothing; the result (if any) is ignored.
ZIM.prototype.logout = function () {
  this._call(function (core, now) {
    return core.logout(now);
  }).catch(function () {});
};

ZIM.prototype.destroy = function () {
  if (this._destroyed) return;
  this._destroyed = true;
  clearTimeout(this._timer);
  this._timer = null;
  this._disconnect();
  var pending = this._pending;
  this._pending = {};
  for (var op in pending) pending[op].reject(zimError(NOT_INIT, 'tinyim: the instance was destroyed'));
  if (this._core) {
    var core = this._core;
    this._core = null;
    if (!this._pumping) core.free();
  }
  if (this._queue) this._flush();
  if (instance === this) instance = null;
};

ZIM.prototype.renewToken = function (token) {
  var that = this;
  return this._call(
    function (core, now) {
      return core.renewToken(now, str(token));
    },
    function () {
      that._token = str(token); // the one the file endpoint checks from now on
      return { token: token };
    },
  );
};

// sendMessage(message, toConversationID, conversationType, config, notification?). As in
// ZIM, one message object goes through the send: onMessageAttached gets it (Sending, with
// its localMessageID), then it becomes the stored message or Failed, each change a
// messageSentStatusChanged.
ZIM.prototype.sendMessage = function (message, toConversationID, conversationType, sendConfig, notification) {
  var m = message || {};
  var c = sendConfig || {};
  var that = this;
  var type = m.type === undefined ? 1 : m.type;
  var priority = c.priority || m.priority || 1;
  var payload = bytesOf(m.message);
  var to = str(toConversationID);
  // A media message (11-14, from sendMediaMessage) carries its fields, not a payload.
  var media = num(type, 0) >= 11 && num(type, 0) <= 14;
  if (media) payload = null;
  var sent = { type: type, message: m.message, messageID: '0', conversationID: to, conversationType: conversationType };
  for (var f in m) if (media && !(f in sent)) sent[f] = m[f];
  sent.senderUserID = this._userID;
  sent.direction = sent.sentStatus = 0;
  sent.timestamp = Date.now();
  sent.priority = priority;
  sent.receiptStatus = c.hasReceipt ? 1 : 0;
  sent.isUserInserted = false;
  sent.extendedData = str(m.extendedData);
  function status(s, reason) {
    sent.sentStatus = s;
    that._emit('messageSentStatusChanged', { infos: [{ status: s, message: sent, reason: reason }] });
  }
  return this._call(
    function (core, now) {
      var r = core.send(now, num(conversationType, 255), to, num(type, 255), num(priority, 255), payload || sent,
        sent.extendedData, !!c.hasReceipt, num(m.subType, 0), str(m.searchedContent));
      sent.localMessageID = r[1];
      var attached = notification && notification.onMessageAttached;
      try {
        if (typeof attached === 'function') attached(sent);
      } catch (e) {
        console.error('tinyim: onMessageAttached threw', e);
      }
      return r[0];
    },
    function (r) {
      for (var k in r[1]) sent[k] = r[1][k];
      status(1, '');
      return { message: sent };
    },
    function (code, reason) {
      status(2, reason);
    },
  );
};

// The 1.x names, with the message's own priority.
ZIM.prototype.sendPeerMessage = function (message, toUserID, sendConfig) {
  return this.sendMessage(message, toUserID, 0, sendConfig);
};

ZIM.prototype.sendRoomMessage = function (message, toRoomID, sendConfig) {
  return this.sendMessage(message, toRoomID, 1, sendConfig);
};

ZIM.prototype.sendGroupMessage = function (message, toGroupID, sendConfig) {
  return this.sendMessage(message, toGroupID, 2, sendConfig);
};

function roomCall(kind, roomID, roomName) {
  return function (core, now) {
    return core.room(now, kind, str(roomID), str(roomName));
  };
}

// createRoom / enterRoom (with ZIM's advanced config) are methods: areas/rooms.js.
ZIM.prototype.joinRoom = function (roomID) {
  return this._call(roomCall(1, roomID, ''), roomInfo);
};

ZIM.prototype.leaveRoom = function (roomID) {
  return this._call(roomCall(3, roomID, ''), function (r) {
    return { roomID: r[1] };
  });
};

ZIM.prototype.queryRoomOnlineMemberCount = function (roomID) {
  return this._call(roomCall(4, roomID, ''), function (r) {
    return { roomID: r[1], count: r[2] };
  });
};

// queryRoomMemberList(roomID, { nextFlag, count })
ZIM.prototype.queryRoomMemberList = function (roomID, queryConfig) {
  var c = queryConfig || {};
  return this._call(
    function (core, now) {
      return core.members(now, str(roomID), str(c.nextFlag), num(c.count, 0));
    },
    function (r) {
      return { roomID: r[1], memberList: toMembers(r[2]), nextFlag: r[3] };
    },
  );
};

// queryHistoryMessage(conversationID, conversationType, { nextMessage?, count, reverse })
ZIM.prototype.queryHistoryMessage = function (conversationID, conversationType, queryConfig) {
  var c = queryConfig || {};
  var anchor = c.nextMessage ? num(c.nextMessage.orderKey, 0) : 0;
  return this._call(
    function (core, now) {
      return core.history(now, num(conversationType, 255), str(conversationID), anchor, num(c.count, 0), !!c.reverse);
    },
    function (r) {
      return { conversationID: r[2], conversationType: r[1], messageList: r[3] };
    },
  );
};

// Second-tier ZIM methods tinyim does not have yet reject with 6000013 (unsupported request)
// instead of throwing a TypeError, so ZIM code that calls them at start-up keeps running.
[
  // Reactions, replies, combined messages, pins and search (issue 13).
  'addMessageReaction',
  'deleteMessageReaction',
  'deleteMessageAllReactions',
  'queryMessageReactionUserList',
  'replyMessage',
  'queryMessageRepliedList',
  'queryCombineMessageDetail',
  'pinMessage',
  'queryPinnedMessageList',
  'searchLocalConversations',
  'searchLocalMessages',
  'searchGlobalLocalMessages',
  'searchLocalGroups',
  'searchLocalGroupMembers',
  'searchLocalFriends',
].forEach(function (name) {
  ZIM.prototype[name] = function () {
    return Promise.reject(zimError(6000013, 'tinyim: ' + name + ' is not supported yet'));
  };
});

// Media files (areas/media.js) go over HTTP to the server the core connects to: ws://host/ws
// means http://host/files. `file` is what the platform uploads (a local path, a Blob);
// progress(current, total). Both resolve with the platform's answer (transport/wx.js) and
// reject with its reason when no HTTP answer came.
ZIM.prototype._transfer = function (kind, file, progress) {
  var origin = /^wss?:\/\/[^\/?#]+/.exec(this._wsUrl || '');
  if (!origin || !this._core) return Promise.reject('not logged in');
  if (!kind) return platform.transport.download(file, progress);
  var base = origin[0].replace(/^ws/, 'http');
  var url = base + '/files?appID=' + this._appID + '&userID=' + encodeURIComponent(this._userID) + '&type=' + kind;
  return platform.transport.upload({ url: url, token: this._token, file: file }, progress).then(function (res) {
    res.base = base;
    return res;
  });
};

var NOTICES = {};
AREAS.forEach(function (area) {
  for (var name in area.methods) ZIM.prototype[name] = area.methods[name];
  for (var n in area.notices) NOTICES[n] = area.notices[n];
  for (var e in area.positional) events.POSITIONAL[e] = area.positional[e];
});

// ---- statics --------------------------------------------------------------------------------

// ZIM.create(appID) or ZIM.create({ appID, server? }). A second create without destroy
// returns null, as ZIM's does.
ZIM.create = function (app) {
  if (instance) return null;
  var appID = app !== null && typeof app === 'object' ? app.appID : app;
  var server = (app && typeof app === 'object' && app.server) || config.server;
  instance = new ZIM(num(appID, 0) >>> 0, str(server));
  return instance;
};

ZIM.getInstance = function () {
  return instance;
};

ZIM.getVersion = function () {
  return VERSION;
};

// There is no geofencing to configure (the app runs its own server), so it is never applied:
// false, as ZIM answers a configuration it does not take.
ZIM.setGeofencingConfig = function () {
  return false;
};

// ZIM 2.2x kept its enums on the class (ZIM.MessageType, ZIM.CallUserState ...): the same
// objects are there too. 2.2x's MessageRevokeStatus spelled one member ServiceAPIRevoke.
for (var enumName in enums) if (enumName !== 'ZIMErrorCode') ZIM[enumName.slice(3)] = enums[enumName];
ZIM.MessageRevokeStatus = Object.assign({ ServiceAPIRevoke: 2 }, enums.ZIMMessageRevokeStatus);

// Keys: 'server' (WebSocket URL of the tinyim server), 'wasm_path' (mini program: path of the
// .wasm.br in the code package; browsers/Node: URL, path or bytes), 'callback_style'
// ('1.x' or '2.x' for every callback, see events.js), 'websocket' (a WebSocket class).
ZIM.setAdvancedConfig = function (key, value) {
  if (key === 'websocket' && platform.transport.use) platform.transport.use(value);
  else config[key] = value;
};

// The entry file picks the platform: index.js (browsers, Node, mini program frameworks) or
// miniprogram.js (the mini program package folder).
function withPlatform(p) {
  platform = p;
  if (p.transport.watch) {
    // 'online', 'hidden' or 'shown': the Core method of that input.
    p.transport.watch(function (input) {
      if (instance && instance._core) instance._input(input);
    });
  }
  var api = { ZIM: ZIM, default: ZIM };
  for (var name in enums) api[name] = enums[name];
  return api;
}

module.exports = { withPlatform: withPlatform };
