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

// Media files over fetch (browsers, Node >= 18). `file`: a Blob / File (browsers), a path
// (Node, read from disk) or bytes. fetch reports no upload progress: progress(0, size) when
// it starts and (size, size) once the server answered. Same interface and answers as
// transport/wx.js ({ statusCode, data } / { statusCode, tempFilePath }).
var isNode = typeof process === 'object' && process && process.versions && !!process.versions.node;
var nodeRequire = typeof require === 'function' ? require : null; // not a bundler's import

function blobOf(file) {
  if (typeof Blob !== 'undefined' && file instanceof Blob) return Promise.resolve(file);
  if (typeof file === 'string' && isNode) {
    return nodeRequire('fs').promises.readFile(file).then(function (b) {
      return new Blob([b]);
    });
  }
  if (file && typeof file === 'object' && (ArrayBuffer.isView(file) || file instanceof ArrayBuffer)) {
    return Promise.resolve(new Blob([file]));
  }
  return Promise.reject('fileLocalPath must be a File, a Blob, bytes or (in Node) a path');
}

function upload(req, progress) {
  return blobOf(req.file).then(function (blob) {
    var form = new FormData();
    form.append('file', blob, (typeof req.file === 'string' && req.file.split(/[\\/]/).pop()) || blob.name || 'file');
    progress(0, blob.size);
    return fetch(req.url, { method: 'POST', headers: { Authorization: 'Bearer ' + req.token }, body: form }).then(
      function (res) {
        return res.text().then(function (text) {
          if (res.ok) progress(blob.size, blob.size);
          return { statusCode: res.status, data: text };
        });
      },
      function (e) {
        throw String((e && e.message) || e);
      },
    );
  });
}

// The file as a local path: in Node a file in the OS's temp dir, in a browser a blob: URL.
function download(url, progress) {
  return fetch(url).then(
    function (res) {
      if (!res.ok) return { statusCode: res.status, tempFilePath: '' };
      return res.arrayBuffer().then(function (ab) {
        progress(ab.byteLength, ab.byteLength);
        if (!isNode) {
          var type = res.headers.get('content-type') || '';
          return { statusCode: 200, tempFilePath: URL.createObjectURL(new Blob([ab], { type: type })) };
        }
        var p = nodeRequire('path').join(nodeRequire('os').tmpdir(), 'tinyim-' + url.split('/').pop());
        return nodeRequire('fs').promises.writeFile(p, new Uint8Array(ab)).then(function () {
          return { statusCode: 200, tempFilePath: p };
        });
      });
    },
    function (e) {
      throw String((e && e.message) || e);
    },
  );
}

module.exports = { connect: connect, watch: watch, use: use, missing: missing, upload: upload, download: download };
