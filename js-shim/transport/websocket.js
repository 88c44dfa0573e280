'use strict';
// Transport for browsers and Node: a constructor given with
// ZIM.setAdvancedConfig('websocket', WebSocketClass), else the global WebSocket (browsers,
// Node >= 22), else the `ws` package (tinyim's optional peer dependency) if installed.
// tinyim carries no WebSocket client of its own: that is security-relevant code, which the
// platform or a well-kept library provides. Same interface as transport/wx.js.

var Custom = null;

function use(ctor) {
  Custom = ctor;
}

function WebSocketClass() {
  if (Custom) return Custom;
  if (typeof WebSocket !== 'undefined') return WebSocket;
  try {
    return require('ws');
  } catch (e) {
    return null;
  }
}

// Why this platform cannot connect, or '' when it can (zim.js fails every call with it).
function missing() {
  if (WebSocketClass()) return '';
  return (
    'tinyim: no WebSocket client: Node has a global WebSocket from version 22; on older Node ' +
    "install the ws package (npm install ws), or give a WebSocket class with ZIM.setAdvancedConfig('websocket', WebSocket)"
  );
}

function connect(url, on) {
  var done = false;
  function closed(code) {
    if (done) return;
    done = true;
    on.close(code || 1006);
  }
  var Ctor = WebSocketClass();
  var ws = new Ctor(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = function () {
    if (!done) on.open();
  };
  ws.onmessage = function (ev) {
    if (!done && typeof ev.data !== 'string') on.message(new Uint8Array(ev.data));
  };
  ws.onclose = function (ev) {
    closed(ev && ev.code);
  };
  ws.onerror = function () {
    closed(1006);
    try {
      ws.close();
    } catch (e) {
      // already closing
    }
  };
  return {
    send: function (u8) {
      if (ws.readyState === 1) ws.send(u8);
    },
    close: function () {
      done = true;
      try {
        ws.close(1000);
      } catch (e) {
        // never opened
      }
    },
  };
}

// Browsers: cb('online') when the network comes back (see transport/wx.js).
function watch(cb) {
  if (typeof addEventListener === 'function') {
    addEventListener('online', function () {
      cb('online');
    });
  }
}

module.exports = { connect: connect, watch: watch, use: use, missing: missing };
