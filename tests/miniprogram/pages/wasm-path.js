// A page whose app keeps the wasm somewhere else in its code package (e.g. a subpackage) and
// says so with setAdvancedConfig('wasm_path').
const { ZIM } = require('tinyim');
const config = require('../config.js');
const events = [];
module.exports.events = events;
ZIM.setAdvancedConfig('server', config.server);
ZIM.setAdvancedConfig('wasm_path', config.wasmPath);
const zim = ZIM.create({ appID: config.appID });
module.exports.zim = zim;
zim.on('error', (zim, { code, message }) => events.push(['error', code, message]));
zim
  .login(config.userID, { userName: config.userName, token: config.token })
  .then(() => events.push(['login']))
  .catch((err) => events.push(['loginFailed', err.code, err.message]));
module.exports.finish = function () {
  zim.logout();
  zim.destroy();
};
