'use strict';
// A minimal WebSocket client for Node when there is neither a global WebSocket (Node < 22)
// nor the `ws` package: the client side of RFC 6455 with just what tinyim uses — binary and
// text messages, fragmentation, ping/pong, close. It mimics the browser API
// (onopen / onmessage({ data: ArrayBuffer }) / onclose({ code }) / onerror, send, close).
// Only lib/ (Node) ships it; the mini program and browser builds never load it.

var crypto = require('crypto');
var http = require('http');
var https = require('https');

var GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function NodeWebSocket(url) {
  var ws = this;
  this.url = url;
  this.readyState = 0; // CONNECTING, OPEN, CLOSING, CLOSED = 0..3
  this.binaryType = 'arraybuffer';
  this.onopen = this.onmessage = this.onclose = this.onerror = null;
  this._socket = null;
  this._closeCode = 0;
  this._fragments = null;
  var u = new URL(url);
  var secure = u.protocol === 'wss:' || u.protocol === 'https:';
  var key = crypto.randomBytes(16).toString('base64');
  this._req = (secure ? https : http).request({
    hostname: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port || (secure ? 443 : 80),
    path: u.pathname + u.search,
    headers: {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Key': key,
      'Sec-WebSocket-Version': '13',
    },
  });
  this._req.on('upgrade', function (res, socket, head) {
    var accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
    if (res.headers['sec-websocket-accept'] !== accept || ws.readyState !== 0) {
      socket.destroy();
      return ws._fail();
    }
    ws._socket = socket;
    ws.readyState = 1;
    socket.setNoDelay(true);
    var buf = Buffer.from(head || []);
    socket.on('data', function (d) {
      buf = ws._parse(Buffer.concat([buf, d]));
    });
    socket.on('close', function () {
      ws._closed(ws._closeCode || 1006);
    });
    socket.on('error', function () {
      // 'close' follows
    });
    if (ws.onopen) ws.onopen({});
    if (buf.length) buf = ws._parse(buf);
  });
  this._req.on('response', function (res) {
    res.resume(); // answered without upgrading
    ws._fail();
  });
  this._req.on('error', function () {
    ws._fail();
  });
  this._req.end();
}

// Consumes every complete frame at the front of `buf`; returns the rest.
NodeWebSocket.prototype._parse = function (buf) {
  for (;;) {
    if (buf.length < 2) return buf;
    var fin = (buf[0] & 0x80) !== 0;
    var op = buf[0] & 0x0f;
    var masked = (buf[1] & 0x80) !== 0;
    var len = buf[1] & 0x7f;
    var off = 2;
    if (len === 126) {
      if (buf.length < 4) return buf;
      len = buf.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (buf.length < 10) return buf;
      len = Number(buf.readBigUInt64BE(2));
      off = 10;
    }
    var mask = null;
    if (masked) {
      if (buf.length < off + 4) return buf;
      mask = buf.subarray(off, off + 4);
      off += 4;
    }
    if (buf.length < off + len) return buf;
    var payload = Buffer.from(buf.subarray(off, off + len));
    if (mask) for (var i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
    buf = buf.subarray(off + len);
    this._frame(fin, op, payload);
    if (this.readyState === 3) return Buffer.alloc(0);
  }
};

NodeWebSocket.prototype._frame = function (fin, op, payload) {
  if (op === 0 || op === 1 || op === 2) {
    if (op !== 0) this._fragments = { op: op, parts: [] };
    if (!this._fragments) return this._protocolError();
    this._fragments.parts.push(payload);
    if (!fin) return;
    var whole = Buffer.concat(this._fragments.parts);
    var textual = this._fragments.op === 1;
    this._fragments = null;
    if (this.readyState !== 1 || !this.onmessage) return;
    this.onmessage({
      data: textual ? whole.toString('utf8') : whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.length),
    });
  } else if (op === 8) {
    this._closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    if (this.readyState === 1) this._write(8, payload.subarray(0, 2));
    this.readyState = 2;
    this._socket.end();
  } else if (op === 9) {
    this._write(10, payload);
  }
};

NodeWebSocket.prototype._protocolError = function () {
  this._closeCode = 1002;
  if (this._socket) this._socket.destroy();
};

// Writes one masked frame (clients must mask).
NodeWebSocket.prototype._write = function (op, payload) {
  var len = payload.length;
  var head = len < 126 ? 2 : len < 65536 ? 4 : 10;
  var frame = Buffer.alloc(head + 4 + len);
  frame[0] = 0x80 | op;
  if (len < 126) {
    frame[1] = 0x80 | len;
  } else if (len < 65536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(len, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(len), 2);
  }
  var mask = crypto.randomBytes(4);
  mask.copy(frame, head);
  for (var i = 0; i < len; i++) frame[head + 4 + i] = payload[i] ^ mask[i & 3];
  this._socket.write(frame);
};

NodeWebSocket.prototype.send = function (data) {
  if (this.readyState !== 1) throw new Error('WebSocket is not open');
  if (typeof data === 'string') return this._write(1, Buffer.from(data, 'utf8'));
  var bytes = ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
  this._write(2, bytes);
};

NodeWebSocket.prototype.close = function (code) {
  if (this.readyState === 0) {
    this.readyState = 3;
    this._req.destroy();
    return;
  }
  if (this.readyState !== 1) return;
  var payload = Buffer.alloc(2);
  payload.writeUInt16BE(code || 1000, 0);
  this._write(8, payload);
  this.readyState = 2;
  var socket = this._socket;
  setTimeout(function () {
    socket.destroy(); // the server had a second to answer the close
  }, 1000).unref();
};

NodeWebSocket.prototype._fail = function () {
  if (this.readyState === 3) return;
  if (this.onerror) this.onerror({});
  this._closed(1006);
};

NodeWebSocket.prototype._closed = function (code) {
  if (this.readyState === 3) return;
  this.readyState = 3;
  if (this.onclose) this.onclose({ code: code });
};

module.exports = NodeWebSocket;
