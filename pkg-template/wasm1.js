'use strict';
// Is this wasm module one every phone compiles? WeChat on iOS compiles only WebAssembly 1.0
// (the MVP plus mutable globals) and cannot use exported globals (MINIPROGRAM.md); Android,
// DevTools and PC WeChat accept much more, so nothing but a check at build time catches a
// module only iPhones refuse. pkg-template/build.js runs this on the wasm it ships.
//
// Validation is wabt's `wasm-validate` (Debian package `wabt`, installed by `make setup-js`)
// with every post-MVP feature it knows disabled. Its errors name an offset, not a feature, so
// when a module fails, each feature is disabled alone once more to name the ones it uses.

var fs = require('fs');
var os = require('os');
var path = require('path');
var spawnSync = require('child_process').spawnSync;

// The post-MVP features wabt enables by default, and the flag that disables each.
var FEATURES = {
  'bulk-memory': '--disable-bulk-memory',
  'reference-types': '--disable-reference-types',
  'sign-extension': '--disable-sign-extension',
  'multi-value': '--disable-multi-value',
  'saturating-float-to-int': '--disable-saturating-float-to-int',
  simd: '--disable-simd',
};
var WASM1_FLAGS = Object.keys(FEATURES).map(function (f) {
  return FEATURES[f];
});

// Export kinds (binary format, export section): what a phone can use. iOS cannot use
// exported globals; anything newer than WebAssembly 1.0 (tags, ...) is refused as well.
var KINDS = ['function', 'table', 'memory', 'global'];
var ALLOWED_KINDS = ['function', 'table', 'memory'];

// Unsigned LEB128 at buf[i]: [value, index after it].
function leb(buf, i) {
  var v = 0;
  var shift = 0;
  var b;
  do {
    b = buf[i++];
    v += (b & 0x7f) * Math.pow(2, shift);
    shift += 7;
  } while (b & 0x80);
  return [v, i];
}

// The module's sections: [{ id, start, end }] (start/end of the payload).
function sections(wasm) {
  var out = [];
  for (var i = 8; i < wasm.length; ) {
    var r = leb(wasm, i + 1);
    out.push({ id: wasm[i], at: i, start: r[1], end: r[1] + r[0] });
    i = r[1] + r[0];
  }
  return out;
}

// [{ name, kind, entry: [start, end) of the entry in `wasm` }] of the export section.
function exportsOf(wasm) {
  var out = [];
  sections(wasm).forEach(function (s) {
    if (s.id !== 7) return;
    var c = leb(wasm, s.start);
    var j = c[1];
    for (var n = 0; n < c[0]; n++) {
      var nl = leb(wasm, j);
      var name = Buffer.from(wasm.subarray(nl[1], nl[1] + nl[0])).toString();
      var kind = wasm[nl[1] + nl[0]];
      var idx = leb(wasm, nl[1] + nl[0] + 1);
      out.push({ name: name, kind: KINDS[kind] || 'kind ' + kind, entry: [j, idx[1]] });
      j = idx[1];
    }
  });
  return out;
}

function wasmValidate(file, flags) {
  var r = spawnSync('wasm-validate', flags.concat([file]), { encoding: 'utf8' });
  if (r.error) throw new Error('cannot run wasm-validate (Debian package wabt; `make setup-js` installs it): ' + r.error.message);
  return { ok: r.status === 0, output: (r.stdout + r.stderr).trim() };
}

// Checks the module in `bytes`: { ok, problems: [sentences] }.
function check(bytes) {
  var problems = [];
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-wasm1-'));
  var file = path.join(dir, 'module.wasm');
  try {
    fs.writeFileSync(file, bytes);
    var strict = wasmValidate(file, WASM1_FLAGS);
    if (!strict.ok) {
      var used = Object.keys(FEATURES).filter(function (f) {
        return !wasmValidate(file, [FEATURES[f]]).ok;
      });
      var what = used.length
        ? 'it uses ' + used.join(', ')
        : wasmValidate(file, []).ok
          ? 'it needs several post-MVP features together'
          : 'it is not valid even with wabt\'s default features';
      problems.push('not WebAssembly 1.0 (WeChat on iOS refuses it): ' + what + '; wasm-validate ' + WASM1_FLAGS.join(' ') + ' says: ' + strict.output);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  exportsOf(bytes).forEach(function (e) {
    if (ALLOWED_KINDS.indexOf(e.kind) < 0) problems.push('exports ' + e.kind + ' ' + JSON.stringify(e.name) + ' (WeChat on iOS cannot use exported ' + e.kind + 's)');
  });
  return { ok: problems.length === 0, problems: problems };
}

module.exports = { check: check, exportsOf: exportsOf, sections: sections, leb: leb, FEATURES: FEATURES, WASM1_FLAGS: WASM1_FLAGS };
