const session = require('../../im/session');
const banner = require('../../im/banner');

Page({
  data: {
    userID: '',
    conversations: [],
    total: 0,
    peerID: '',
    roomID: '',
    banner: '',
    error: '',
  },

  onLoad: function () {
    const page = this;
    page.setData({
      userID: session.state.user ? session.state.user.userID : '',
      conversations: session.state.conversations,
      total: session.state.totalUnread,
      banner: banner.text(session.state.connectionState),
    });
    page.unsubscribe = session.subscribe(function (kind, data) {
      if (kind === 'conversations') page.setData({ conversations: data });
      if (kind === 'total') page.setData({ total: data });
      if (kind === 'connection') page.setData({ banner: banner.text(data.state) });
      if (kind === 'error') page.setData({ error: data.code + ': ' + data.message });
      // The list stays under every other page: it opens the call screen when someone rings.
      if (kind === 'call' && !data.outgoing && data.status === 'ringing') wx.navigateTo({ url: '/pages/call/call' });
    });
  },

  onUnload: function () {
    this.unsubscribe();
  },

  onPeerID: function (e) {
    this.setData({ peerID: e.detail.value.trim() });
  },

  onRoomID: function (e) {
    this.setData({ roomID: e.detail.value.trim() });
  },

  onOpenChat: function () {
    if (!this.data.peerID) return;
    wx.navigateTo({ url: '/pages/chat/chat?peer=' + encodeURIComponent(this.data.peerID) });
  },

  onOpenRoom: function () {
    if (!this.data.roomID) return;
    wx.navigateTo({ url: '/pages/room/room?room=' + encodeURIComponent(this.data.roomID) });
  },

  onTapConversation: function (e) {
    wx.navigateTo({ url: '/pages/chat/chat?peer=' + encodeURIComponent(e.currentTarget.dataset.id) });
  },

  onLogout: function () {
    session.logout();
    wx.reLaunch({ url: '/pages/login/login' });
  },
});
