'use strict';
// js-shim/utf8.js (the mini program's only UTF-8 codec: wasm-bindgen's glue and text message
// payloads both go through it) against Node's TextEncoder / TextDecoder (WHATWG Encoding).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const utf8 = require(path.join(__dirname, '..', '..', 'js-shim', 'utf8.js'));

const te = new TextEncoder();
// The glue constructs its decoder with ignoreBOM: true; payloads must keep a BOM too.
const td = new TextDecoder('utf-8', { ignoreBOM: true });

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

// A small deterministic PRNG so a failure is reproducible.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

test('encode matches TextEncoder: ASCII, 2/3/4-byte characters, surrogate pairs, lone surrogates', () => {
  const cases = [
    '',
    'hello',
    'é ß ü',
    '你好 世界',
    '😀 𝄞 🀄',
    'a\ud83dz', // lone high surrogate in the middle
    'a\ude00z', // lone low surrogate
    '\ud83d', // lone high surrogate at the end
    '\ude00\ud83d', // reversed pair
    '\ud83d\ud83d\ude00', // high, then a pair
    '\u0000\u007f\u0080\u07ff\u0800\uffff',
    '\ufeffBOM',
  ];
  for (const s of cases) assert.equal(hex(utf8.encode(s)), hex(te.encode(s)), JSON.stringify(s));
  const r = rng(1);
  for (let n = 0; n < 2000; n++) {
    let s = '';
    const len = Math.floor(r() * 12);
    for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(r() * 0x10000));
    assert.equal(hex(utf8.encode(s)), hex(te.encode(s)), JSON.stringify(s));
  }
});

test('decode matches TextDecoder on valid UTF-8, round-trips 4-byte characters', () => {
  for (const s of ['', 'hello', '你好 😀', '\ufeffBOM kept', '\u{10ffff}\u{10000}']) {
    assert.equal(utf8.decode(te.encode(s)), s);
    assert.equal(utf8.decode(te.encode(s)), td.decode(te.encode(s)));
  }
  // Long input (decoded in chunks).
  const long = '😀a你'.repeat(5000);
  assert.equal(utf8.decode(te.encode(long)), long);
});

test('decode matches TextDecoder on malformed UTF-8 (U+FFFD per maximal subpart)', () => {
  const cases = [
    [0x80],
    [0xbf, 0x41],
    [0xc0, 0xaf], // overlong
    [0xc1, 0xbf],
    [0xe0, 0x80, 0x80], // overlong 3-byte
    [0xed, 0xa0, 0x80], // a surrogate
    [0xf0, 0x80, 0x80, 0x80], // overlong 4-byte
    [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
    [0xf5, 0x80, 0x80, 0x80], // lead bytes F5..FF are never valid
    [0xf8, 0x80, 0x80],
    [0xfc, 0x80, 0x80, 0x80, 0x80, 0x80],
    [0xfe, 0xff],
    [0xff, 0x41],
    [0xe2, 0x82], // truncated at the end
    [0xe2, 0x82, 0x41], // truncated by an ASCII byte
    [0xf0, 0x9f, 0x98], // truncated emoji
    [0xf0, 0x9f, 0x98, 0x41],
    [0xf0, 0x9f, 0x41, 0x42],
    [0xc3],
    [0x41, 0xc3],
    [0xe2, 0x28, 0xa1],
  ];
  for (const c of cases) {
    const b = new Uint8Array(c);
    assert.equal(JSON.stringify(utf8.decode(b)), JSON.stringify(td.decode(b)), hex(b));
  }
  const r = rng(7);
  const picks = [0x00, 0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
  for (let n = 0; n < 5000; n++) {
    const len = Math.floor(r() * 8);
    const b = new Uint8Array(len);
    for (let i = 0; i < len; i++) b[i] = r() < 0.5 ? picks[Math.floor(r() * picks.length)] : Math.floor(r() * 256);
    assert.equal(JSON.stringify(utf8.decode(b)), JSON.stringify(td.decode(b)), hex(b));
  }
});

test("the glue's encoder and decoder stand-ins behave like the classes they replace", () => {
  const e = new utf8.Utf8Encoder();
  const d = new utf8.Utf8Decoder('utf-8', { ignoreBOM: true });
  assert.equal(d.decode(), '');
  assert.equal(hex(e.encode()), '');
  assert.equal(d.decode(e.encode('x😀y')), 'x😀y');
});
