const session = require('../../im/session');
const banner = require('../../im/banner');
const view = require('../../im/view');

const ROOM = 1; // ZIMConversationType.Room

Page({
  data: {
    roomID: '',
    memberCount: 0,
    messages: [],
    notices: [],
    draft: '',
    scrollTo: '',
    banner: '',
    error: '',
  },

  onLoad: function (query) {
    const page = this;
    page.left = false;
    page.setData({ roomID: query.room, banner: banner.text(session.state.connectionState) });
    wx.setNavigationBarTitle({ title: '#' + query.room });
    page.unsubscribe = session.subscribe(function (kind, data) {
      if (kind === 'connection') page.setData({ banner: banner.text(data.state) });
      if (kind === 'roomMessages' && data.fromConversationID === page.data.roomID) page.append(data.messageList);
      if (kind === 'roomMembers' && data.roomID === page.data.roomID) page.refreshCount();
    });
    return session.state.zim
      .enterRoom({ roomID: query.room, roomName: query.room })
      .then(function () {
        return page.refreshCount();
      })
      .catch(function (err) {
        page.setData({ error: 'Cannot enter room (' + err.code + '): ' + err.message });
      });
  },

  onUnload: function () {
    this.unsubscribe();
    return this.leave();
  },

  refreshCount: function () {
    const page = this;
    return session.state.zim.queryRoomOnlineMemberCount(page.data.roomID).then(function (res) {
      page.setData({ memberCount: res.count });
    });
  },

  append: function (messageList) {
    const me = session.state.user.userID;
    const rows = this.data.messages.concat(
      messageList.map(function (m) {
        return view.messageRow(m, me);
      })
    );
    this.setData({ messages: rows, scrollTo: rows.length ? rows[rows.length - 1].key : '' });
  },

  onDraft: function (e) {
    this.setData({ draft: e.detail.value });
  },

  onSend: function () {
    const page = this;
    const text = page.data.draft;
    if (!text) return Promise.resolve();
    page.setData({ draft: '', error: '' });
    return session.state.zim
      .sendMessage({ type: 1, message: text }, page.data.roomID, ROOM, { priority: 1 })
      .then(function (res) {
        page.append([res.message]);
      })
      .catch(function (err) {
        page.setData({ error: 'Not sent (' + err.code + '): ' + err.message });
      });
  },

  /** The Leave button: going back unloads the page, which leaves the room. */
  onLeave: function () {
    wx.navigateBack();
  },

  leave: function () {
    const page = this;
    if (page.left || !session.state.zim) return Promise.resolve();
    page.left = true;
    return session.state.zim.leaveRoom(page.data.roomID).catch(function () {
      // Leaving fails only if we were never in: nothing to tell the user.
    });
  },
});
