'use strict';
// ZIM's request/response methods, declared instead of written out.
//
// A method's arguments go to the core as one object whose fields are the request struct's
// (protocol/src/areas/*.rs) under ZIM's names; the core checks them, the server answers, and
// the Promise resolves to the response struct, already shaped as ZIM's result object by the
// binding. So most methods are one line in their area's file:
//
//   updateUserName: method('updateUserName', 'userName'),
//   queryUsersInfo: method('queryUsersInfo', 'userIDs *'),
//
// The second argument names the ZIM method's parameters in order: each is put in the
// arguments object under that name, and `*` spreads an object parameter (a ZIM config such
// as `{ isQueryFromServer }`) into it.

function argsOf(params, values) {
  var args = {};
  for (var i = 0; i < params.length; i++) {
    var v = values[i];
    if (params[i] === '*') {
      if (v && typeof v === 'object') for (var k in v) args[k] = v[k];
    } else args[params[i]] = v;
  }
  return args;
}

// The ZIM method `name` with parameters `params` (space-separated, see above).
function method(name, params) {
  var list = params ? params.split(' ') : [];
  return function () {
    return this._rpc(name, argsOf(list, arguments));
  };
}

// `{ zimName: 'params', ... }` as `{ zimName: method(zimName, params), ... }`.
function methods(table) {
  var out = {};
  for (var name in table) out[name] = method(name, table[name]);
  return out;
}

module.exports = { method: method, methods: methods, argsOf: argsOf };
