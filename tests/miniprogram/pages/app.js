// A ZIM app as the area tests need one: it creates the instance, records every event named
// in config.events in the style config.style ('1.x': positional arguments after `zim`;
// '2.x': one data object), and logs in with that style's signature. Tests then call the
// instance's methods directly (d.zim.updateUserName(...)).
const { ZIM } = require('tinyim');
const config = require('../config.js');
const events = [];
module.exports = { ZIM, events };

ZIM.setAdvancedConfig('server', config.server);
const zim = ZIM.create(config.appID);
module.exports.zim = zim;

(config.events || []).forEach(function (name) {
  if (config.style === '1.x') {
    zim.on(name, function (zim, a, b, c, d, e) {
      events.push([name, a, b, c, d, e]);
    });
  } else {
    zim.on(name, function (zim, data) {
      events.push([name, data]);
    });
  }
});

const login =
  config.style === '1.x'
    ? zim.login({ userID: config.userID, userName: config.userName }, config.token)
    : zim.login(config.userID, { userName: config.userName, token: config.token });
login.then(() => events.push(['login'])).catch((err) => events.push(['loginFailed', err.code, err.message]));

module.exports.finish = function () {
  zim.logout();
  zim.destroy();
};
