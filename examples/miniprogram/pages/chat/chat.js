const session = require('../../im/session');
const banner = require('../../im/banner');
const view = require('../../im/view');

const PAGE_SIZE = 20;

Page({
  data: {
    // The conversation: a peer (`?peer=ID`) or a group (`?group=ID`).
    peerID: '',
    conversationType: 0,
    isGroup: false,
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
    page.byKey = {}; // row key -> ZIMMessage, for revoking
    const group = !!query.group;
    const id = group ? query.group : query.peer;
    const type = group ? session.GROUP : session.PEER;
    page.setData({ peerID: id, conversationType: type, isGroup: group, banner: banner.text(session.state.connectionState) });
    wx.setNavigationBarTitle({ title: group ? '# ' + id : id });
    session.state.openChat = session.key(id, type);
    const incoming = group ? 'groupMessages' : 'peerMessages';
    page.unsubscribe = session.subscribe(function (kind, data) {
      if (kind === 'connection') page.setData({ banner: banner.text(data.state) });
      if (kind === incoming && data.fromConversationID === page.data.peerID) {
        page.append(data.messageList);
        session.markRead(page.data.peerID, type);
      }
      if (kind === 'receipts') page.onReceipts(data);
      if (kind === 'revoked') data.forEach(page.replace.bind(page));
    });
    return page.onLoadEarlier().then(function () {
      session.markRead(id, type);
    });
  },

  onUnload: function () {
    session.state.openChat = '';
    this.unsubscribe();
  },

  row: function (message) {
    const row = view.messageRow(message, this.myID());
    this.byKey[row.key] = message;
    return row;
  },

  /** Shows `message` (revoked, read) in place of its row. */
  replace: function (message) {
    const row = this.row(message);
    this.setData({
      messages: this.data.messages.map(function (r) {
        return r.key === row.key ? row : r;
      }),
    });
  },

  /** The peer read messages of ours: by message, or the whole conversation (`all`). */
  onReceipts: function (data) {
    const page = this;
    const peer = page.data.peerID;
    const ids = {};
    data.infos.forEach(function (info) {
      if (info.conversationID === peer) ids['m' + info.messageID] = true;
    });
    if (!Object.keys(ids).length) return;
    page.setData({
      messages: page.data.messages.map(function (r) {
        const read = r.mine && r.status === 'sent' && (data.all || ids[r.key]);
        return read ? Object.assign({}, r, { status: 'read' }) : r;
      }),
    });
  },

  /** Revokes one of our messages (a tap on "revoke"); both chats then show it revoked. */
  onRevoke: function (e) {
    const page = this;
    const message = page.byKey[e.currentTarget.dataset.key];
    if (!message) return Promise.resolve();
    return session.state.zim
      .revokeMessage(message)
      .then(function (res) {
        page.replace(res.message);
      })
      .catch(function (err) {
        page.setData({ error: 'Not revoked (' + err.code + '): ' + err.message });
      });
  },

  myID: function () {
    return session.state.user.userID;
  },

  append: function (messageList) {
    const rows = this.data.messages.concat(messageList.map(this.row.bind(this)));
    this.setData({ messages: rows, scrollTo: rows.length ? rows[rows.length - 1].key : '' });
  },

  /** Pages back through history: ZIM lists each page oldest first, anchored on the oldest shown. */
  onLoadEarlier: function () {
    const page = this;
    if (!page.data.hasMore || page.data.loadingHistory) return Promise.resolve();
    page.setData({ loadingHistory: true });
    const config = { nextMessage: page.oldest, count: PAGE_SIZE, reverse: true };
    return session.state.zim
      .queryHistoryMessage(page.data.peerID, page.data.conversationType, config)
      .then(function (res) {
        const known = {};
        page.data.messages.forEach(function (row) {
          known[row.key] = true;
        });
        const older = res.messageList
          .map(page.row.bind(page))
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
    // hasReceipt: the peer's reading shows as "read" (messageReceiptChanged).
    const type = page.data.conversationType;
    return session.state.zim
      .sendMessage({ type: 1, message: text }, peerID, type, { priority: 1, hasReceipt: type === session.PEER })
      .then(function (res) {
        replace(page.row(res.message));
      })
      .catch(function (err) {
        replace(Object.assign({}, pending, { status: 'failed' }));
        page.setData({ error: 'Not sent (' + err.code + '): ' + err.message });
      });
  },
});
