'use strict';
// Entry for browsers, Node and mini-program frameworks that bundle `main`: picks the platform
// at run time. (The package's miniprogram folder uses miniprogram.js as its index.js.)

var wxLike =
  typeof wx === 'object' && wx !== null && typeof wx.connectSocket === 'function' && typeof WXWebAssembly === 'object';

module.exports = require('./zim').withPlatform(
  wxLike
    ? { transport: require('./transport/wx'), loader: require('./loader/wx') }
    : { transport: require('./transport/websocket'), loader: require('./loader/web') },
);
