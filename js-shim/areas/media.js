'use strict';
// Media messages (docs/areas/media.md): image 11, file 12, audio 13, video 14.
//
// sendMediaMessage uploads the local file to the server's file endpoint (the platform's
// transport does the I/O: wx.uploadFile on a phone, fetch elsewhere), then sends the message
// with the file's URL and UID through sendMessage, so order, resend and dedup are the
// ordinary send's. downloadMediaFile fetches one of the message's files to a local path.

function fail(code, message) {
  return { code: code, message: 'tinyim: ' + message };
}

// The app's progress callback as the transport calls it; an exception there must not break
// the transfer.
function reporter(cb, message) {
  return function (current, total) {
    try {
      if (typeof cb === 'function') cb(message, current, total);
    } catch (e) {
      console.error('tinyim: a media progress callback threw', e);
    }
  };
}

// sendMediaMessage(message, toConversationID, conversationType, config, notification?)
function sendMediaMessage(message, toConversationID, conversationType, config, notification) {
  var m = message || {};
  var that = this;
  var send = function () {
    return that.sendMessage(m, toConversationID, conversationType, config, notification);
  };
  var path = m.fileLocalPath;
  if (!(typeof m.type === 'number' && m.type >= 11 && m.type <= 14)) return Promise.reject(fail(6000001, 'type must be 11-14'));
  // A file the app keeps elsewhere travels by its URL, as in ZIM.
  if (m.fileDownloadUrl) return send();
  if (!path) return Promise.reject(fail(6000001, 'fileLocalPath or fileDownloadUrl required'));
  return this._transfer(m.type, path, reporter(notification && notification.onMediaUploadingProgress, m)).then(
    function (res) {
      var r = {};
      try {
        r = JSON.parse(res.data);
      } catch (e) {
        // not JSON: a proxy's error page, say
      }
      if (res.statusCode !== 200 || !r.url) throw r.code ? r : fail(6000212, 'upload: HTTP ' + res.statusCode);
      var url = res.base + r.url;
      m.fileUID = r.fileUID;
      m.fileDownloadUrl = url;
      m.fileSize = r.fileSize;
      m.fileName = m.fileName || (typeof path === 'string' ? path.split(/[\\/]/).pop() : path.name || '');
      // The server keeps the original only: every image size is the original's unless the
      // app gave its own URL.
      if (m.type === 11) {
        m.largeImageDownloadUrl = m.largeImageDownloadUrl || url;
        m.thumbnailDownloadUrl = m.thumbnailDownloadUrl || url;
      }
      return send();
    },
    function (why) {
      throw fail(6000211, 'upload failed: ' + why);
    },
  );
}

// downloadMediaFile(message, fileType, config, progress): ZIMMediaFileType 1 original,
// 2 large image, 3 thumbnail, 4 video first frame; resolves { message } with that file's
// local path set (fileLocalPath, largeImageLocalPath ...).
var KINDS = { 2: 'largeImage', 3: 'thumbnail', 4: 'videoFirstFrame' };

function downloadMediaFile(message, fileType, config, progress) {
  var m = message || {};
  var kind = KINDS[fileType] || 'file';
  var url = m[kind + 'DownloadUrl'];
  if (!url) return Promise.reject(fail(6000219, 'no ' + kind + 'DownloadUrl'));
  return this._transfer(0, String(url), reporter(progress, m)).then(
    function (res) {
      if (res.statusCode === 404) throw fail(6000219, 'nothing at ' + url);
      if (res.statusCode !== 200) throw fail(6000220, 'download: HTTP ' + res.statusCode);
      m[kind + 'LocalPath'] = res.tempFilePath;
      return { message: m };
    },
    function (why) {
      throw fail(6000217, 'download failed: ' + why);
    },
  );
}

module.exports = {
  methods: { sendMediaMessage: sendMediaMessage, downloadMediaFile: downloadMediaFile },
  notices: {},
};
