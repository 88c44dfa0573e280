'use strict';
// Transport for WeChat mini programs: wx.connectSocket (a SocketTask per connection).
//
// connect(url, on) opens a socket and reports on.open(), on.message(Uint8Array) and, once,
// on.close(code); it returns { send(Uint8Array), close() }. close() reports nothing.

function toArrayBuffer(u8) {
  if (u8.byteOffset === 0 && u8.byteLength === u8.buffer.byteLength) return u8.buffer;
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
}

function connect(url, on) {
  var done = false;
  function closed(code) {
    if (done) return;
    done = true;
    on.close(code || 1006);
  }
  var task = wx.connectSocket({
    url: url,
    fail: function () {
      closed(1006);
    },
  });
  task.onOpen(function () {
    // close() before the socket opened can fail on a phone ("closeSocket:fail WebSocket is
    // not connected") and the socket then opens anyway: close it now, or it stays open and
    // holds one of the mini program's 5 socket slots.
    if (done) task.close({ code: 1000 });
    else on.open();
  });
  task.onMessage(function (res) {
    // Text frames are not part of the protocol: drop them.
    if (!done && typeof res.data !== 'string') on.message(new Uint8Array(res.data));
  });
  task.onClose(function (res) {
    closed(res && res.code);
  });
  task.onError(function () {
    closed(1006);
  });
  return {
    send: function (u8) {
      task.send({
        data: toArrayBuffer(u8),
        // A send that fails (`fail interrupted` after the phone suspended the app) means the
        // socket is gone, whether or not its close has been reported yet.
        fail: function () {
          if (done) return;
          closed(1006);
          task.close({ code: 1000 });
        },
      });
    },
    close: function () {
      done = true;
      task.close({ code: 1000 });
    },
  };
}

// Tells the core about the app's lifecycle: cb('online') when the network comes back,
// cb('hidden') / cb('shown') when the app goes to the background / returns (a phone suspends
// a hidden mini program about 5 s later: timers stop, sockets are interrupted).
function watch(cb) {
  if (typeof wx.onNetworkStatusChange === 'function') {
    wx.onNetworkStatusChange(function (res) {
      if (res && res.isConnected) cb('online');
    });
  }
  if (typeof wx.onAppHide === 'function') {
    wx.onAppHide(function () {
      cb('hidden');
    });
  }
  if (typeof wx.onAppShow === 'function') {
    wx.onAppShow(function () {
      cb('shown');
    });
  }
}

// The core's local message store, kept in wx storage as ZIM keeps its database (in memory
// only if storage fails).
function load(key) {
  try {
    return wx.getStorageSync(key) || '';
  } catch (e) {
    return '';
  }
}

function save(key, value) {
  try {
    wx.setStorageSync(key, value);
  } catch (e) {}
}

// Media files: wx.uploadFile of a local file path (one multipart part, "file") and
// wx.downloadFile to a temporary path, with progress(current, total) as the task reports it.
// Both resolve with the platform's answer ({ statusCode, data } / { statusCode,
// tempFilePath }) whatever the HTTP status, and reject with the errMsg of a failure.
function transfer(api, opts, progress) {
  return new Promise(function (resolve, reject) {
    opts.success = resolve;
    opts.fail = function (res) {
      reject((res && res.errMsg) || api + ':fail');
    };
    var task = wx[api](opts);
    if (task && task.onProgressUpdate) {
      task.onProgressUpdate(function (p) {
        progress(p.totalBytesSent || p.totalBytesWritten || 0, p.totalBytesExpectedToSend || p.totalBytesExpectedToWrite || 0);
      });
    }
  });
}

function upload(req, progress) {
  var header = { Authorization: 'Bearer ' + req.token };
  return transfer('uploadFile', { url: req.url, filePath: req.file, name: 'file', header: header }, progress);
}

function download(url, progress) {
  return transfer('downloadFile', { url: url }, progress);
}

module.exports = { connect: connect, watch: watch, load: load, save: save, upload: upload, download: download };
