// Ringing another user with ZIM's call invitations: the caller's screen (opened with
// ?peer=<userID>: it rings at once) and the callee's (opened by the conversation list when a
// call comes in). The call itself (audio, video) is the app's to add, e.g. with ZEGO's RTC SDK
// in the room the two agree on: tinyim does the signalling.
const session = require('../../im/session');
const banner = require('../../im/banner');

// What the screen says for each state of session.state.call.
function describe(call) {
  const peer = call.peer;
  switch (call.status) {
    case 'ringing':
      return call.outgoing ? 'Calling ' + peer + '…' : peer + ' is calling';
    case 'accepted':
      return 'In a call with ' + peer;
    case 'rejected':
      return call.outgoing ? peer + ' declined' : 'Declined';
    case 'cancelled':
      return call.outgoing ? 'Cancelled' : peer + ' hung up';
    default:
      return call.outgoing ? 'No answer from ' + peer : 'Missed call from ' + peer;
  }
}

Page({
  data: { peer: '', outgoing: false, status: '', text: '', banner: '', error: '' },

  onLoad: function (query) {
    const page = this;
    page.setData({ banner: banner.text(session.state.connectionState) });
    page.unsubscribe = session.subscribe(function (kind, data) {
      if (kind === 'connection') page.setData({ banner: banner.text(data.state) });
      if (kind === 'call') page.show(data);
    });
    if (!query.peer) return page.show(session.state.call);
    page.setData({ peer: query.peer, outgoing: true, status: 'ringing', text: 'Calling ' + query.peer + '…' });
    return session.ring(query.peer).catch(function (err) {
      page.setData({ status: 'failed', text: 'Could not call ' + query.peer, error: err.code + ': ' + err.message });
    });
  },

  onUnload: function () {
    this.unsubscribe();
  },

  show: function (call) {
    if (call) this.setData({ peer: call.peer, outgoing: call.outgoing, status: call.status, text: describe(call) });
  },

  act: function (promise) {
    const page = this;
    return promise.catch(function (err) {
      page.setData({ error: err.code + ': ' + err.message });
    });
  },

  onAccept: function () {
    return this.act(session.answerCall(true));
  },

  onReject: function () {
    return this.act(session.answerCall(false));
  },

  onCancel: function () {
    return this.act(session.cancelCall());
  },

  onClose: function () {
    wx.navigateBack();
  },
});
