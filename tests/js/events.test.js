'use strict';
// js-shim/events.js: which argument shape each callback gets (docs/bindings.md, "Callback
// styles"), with callbacks written as 1.x and 2.x users write them.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Listeners } = require(path.join(__dirname, '..', '..', 'js-shim', 'events.js'));

const ZIM = { me: true };
const DATA = {
  connectionStateChanged: { state: 2, event: 0, extendedData: '' },
  tokenWillExpire: { second: 30 },
  receivePeerMessage: { messageList: [{ message: 'hi' }], fromConversationID: 'bob' },
  roomStateChanged: { roomID: 'r1', state: 2, event: 0, extendedData: '' },
  roomMemberJoined: { roomID: 'r1', memberList: [{ userID: 'bob' }] },
  error: { code: 6000001, message: 'bad' },
  peerMessageReceived: { messageList: [], fromConversationID: 'bob', info: { isOfflineMessage: false } },
};

function record(l, event) {
  l.emit(ZIM, event, DATA[event], '');
}

test('a 1.x app: positional arguments, two-parameter callbacks included', () => {
  const l = new Listeners();
  const got = [];
  l.add('connectionStateChanged', function (zim, state, event, extendedData) {
    got.push(['csc', zim === ZIM, state, event, extendedData]);
  });
  l.add('tokenWillExpire', function (zim, second) {
    got.push(['twe', second]);
  });
  l.add('receivePeerMessage', function (zim, messageList, fromUserID) {
    got.push(['rpm', messageList.length, fromUserID]);
  });
  l.add('roomStateChanged', function (zim, state, event, extendedData, roomID) {
    got.push(['rsc', state, roomID]);
  });
  l.add('roomMemberJoined', function (zim, memberList, roomID) {
    got.push(['rmj', memberList[0].userID, roomID]);
  });
  l.add('error', function (zim, errorInfo) {
    got.push(['err', errorInfo.code]);
  });
  for (const e of ['connectionStateChanged', 'tokenWillExpire', 'receivePeerMessage', 'roomStateChanged', 'roomMemberJoined', 'error']) record(l, e);
  assert.deepEqual(got, [
    ['csc', true, 2, 0, ''],
    ['twe', 30],
    ['rpm', 1, 'bob'],
    ['rsc', 2, 'r1'],
    ['rmj', 'bob', 'r1'],
    ['err', 6000001],
  ]);
});

test('a 2.x app: one data object', () => {
  const l = new Listeners();
  const got = [];
  l.add('connectionStateChanged', (zim, { state, event }) => got.push(['csc', state, event]));
  l.add('tokenWillExpire', (zim, { second }) => got.push(['twe', second]));
  l.add('receivePeerMessage', (zim, { messageList, fromConversationID }) => got.push(['rpm', messageList.length, fromConversationID]));
  l.add('peerMessageReceived', (zim, { info }) => got.push(['pmr', info.isOfflineMessage]));
  l.add('error', (zim, errorInfo) => got.push(['err', errorInfo.code]));
  for (const e of ['connectionStateChanged', 'tokenWillExpire', 'receivePeerMessage', 'peerMessageReceived', 'error']) record(l, e);
  assert.deepEqual(got, [
    ['csc', 2, 0],
    ['twe', 30],
    ['rpm', 1, 'bob'],
    ['pmr', false],
    ['err', 6000001],
  ]);
});

test("explicit styles win: on(..., { style }) over callback_style over the parameter count", () => {
  const l = new Listeners();
  const got = [];
  l.add('tokenWillExpire', (...args) => got.push(['rest-1x', args.length, args[1]]), { style: '1.x' });
  l.add('connectionStateChanged', function (zim, data, unused) {
    got.push(['3-params-2x', typeof data]);
  }, { style: '2.x' });
  record(l, 'tokenWillExpire');
  record(l, 'connectionStateChanged');
  assert.deepEqual(got, [
    ['rest-1x', 2, 30],
    ['3-params-2x', 'object'],
  ]);

  const g = new Listeners();
  const got2 = [];
  g.add('tokenWillExpire', (...args) => got2.push(args[1]));
  g.emit(ZIM, 'tokenWillExpire', DATA.tokenWillExpire, '1.x');
  g.emit(ZIM, 'tokenWillExpire', DATA.tokenWillExpire, '2.x');
  assert.deepEqual(got2, [30, { second: 30 }]);
});

test('off(event) removes every callback of the event, off(event, cb) only that one; a throwing callback does not stop the others', () => {
  const l = new Listeners();
  const got = [];
  const a = (zim, d) => got.push('a');
  const b = (zim, d) => got.push('b');
  l.add('error', a);
  l.add('error', b);
  l.add('error', () => {
    throw new Error('app bug');
  });
  l.add('error', (zim, d) => got.push('c'));
  const orig = console.error;
  console.error = () => {};
  try {
    record(l, 'error');
    l.remove('error', a);
    record(l, 'error');
    l.remove('error');
    record(l, 'error');
  } finally {
    console.error = orig;
  }
  assert.deepEqual(got, ['a', 'b', 'c', 'b', 'c']);
});
