'use strict';
// Loads the wasm in browsers and Node with WebAssembly, from bytes.
// `source` (ZIM.setAdvancedConfig('wasm_path', ...)): bytes (ArrayBuffer / Uint8Array), a URL
// (fetched), or a file path (Node). Default: tinyim_bg.wasm in lib/ (Node); the ESM
// build replaces defaultSource() with a URL relative to itself.

var loader = {
  defaultSource: function () {
    return require('path').join(__dirname, '..', 'tinyim_bg.wasm');
  },
  load: function (imports, source) {
    source = source || loader.defaultSource();
    return bytesOf(source).then(function (bytes) {
      return WebAssembly.instantiate(bytes, imports);
    });
  },
};

function bytesOf(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return Promise.resolve(source);
  var s = String(source);
  var node = typeof process === 'object' && process && process.versions && process.versions.node;
  if (!node || /^(https?|blob|data):/.test(s)) {
    return fetch(s).then(function (r) {
      if (!r.ok) throw new Error('tinyim: cannot fetch ' + s + ': HTTP ' + r.status);
      return r.arrayBuffer();
    });
  }
  if (s.indexOf('file:') === 0) s = require('url').fileURLToPath(s);
  return new Promise(function (resolve, reject) {
    require('fs').readFile(s, function (e, b) {
      if (e) reject(e);
      else resolve(b);
    });
  });
}

module.exports = loader;
