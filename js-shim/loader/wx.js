'use strict';
// Loads the wasm in a mini program: WXWebAssembly.instantiate takes only a path inside the
// code package (a brotli-compressed .wasm.br from base library 2.14.0). The default is where
// the developer tool's "build npm" puts this package; ZIM.setAdvancedConfig('wasm_path', p)
// overrides it (e.g. when the package is copied elsewhere, or for a subpackage).

var DEFAULT_PATH = '/miniprogram_npm/tinyim/tinyim_bg.wasm.br';

function load(imports, path) {
  return WXWebAssembly.instantiate(path || DEFAULT_PATH, imports);
}

module.exports = { load: load, DEFAULT_PATH: DEFAULT_PATH };
