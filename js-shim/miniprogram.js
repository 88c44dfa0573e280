'use strict';
// Entry of the package's miniprogram folder (copied there as index.js): wx.connectSocket and
// WXWebAssembly only, so nothing here touches a global a phone lacks.

module.exports = require('./zim').withPlatform({
  transport: require('./transport/wx'),
  loader: require('./loader/wx'),
});
