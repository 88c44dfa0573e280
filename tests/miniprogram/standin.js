'use strict';
// A strict stand-in for a WeChat mini program runtime (MINIPROGRAM.md, "A strict stand-in").
//
// Each Phone is a fresh `vm` context whose global object holds only what a phone has:
// `wx`, `WXWebAssembly`, the timers and `console` (plus the ECMAScript built-ins every
// context has). Code generation from strings is off (no eval / new Function), and so is wasm
// compilation inside the context: only the stand-in's WXWebAssembly may instantiate, and only
// from a string path of a .wasm / .wasm.br file inside the fake code package.
// `require` resolves only files of the code package, and bare names to miniprogram_npm/<name>/.
// `wx.connectSocket` is backed by a real WebSocket (the `ws` package) to a real server.
// WXWebAssembly also refuses a module that exports Globals, which iOS cannot use.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const WS = require('ws');

// Globals a phone does not have (MINIPROGRAM.md). `WebAssembly` and `globalThis` are ECMAScript
// or V8 built-ins present in every vm context, so the stand-in removes them.
const ABSENT = [
  'TextEncoder',
  'TextDecoder',
  'WebAssembly',
  'fetch',
  'WebSocket',
  'window',
  'self',
  'document',
  'location',
  'XMLHttpRequest',
  'process',
  'Buffer',
  'globalThis',
];

// Builds a fake code package: <dir>/miniprogram_npm/tinyim/ holds the `miniprogram` folder of
// the PACKED tarball, as the developer tool's "build npm" would copy it.
function makeCodePackage(tarball) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-mp-'));
  const unpack = path.join(dir, '.unpack');
  fs.mkdirSync(unpack);
  execFileSync('tar', ['xzf', tarball, '-C', unpack]);
  const pkg = JSON.parse(fs.readFileSync(path.join(unpack, 'package', 'package.json'), 'utf8'));
  if (!pkg.miniprogram) throw new Error('package.json has no miniprogram field');
  const dest = path.join(dir, 'miniprogram_npm', pkg.name);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.cpSync(path.join(unpack, 'package', pkg.miniprogram), dest, { recursive: true });
  fs.rmSync(unpack, { recursive: true, force: true });
  return dir;
}

class Phone {
  constructor(root, name) {
    this.root = path.resolve(root);
    this.name = name || 'phone';
    this.sockets = new Set();
    this.timers = new Set();
    this.storage = new Map();
    this.listeners = { network: [], appShow: [], appHide: [] };
    this.modules = new Map();
    this.wasmLoads = [];
    this.context = vm.createContext(this._globals(), {
      name: this.name,
      codeGeneration: { strings: false, wasm: false },
    });
    vm.runInContext(ABSENT.map((g) => `delete this.${g};`).join('\n'), this.context);
    this.realm = vm.runInContext('({ ArrayBuffer: ArrayBuffer, Uint8Array: Uint8Array })', this.context);
  }

  _globals() {
    const phone = this;
    const timers = this.timers;
    function wrapTimer(set, clear) {
      return {
        set(cb, ms, ...args) {
          const id = set(
            (...a) => {
              if (set === setTimeout) timers.delete(id);
              cb(...a);
            },
            ms,
            ...args,
          );
          timers.add(id);
          return id;
        },
        clear(id) {
          timers.delete(id);
          clear(id);
        },
      };
    }
    const t = wrapTimer(setTimeout, clearTimeout);
    const i = wrapTimer(setInterval, clearInterval);
    return {
      wx: this._wx(),
      WXWebAssembly: {
        instantiate(p, imports) {
          return phone._instantiate(p, imports);
        },
      },
      setTimeout: t.set,
      clearTimeout: t.clear,
      setInterval: i.set,
      clearInterval: i.clear,
      console,
    };
  }

  // WXWebAssembly.instantiate: a string path inside the code package, nothing else.
  _instantiate(p, imports) {
    if (typeof p !== 'string') {
      return Promise.reject(new TypeError('WXWebAssembly.instantiate: the first argument must be a path string'));
    }
    if (!/\.wasm(\.br)?$/.test(p)) return Promise.reject(new Error('WXWebAssembly.instantiate: not a .wasm/.wasm.br file: ' + p));
    const file = this._inPackage(p.startsWith('/') ? p : '/' + p);
    if (!file || !fs.existsSync(file)) return Promise.reject(new Error('WXWebAssembly.instantiate: no such file in the code package: ' + p));
    let bytes = fs.readFileSync(file);
    if (file.endsWith('.br')) bytes = zlib.brotliDecompressSync(bytes);
    this.wasmLoads.push(p);
    // As strict as the strictest phone: iOS cannot use exported Globals (MINIPROGRAM.md).
    const globals = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).filter((e) => e.kind === 'global');
    if (globals.length) {
      return Promise.reject(new Error('WXWebAssembly (iOS): exported Globals are not supported: ' + globals.map((g) => g.name).join(', ')));
    }
    return WebAssembly.instantiate(bytes, imports);
  }

  _inPackage(p) {
    const file = path.resolve(this.root, '.' + path.posix.normalize(p));
    return file === this.root || file.startsWith(this.root + path.sep) ? file : null;
  }

  _wx() {
    const phone = this;
    return {
      connectSocket(opts) {
        return phone._connectSocket(opts || {});
      },
      getStorageSync(key) {
        return phone.storage.has(key) ? phone.storage.get(key) : '';
      },
      setStorageSync(key, value) {
        phone.storage.set(key, value);
      },
      removeStorageSync(key) {
        phone.storage.delete(key);
      },
      getSystemInfoSync() {
        return { platform: 'android', SDKVersion: '3.0.0', system: 'Android 14', version: '8.0.50' };
      },
      getAppBaseInfo() {
        return { SDKVersion: '3.0.0', version: '8.0.50' };
      },
      onNetworkStatusChange(cb) {
        phone.listeners.network.push(cb);
      },
      onAppShow(cb) {
        phone.listeners.appShow.push(cb);
      },
      onAppHide(cb) {
        phone.listeners.appHide.push(cb);
      },
    };
  }

  _connectSocket(opts) {
    const phone = this;
    const cbs = { open: [], message: [], close: [], error: [] };
    const fire = (kind, arg) => cbs[kind].slice().forEach((cb) => cb(arg));
    const later = (fn) => setTimeout(fn, 0);
    if (this.sockets.size >= 5) {
      later(() => opts.fail && opts.fail({ errMsg: 'connectSocket:fail exceed max task count' }));
    }
    const ws = new WS(opts.url);
    ws.binaryType = 'nodebuffer';
    this.sockets.add(ws);
    later(() => opts.success && opts.success({ errMsg: 'connectSocket:ok' }));
    ws.on('open', () => fire('open', { header: {}, profile: {} }));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return fire('message', { data: String(data) });
      // An ArrayBuffer of the phone's own realm, as the platform gives it.
      const u8 = new phone.realm.Uint8Array(data.length);
      u8.set(data);
      fire('message', { data: u8.buffer });
    });
    ws.on('error', (e) => fire('error', { errMsg: String(e && e.message) }));
    ws.on('close', (code, reason) => {
      phone.sockets.delete(ws);
      fire('close', { code, reason: String(reason || '') });
    });
    return {
      onOpen: (cb) => cbs.open.push(cb),
      onMessage: (cb) => cbs.message.push(cb),
      onClose: (cb) => cbs.close.push(cb),
      onError: (cb) => cbs.error.push(cb),
      send(o) {
        o = o || {};
        const d = o.data;
        const isAB = Object.prototype.toString.call(d) === '[object ArrayBuffer]';
        if (typeof d !== 'string' && !isAB) {
          later(() => o.fail && o.fail({ errMsg: 'sendSocketMessage:fail data must be a string or an ArrayBuffer' }));
          throw new TypeError('SocketTask.send: data must be a string or an ArrayBuffer');
        }
        if (ws.readyState !== WS.OPEN) {
          later(() => o.fail && o.fail({ errMsg: 'sendSocketMessage:fail WebSocket is not connected' }));
          return;
        }
        ws.send(isAB ? Buffer.from(new Uint8Array(d)) : d);
        later(() => o.success && o.success({ errMsg: 'sendSocketMessage:ok' }));
      },
      close(o) {
        o = o || {};
        try {
          ws.close(o.code || 1000, o.reason);
        } catch (e) {
          ws.terminate();
        }
        later(() => o.success && o.success({ errMsg: 'closeSocket:ok' }));
      },
    };
  }

  // require() of the code package: absolute ('/pages/x.js'), relative, or a bare npm name
  // (miniprogram_npm/<name>/index.js).
  require(request, fromDir) {
    fromDir = fromDir || '/';
    let p;
    if (request.startsWith('/')) p = request;
    else if (request.startsWith('.')) p = path.posix.join(fromDir, request);
    else p = '/miniprogram_npm/' + request;
    const candidates = [p, p + '.js', p + '/index.js'];
    for (const c of candidates) {
      const file = this._inPackage(c);
      if (file && fs.existsSync(file) && fs.statSync(file).isFile()) return this._load(path.posix.normalize(c));
    }
    throw new Error(`${this.name}: require('${request}') from ${fromDir}: not a file of the code package`);
  }

  _load(p) {
    if (this.modules.has(p)) return this.modules.get(p).exports;
    const module = { exports: {} };
    this.modules.set(p, module);
    const src = fs.readFileSync(this._inPackage(p), 'utf8');
    const fn = vm.runInContext('(function (module, exports, require) {' + src + '\n})', this.context, {
      filename: path.posix.join('/code-package', p),
    });
    const dir = path.posix.dirname(p);
    fn.call(module.exports, module, module.exports, (r) => this.require(String(r), dir));
    return module.exports;
  }

  // Writes a file into the code package (e.g. the page's config).
  writeFile(p, text) {
    const file = this._inPackage(p);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }

  // Evaluates an expression in the phone (to inspect its globals).
  eval(code) {
    return vm.runInContext(code, this.context);
  }

  // Kills every socket as a network drop would (no close handshake: code 1006).
  killSockets() {
    for (const ws of this.sockets) ws.terminate();
  }

  networkBack() {
    this.listeners.network.forEach((cb) => cb({ isConnected: true, networkType: 'wifi' }));
  }

  dispose() {
    for (const id of this.timers) {
      clearTimeout(id);
      clearInterval(id);
    }
    this.timers.clear();
    for (const ws of this.sockets) ws.terminate();
  }
}

module.exports = { Phone, makeCodePackage, ABSENT };
