'use strict';
// A small UTF-8 codec in plain JS. A mini program has no TextEncoder/TextDecoder, and
// wasm-bindgen's generated glue needs both to pass strings across the wasm boundary: the
// package build points the glue at the classes below instead (see docs/bindings.md). It is also the
// facade's codec for text message payloads.

function encode(str) {
  str = String(str);
  var out = new Uint8Array(str.length * 3);
  var n = 0;
  for (var i = 0; i < str.length; i++) {
    var c = str.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < str.length) {
      var d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c < 0xe000) c = 0xfffd; // a lone surrogate
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.subarray(0, n);
}

// Decodes UTF-8; malformed sequences become U+FFFD, one per maximal subpart, as TextDecoder
// (WHATWG Encoding) does.
function decode(bytes) {
  if (!bytes) return '';
  var parts = [];
  var chunk = [];
  for (var i = 0; i < bytes.length; ) {
    var b = bytes[i++];
    var c = 0xfffd;
    var need = b < 0x80 ? 0 : b < 0xc2 ? -1 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : b < 0xf5 ? 3 : -1;
    if (need === 0) {
      c = b;
    } else if (need > 0) {
      // The first continuation byte's range excludes overlongs, surrogates and > U+10FFFF.
      var lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      var hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      var v = b & (0x3f >> need);
      for (var k = 0; k < need; k++) {
        var x = bytes[i];
        if (i >= bytes.length || x < lo || x > hi) break; // U+FFFD; x is read again
        v = (v << 6) | (x & 63);
        i++;
        lo = 0x80;
        hi = 0xbf;
      }
      if (k === need) c = v;
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      chunk.push(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else {
      chunk.push(c);
    }
    if (chunk.length > 4096) {
      parts.push(String.fromCharCode.apply(null, chunk));
      chunk = [];
    }
  }
  parts.push(String.fromCharCode.apply(null, chunk));
  return parts.join('');
}

// Stand-ins for the two classes wasm-bindgen's glue constructs (only the methods it calls);
// the package build renames the glue's TextEncoder / TextDecoder to these.
function Utf8Encoder() {}
Utf8Encoder.prototype.encode = function (s) {
  return encode(s === undefined ? '' : s);
};
function Utf8Decoder() {}
Utf8Decoder.prototype.decode = function (b) {
  return decode(b);
};

module.exports = { encode: encode, decode: decode, Utf8Encoder: Utf8Encoder, Utf8Decoder: Utf8Decoder };
