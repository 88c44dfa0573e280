const session = require('../../im/session');
const banner = require('../../im/banner');
const view = require('../../im/view');

const PAGE_SIZE = 20;
const PEER = 0; // ZIMConversationType.Peer

Page({
  data: {
    peerID: '',
    messages: [],
    draft: '',
    hasMore: true,
    loadingHistory: false,
    scrollTo: '',
    banner: '',
    error: '',
  },

  onLoad: function (query) {
    const page = this;
    page.oldest = null; // the oldest ZIMMessage shown: the anchor for the next history page
    page.setData({ peerID: query.peer, banner: banner.text(session.state.connectionState) });
    wx.setNavigationBarTitle({ title: query.peer });
    page.unsubscribe = session.subscribe(function (kind, data) {
      if (kind === 'connection') page.setData({ banner: banner.text(data.state) });
      if (kind === 'peerMessages' && data.fromConversationID === page.data.peerID) {
        page.append(data.messageList);
        session.markRead(page.data.peerID);
      }
    });
    session.markRead(query.peer);
    return page.onLoadEarlier();
  },

  onUnload: function () {
    this.unsubscribe();
  },

  myID: function () {
    return session.state.user.userID;
  },

  append: function (messageList) {
    const me = this.myID();
    const rows = this.data.messages.concat(
      messageList.map(function (m) {
        return view.messageRow(m, me);
      })
    );
    this.setData({ messages: rows, scrollTo: rows.length ? rows[rows.length - 1].key : '' });
  },

  /** Pages back through history: ZIM lists each page oldest first, anchored on the oldest shown. */
  onLoadEarlier: function () {
    const page = this;
    if (!page.data.hasMore || page.data.loadingHistory) return Promise.resolve();
    page.setData({ loadingHistory: true });
    const config = { nextMessage: page.oldest, count: PAGE_SIZE, reverse: true };
    return session.state.zim
      .queryHistoryMessage(page.data.peerID, PEER, config)
      .then(function (res) {
        const me = page.myID();
        const known = {};
        page.data.messages.forEach(function (row) {
          known[row.key] = true;
        });
        const older = res.messageList
          .map(function (m) {
            return view.messageRow(m, me);
          })
          .filter(function (row) {
            return !known[row.key];
          });
        if (res.messageList.length) page.oldest = res.messageList[0];
        page.setData({
          messages: older.concat(page.data.messages),
          hasMore: res.messageList.length === PAGE_SIZE,
          loadingHistory: false,
        });
      })
      .catch(function (err) {
        page.setData({ loadingHistory: false, error: 'History failed (' + err.code + '): ' + err.message });
      });
  },

  onCall: function () {
    wx.navigateTo({ url: '/pages/call/call?peer=' + encodeURIComponent(this.data.peerID) });
  },

  onDraft: function (e) {
    this.setData({ draft: e.detail.value });
  },

  onSend: function () {
    const page = this;
    const text = page.data.draft;
    if (!text) return Promise.resolve();
    const peerID = page.data.peerID;
    const me = page.myID();
    // Show the message at once as "sending"; the promise settles it.
    const pending = {
      key: 'pending' + Date.now() + Math.random(),
      mine: true,
      sender: me,
      text: text,
      status: 'sending',
      time: '',
    };
    page.setData({ draft: '', error: '', messages: page.data.messages.concat([pending]), scrollTo: pending.key });
    const replace = function (row) {
      page.setData({
        messages: page.data.messages.map(function (r) {
          return r.key === pending.key ? row : r;
        }),
      });
    };
    return session.state.zim
      .sendMessage({ type: 1, message: text }, peerID, PEER, { priority: 1 })
      .then(function (res) {
        replace(view.messageRow(res.message, me));
        session.touchConversation(peerID, res.message, false);
      })
      .catch(function (err) {
        replace(Object.assign({}, pending, { status: 'failed' }));
        page.setData({ error: 'Not sent (' + err.code + '): ' + err.message });
      });
  },
});
