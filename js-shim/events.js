'use strict';
// Event listeners in both of ZIM's callback styles.
//
// ZIM 1.x passes positional arguments:   on('receivePeerMessage', function (zim, messageList, fromUserID) {})
// ZIM 2.x passes one data object:        on('receivePeerMessage', function (zim, { messageList, fromConversationID }) {})
//
// The same event name carries different shapes, so each callback gets a style:
//   1. on(event, cb, { style: '1.x' | '2.x' }) names it for that callback;
//   2. else ZIM.setAdvancedConfig('callback_style', '1.x' | '2.x') names it for every callback;
//   3. else the callback's declared parameter count (fn.length) decides: three or more
//      parameters is the 1.x style (no 2.x callback takes more than (zim, data));
//   4. a callback declaring two or fewer (e.g. 1.x's (zim, second) for tokenWillExpire, or a
//      rest-parameter (...args)) follows its instance: 1.x if any callback registered on the
//      instance declares three or more parameters, else 2.x.
// 'error' has the same shape in both styles; 2.x-only events (peerMessageReceived,
// roomMessageReceived) always get the data object.

// For each event that has a 1.x form: the 1.x positional arguments after `zim`, from the
// 2.x data object. The areas (js-shim/areas/*.js) add theirs (`positional`, see zim.js).
var POSITIONAL = {
  connectionStateChanged: function (d) {
    return [d.state, d.event, d.extendedData];
  },
  roomStateChanged: function (d) {
    return [d.state, d.event, d.extendedData, d.roomID];
  },
  roomMemberJoined: function (d) {
    return [d.memberList, d.roomID];
  },
  roomMemberLeft: function (d) {
    return [d.memberList, d.roomID];
  },
  receivePeerMessage: function (d) {
    return [d.messageList, d.fromConversationID];
  },
  receiveRoomMessage: function (d) {
    return [d.messageList, d.fromConversationID];
  },
  receiveGroupMessage: function (d) {
    return [d.messageList, d.fromConversationID];
  },
  tokenWillExpire: function (d) {
    return [d.second];
  },
};

function Listeners() {
  this.map = {};
}

Listeners.prototype.add = function (event, cb, options) {
  if (typeof cb !== 'function') return;
  var style = options && options.style;
  (this.map[event] = this.map[event] || []).push({ cb: cb, style: style });
};

// off(event) removes every callback of the event; off(event, cb) only that one.
Listeners.prototype.remove = function (event, cb) {
  if (!cb) {
    delete this.map[event];
    return;
  }
  var list = this.map[event] || [];
  this.map[event] = list.filter(function (l) {
    return l.cb !== cb;
  });
};

// Rule 4: does any registered callback declare 1.x arity?
Listeners.prototype.instanceIs1x = function () {
  for (var event in this.map) {
    var list = this.map[event];
    for (var i = 0; i < list.length; i++) {
      if (POSITIONAL[event] && list[i].cb.length >= 3) return true;
    }
  }
  return false;
};

// Calls every callback of `event` with `zim` and `data` in the callback's style.
// `globalStyle` is the callback_style advanced config ('' when unset).
Listeners.prototype.emit = function (zim, event, data, globalStyle) {
  var list = this.map[event];
  if (!list || !list.length) return;
  list = list.slice();
  var toArgs = POSITIONAL[event];
  var instance1x;
  for (var i = 0; i < list.length; i++) {
    var l = list[i];
    var style = l.style || globalStyle;
    if (!style) {
      if (l.cb.length >= 3) style = '1.x';
      else {
        if (instance1x === undefined) instance1x = this.instanceIs1x();
        style = instance1x ? '1.x' : '2.x';
      }
    }
    var args = style === '1.x' && toArgs ? toArgs(data) : [data];
    try {
      l.cb.apply(null, [zim].concat(args));
    } catch (e) {
      console.error('tinyim: a ' + event + ' callback threw', e);
    }
  }
};

module.exports = { Listeners: Listeners, POSITIONAL: POSITIONAL };
