'use strict';
// A strict stand-in for a WeChat mini program runtime (MINIPROGRAM.md, "A strict stand-in").
//
// Each Phone is a fresh `vm` context whose global object holds only what a phone has:
// `wx`, `WXWebAssembly`, the timers and `console` (plus the ECMAScript built-ins every
// context has). Code generation from strings is off (no eval / new Function), and so is wasm
// compilation inside the context: only the stand-in's WXWebAssembly may instantiate, and only
// from a string path of a .wasm / .wasm.br file inside the fake code package.
// `require` resolves only files of the code package, and bare names to miniprogram_npm/<name>/.
// `wx.connectSocket` is backed by a real WebSocket (the `ws` package) to a real server, and
// `wx.uploadFile` / `wx.downloadFile` by real HTTP requests (Node's http): local files are
// WeChat's `wxfile://tmp_...` paths, kept in a temp dir of the phone.
//
// Two profiles, as phones differ (MINIPROGRAM.md):
//   - 'android': WXWebAssembly compiles what V8 compiles;
//   - 'ios': WXWebAssembly compiles only WebAssembly 1.0 (MVP + mutable globals) and refuses a
//     module that exports a global, as WeChat on iOS does. The check is wabt's validator
//     (the `wabt` npm package, in process) with every post-MVP feature disabled: the same rule
//     the package build applies with Debian's wasm-validate, by a separately pinned copy.
//
// Both profiles model the background (MINIPROGRAM.md): hide() fires wx.onAppHide and, about
// 5 s later, suspends the JS thread: timers stop (and keep their due times on the phone's
// clock), open sockets are interrupted (their `fail interrupted` error and close reach the app
// when it is shown again), every callback waits, and network calls made meanwhile fail with
// `network api interrupted in suspend state`. show() fires wx.onAppShow, then hands over what
// waited, then lets the timers run; `after` jumps the phone's clock (Date.now) as a long
// suspension would, without the test waiting for it.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const WS = require('ws');

const PROFILES = ['android', 'ios'];

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

const SYSTEM = {
  android: { platform: 'android', system: 'Android 14', SDKVersion: '3.0.0', version: '8.0.50' },
  ios: { platform: 'ios', system: 'iOS 17.5', SDKVersion: '3.0.0', version: '8.0.50' },
};

// WebAssembly 1.0 as wabt names its features: everything after the MVP off but mutable globals.
const WASM1 = {
  mutable_globals: true,
  sat_float_to_int: false,
  sign_extension: false,
  simd: false,
  multi_value: false,
  bulk_memory: false,
  reference_types: false,
  threads: false,
  exceptions: false,
  tail_call: false,
};

let wabtReady = null;
function wabt() {
  if (!wabtReady) wabtReady = require('wabt')();
  return wabtReady;
}

// How WeChat on iOS judges a module: a reason to refuse it, or null.
async function iosRefusal(bytes) {
  const w = await wabt();
  let m = null;
  try {
    // A copy: wabt.js reads a view's whole ArrayBuffer, and Node's Buffers share a pool.
    m = w.readWasm(new Uint8Array(bytes), Object.assign({ readDebugNames: false }, WASM1));
    m.validate();
  } catch (e) {
    return 'CompileError: invalid wasm file (' + String((e && e.message) || e).trim().split('\n').pop() + ')';
  } finally {
    if (m) m.destroy();
  }
  const globals = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).filter((e) => e.kind === 'global');
  if (globals.length) return 'exported Globals are not supported: ' + globals.map((g) => g.name).join(', ');
  return null;
}

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

const SUSPENDED = 'network api interrupted in suspend state';

// The profile of a Phone made without one: phoneTest sets it for the test it runs (node:test
// runs the tests of a file one at a time).
let defaultProfile = 'android';

// Registers test `name` once per profile ("name [android]", "name [ios]"); fn(t, profile).
function phoneTest(name, fn) {
  const test = require('node:test');
  for (const profile of PROFILES) {
    test(`${name} [${profile}]`, (t) => {
      defaultProfile = profile;
      return fn(t, profile);
    });
  }
}

class Phone {
  // opts: { profile: 'android' | 'ios', suspendAfterMs: 5000 }
  constructor(root, name, opts) {
    opts = opts || {};
    this.root = path.resolve(root);
    this.name = name || 'phone';
    this.profile = opts.profile || defaultProfile;
    if (!PROFILES.includes(this.profile)) throw new Error('no such phone profile: ' + this.profile);
    this.suspendAfterMs = opts.suspendAfterMs === undefined ? 5000 : opts.suspendAfterMs;
    this.sockets = new Set(); // the real WebSockets open now
    this.tasks = new Set(); // SocketTasks not closed yet
    this.timers = new Map(); // id -> { cb, args, ms, repeat, due (phone clock), handle }
    this.lastTimer = 0;
    this.timerLog = []; // { at, ms, fired }: every timer the app armed, when it fired (phone clock)
    this.connectLog = []; // when the app called wx.connectSocket (phone clock)
    this.clockOffset = 0; // the phone's Date.now() minus the real one
    this.state = 'foreground'; // 'foreground' | 'background' | 'suspended'
    this.held = []; // callbacks waiting for the app to be shown again
    this.suspendTimer = null;
    this.storage = new Map();
    this.listeners = { network: [], appShow: [], appHide: [] };
    this.modules = new Map();
    this.wasmLoads = [];
    this.fileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'standin-files-'));
    this.lastFile = 0;
    this.transfers = []; // { kind: 'upload' | 'download', url, progress: [...] }
    this.context = vm.createContext(this._globals(), {
      name: this.name,
      codeGeneration: { strings: false, wasm: false },
    });
    vm.runInContext(ABSENT.map((g) => `delete this.${g};`).join('\n'), this.context);
    // The phone's clock: it jumps when a suspension ends (show({ after })).
    vm.runInContext('Date', this.context).now = () => this.now();
    this.realm = vm.runInContext('({ ArrayBuffer: ArrayBuffer, Uint8Array: Uint8Array })', this.context);
  }

  now() {
    return Date.now() + this.clockOffset;
  }

  get suspended() {
    return this.state === 'suspended';
  }

  // Runs a platform callback: now (soon), or when the app is shown again if suspended.
  _async(fn) {
    if (this.suspended) this.held.push(fn);
    else setTimeout(() => (this.suspended ? this.held.push(fn) : fn()), 0);
  }

  // ---- timers: on the phone's clock, stopped while suspended ----

  _setTimer(cb, ms, args, repeat) {
    const id = ++this.lastTimer;
    ms = Math.max(0, Number(ms) || 0);
    const t = { cb, args, ms, repeat, due: this.now() + ms, handle: null, log: { at: this.now(), ms, fired: [] } };
    this.timerLog.push(t.log);
    this.timers.set(id, t);
    if (!this.suspended) this._arm(id, t);
    return id;
  }

  _arm(id, t) {
    t.handle = setTimeout(() => this._fire(id), Math.max(0, t.due - this.now()));
  }

  _fire(id) {
    const t = this.timers.get(id);
    if (!t || this.suspended) return;
    t.log.fired.push(this.now());
    if (t.repeat) {
      t.due = this.now() + t.ms;
      this._arm(id, t);
    } else {
      this.timers.delete(id);
    }
    t.cb(...t.args);
  }

  _clearTimer(id) {
    const t = this.timers.get(id);
    if (!t) return;
    clearTimeout(t.handle);
    this.timers.delete(id);
  }

  _globals() {
    const phone = this;
    return {
      wx: this._wx(),
      WXWebAssembly: {
        instantiate(p, imports) {
          return phone._instantiate(p, imports);
        },
      },
      setTimeout: (cb, ms, ...args) => phone._setTimer(cb, ms, args, false),
      clearTimeout: (id) => phone._clearTimer(id),
      setInterval: (cb, ms, ...args) => phone._setTimer(cb, ms, args, true),
      clearInterval: (id) => phone._clearTimer(id),
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
    if (this.profile !== 'ios') return WebAssembly.instantiate(bytes, imports);
    return iosRefusal(bytes).then((why) => {
      if (why) throw new Error('WXWebAssembly (iOS): ' + why);
      return WebAssembly.instantiate(bytes, imports);
    });
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
        return Object.assign({}, SYSTEM[phone.profile]);
      },
      getAppBaseInfo() {
        const s = SYSTEM[phone.profile];
        return { SDKVersion: s.SDKVersion, version: s.version };
      },
      uploadFile(opts) {
        return phone._uploadFile(opts || {});
      },
      downloadFile(opts) {
        return phone._downloadFile(opts || {});
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

  // A SocketTask. `task.state`: 'connecting' | 'open' | 'interrupted' (killed by a suspension:
  // the app hears of it when shown) | 'silent' (dead without a word: nothing gets through
  // either way, sends "succeed") | 'closed'.
  _connectSocket(opts) {
    const phone = this;
    const cbs = { open: [], message: [], close: [], error: [] };
    const fire = (kind, arg) => cbs[kind].slice().forEach((cb) => cb(arg));
    const task = {
      state: 'connecting',
      onOpen: (cb) => cbs.open.push(cb),
      onMessage: (cb) => cbs.message.push(cb),
      onClose: (cb) => cbs.close.push(cb),
      onError: (cb) => cbs.error.push(cb),
      send(o) {
        o = o || {};
        const d = o.data;
        const isAB = Object.prototype.toString.call(d) === '[object ArrayBuffer]';
        if (typeof d !== 'string' && !isAB) {
          phone._async(() => o.fail && o.fail({ errMsg: 'sendSocketMessage:fail data must be a string or an ArrayBuffer' }));
          throw new TypeError('SocketTask.send: data must be a string or an ArrayBuffer');
        }
        if (task.state === 'silent') return phone._async(() => o.success && o.success({ errMsg: 'sendSocketMessage:ok' }));
        if (phone.suspended || task.state === 'interrupted') {
          const why = phone.suspended ? SUSPENDED : 'interrupted';
          return phone._async(() => o.fail && o.fail({ errMsg: 'sendSocketMessage:fail ' + why }));
        }
        if (!ws || ws.readyState !== WS.OPEN) {
          return phone._async(() => o.fail && o.fail({ errMsg: 'sendSocketMessage:fail WebSocket is not connected' }));
        }
        ws.send(isAB ? Buffer.from(new Uint8Array(d)) : d);
        phone._async(() => o.success && o.success({ errMsg: 'sendSocketMessage:ok' }));
      },
      close(o) {
        o = o || {};
        const was = task.state;
        task.state = 'closed';
        phone.tasks.delete(task);
        if (ws) {
          try {
            if (was === 'open') ws.close(o.code || 1000, o.reason);
            else ws.terminate();
          } catch (e) {
            ws.terminate();
          }
        }
        phone._async(() => o.success && o.success({ errMsg: 'closeSocket:ok' }));
      },
      // The stand-in's own handles (not part of the platform API).
      _interrupt() {
        if (task.state === 'closed' || task.state === 'interrupted') return;
        task.state = 'interrupted';
        if (ws) ws.terminate();
        phone._async(() => fire('error', { errMsg: 'interrupted' }));
        phone._async(() => fire('close', { code: 1006, reason: 'interrupted' }));
      },
      _silence() {
        if (task.state !== 'closed') task.state = 'silent';
      },
    };
    this.tasks.add(task);
    this.connectLog.push(this.now());
    let ws = null;
    if (this.suspended) {
      task.state = 'interrupted';
      this._async(() => opts.fail && opts.fail({ errMsg: 'connectSocket:fail ' + SUSPENDED }));
      this._async(() => fire('error', { errMsg: SUSPENDED }));
      return task;
    }
    if (this.sockets.size >= 5) {
      this._async(() => opts.fail && opts.fail({ errMsg: 'connectSocket:fail exceed max task count' }));
    }
    ws = new WS(opts.url);
    ws.binaryType = 'nodebuffer';
    this.sockets.add(ws);
    this._async(() => opts.success && opts.success({ errMsg: 'connectSocket:ok' }));
    // Events of a live socket only: an interrupted one already told its story.
    const live = () => task.state === 'connecting' || task.state === 'open';
    ws.on('open', () => {
      if (!live()) return;
      task.state = 'open';
      this._async(() => live() && fire('open', { header: {}, profile: {} }));
    });
    ws.on('message', (data, isBinary) => {
      if (!live()) return;
      if (!isBinary) return this._async(() => live() && fire('message', { data: String(data) }));
      // An ArrayBuffer of the phone's own realm, as the platform gives it.
      const u8 = new phone.realm.Uint8Array(data.length);
      u8.set(data);
      this._async(() => live() && fire('message', { data: u8.buffer }));
    });
    ws.on('error', (e) => {
      if (live()) this._async(() => live() && fire('error', { errMsg: String(e && e.message) }));
    });
    ws.on('close', (code, reason) => {
      phone.sockets.delete(ws);
      if (task.state === 'interrupted' || task.state === 'silent') return;
      task.state = 'closed'; // by the server, the network, or the app's close()
      phone.tasks.delete(task);
      this._async(() => fire('close', { code, reason: String(reason || '') }));
    });
    return task;
  }

  // ---- local files and HTTP transfers ----

  // The stand-in's own handles: a local file as the app gets one from wx.chooseMedia or
  // wx.chooseMessageFile (its wxfile:// path), and a local file's bytes.
  addTempFile(bytes, ext) {
    const p = 'wxfile://tmp_' + ++this.lastFile + (ext ? '.' + ext : '');
    fs.writeFileSync(this._localFile(p), bytes);
    return p;
  }

  readTempFile(p) {
    return fs.readFileSync(this._localFile(p));
  }

  _localFile(p) {
    const m = typeof p === 'string' && /^wxfile:\/\/(tmp_[A-Za-z0-9_]+(\.[A-Za-z0-9]+)?)$/.exec(p);
    return m ? path.join(this.fileDir, m[1]) : null;
  }

  // What wx.uploadFile / wx.downloadFile share: the argument checks, the suspension rule, and
  // a task with onProgressUpdate / offProgressUpdate / abort. `start(task, done)` runs the
  // request; done(err, res) settles it once with success/fail and complete.
  _transfer(api, opts, start) {
    const phone = this;
    const listeners = [];
    let settled = false;
    let req = null;
    const log = { kind: api, url: opts.url, progress: [] };
    this.transfers.push(log);
    const done = (errMsg, res) => {
      if (settled) return;
      settled = true;
      phone._async(() => {
        if (errMsg) {
          const r = { errMsg: api + ':fail ' + errMsg };
          if (opts.fail) opts.fail(r);
          if (opts.complete) opts.complete(r);
        } else {
          res.errMsg = api + ':ok';
          if (opts.success) opts.success(res);
          if (opts.complete) opts.complete(res);
        }
      });
    };
    const task = {
      onProgressUpdate: (cb) => listeners.push(cb),
      offProgressUpdate: (cb) => {
        const i = listeners.indexOf(cb);
        if (i >= 0) listeners.splice(i, 1);
      },
      abort: () => {
        if (req) req.destroy();
        done('abort');
      },
      // (the stand-in's) reports progress to the app, in the phone's realm
      _progress: (sent, total) => {
        const p = { progress: total ? Math.floor((sent * 100) / total) : 100 };
        if (api === 'uploadFile') Object.assign(p, { totalBytesSent: sent, totalBytesExpectedToSend: total });
        else Object.assign(p, { totalBytesWritten: sent, totalBytesExpectedToWrite: total });
        log.progress.push([sent, total]);
        phone._async(() => listeners.slice().forEach((cb) => cb(p)));
      },
    };
    if (typeof opts.url !== 'string' || !/^https?:\/\//.test(opts.url)) {
      done('invalid url "' + opts.url + '"');
    } else if (this.suspended) {
      done(SUSPENDED);
    } else {
      try {
        req = start(task, done);
      } catch (e) {
        done(String(e.message || e));
      }
    }
    return task;
  }

  _uploadFile(opts) {
    return this._transfer('uploadFile', opts, (task, done) => {
      if (typeof opts.name !== 'string' || !opts.name) return done('parameter error: parameter.name should be String');
      const file = this._localFile(opts.filePath);
      if (!file) return done('parameter error: parameter.filePath should be a local file path');
      if (!fs.existsSync(file)) return done('file not found: ' + opts.filePath);
      const bytes = fs.readFileSync(file);
      const boundary = '----standin' + Math.random().toString(16).slice(2);
      const parts = [];
      const form = opts.formData || {};
      for (const k of Object.keys(form)) {
        parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${form[k]}\r\n`);
      }
      parts.push(
        `--${boundary}\r\nContent-Disposition: form-data; name="${opts.name}"; filename="${path.basename(file)}"\r\n` +
          `Content-Type: ${mimeOf(file)}\r\n\r\n`,
      );
      const body = Buffer.concat([Buffer.from(parts.join('')), bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      const headers = Object.assign({}, opts.header || {}, {
        'content-type': 'multipart/form-data; boundary=' + boundary,
        'content-length': body.length,
      });
      const req = (opts.url.startsWith('https:') ? https : http).request(opts.url, { method: 'POST', headers });
      req.on('error', (e) => done(String(e.message)));
      req.on('response', (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => done(null, { data: Buffer.concat(chunks).toString('utf8'), statusCode: res.statusCode }));
        res.on('error', (e) => done(String(e.message)));
      });
      // Written in 16 KiB pieces, with progress as each is handed to the socket.
      let at = 0;
      const next = () => {
        if (at >= body.length) return req.end();
        const piece = body.subarray(at, at + 16384);
        at += piece.length;
        req.write(piece, () => {
          task._progress(Math.min(at, body.length), body.length);
          next();
        });
      };
      next();
      return req;
    });
  }

  _downloadFile(opts) {
    return this._transfer('downloadFile', opts, (task, done) => {
      const req = (opts.url.startsWith('https:') ? https : http).get(opts.url, { headers: opts.header || {} });
      req.on('error', (e) => done(String(e.message)));
      req.on('response', (res) => {
        const total = Number(res.headers['content-length']) || 0;
        const chunks = [];
        let got = 0;
        res.on('data', (c) => {
          chunks.push(c);
          got += c.length;
          task._progress(got, total || got);
        });
        res.on('error', (e) => done(String(e.message)));
        res.on('end', () => {
          // As WeChat: the body is saved whatever the status; the app checks statusCode.
          const ext = (/\/(image|audio|video)\/(png|jpeg|gif|mp4|mpeg)/.exec('/' + res.headers['content-type']) || [])[2] || '';
          const p = this.addTempFile(Buffer.concat(chunks), ext);
          done(null, { tempFilePath: p, statusCode: res.statusCode });
        });
      });
      return req;
    });
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

  // Every open socket goes dead without a word (a network switch, a NAT that forgot the
  // flow): nothing arrives, sends vanish, no close is reported.
  silenceSockets() {
    for (const task of this.tasks) task._silence();
  }

  networkBack() {
    this.listeners.network.forEach((cb) => cb({ isConnected: true, networkType: 'wifi' }));
  }

  // ---- the app lifecycle ----

  // The user leaves the app: wx.onAppHide now, the suspension `suspendAfterMs` later (unless
  // the app is shown first).
  hide() {
    if (this.state !== 'foreground') return;
    this.state = 'background';
    this.listeners.appHide.forEach((cb) => cb({}));
    this.suspendTimer = setTimeout(() => this.suspend(), this.suspendAfterMs);
  }

  // The JS thread stops. `sockets`: 'interrupted' (they fail, and the app hears so when
  // shown) or 'silent' (they just go dead).
  suspend(opts) {
    if (this.suspended) return;
    clearTimeout(this.suspendTimer);
    this.state = 'suspended';
    for (const t of this.timers.values()) clearTimeout(t.handle);
    const silent = opts && opts.sockets === 'silent';
    for (const task of Array.from(this.tasks)) (silent ? task._silence : task._interrupt)();
  }

  // The user comes back: wx.onAppShow, then what waited meanwhile (or the other way round
  // with `heldFirst`: phones do not promise an order), then the timers go on. `after`: the
  // suspension lasted that many ms more than the test waited (the phone's clock jumps;
  // overdue timers fire at once).
  show(opts) {
    opts = opts || {};
    if (this.state === 'foreground') return;
    clearTimeout(this.suspendTimer);
    const wasSuspended = this.suspended;
    this.state = 'foreground';
    if (wasSuspended) this.clockOffset += opts.after || 0;
    const shown = () => this.listeners.appShow.forEach((cb) => cb({ scene: 1001, path: 'pages/index/index', query: {} }));
    const held = this.held;
    this.held = [];
    if (!opts.heldFirst) shown();
    held.forEach((fn) => fn());
    if (opts.heldFirst) shown();
    if (wasSuspended) for (const [id, t] of this.timers) this._arm(id, t);
  }

  dispose() {
    clearTimeout(this.suspendTimer);
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
    this.held = [];
    for (const ws of this.sockets) ws.terminate();
    fs.rmSync(this.fileDir, { recursive: true, force: true });
  }
}

// The Content-Type of a local file's part, from its extension (as the platform sends it).
function mimeOf(file) {
  const types = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', mp3: 'audio/mpeg', mp4: 'video/mp4', txt: 'text/plain' };
  return types[path.extname(file).slice(1).toLowerCase()] || 'application/octet-stream';
}

module.exports = { Phone, makeCodePackage, phoneTest, ABSENT, PROFILES };
