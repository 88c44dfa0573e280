const session = require('../../im/session');
const banner = require('../../im/banner');

Page({
  data: {
    userID: '',
    conversations: [],
    total: 0,
    peerID: '',
    roomID: '',
    groupID: '',
    groupMembers: '',
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

  onGroupID: function (e) {
    this.setData({ groupID: e.detail.value.trim() });
  },

  onGroupMembers: function (e) {
    this.setData({ groupMembers: e.detail.value });
  },

  openGroup: function (groupID) {
    wx.navigateTo({ url: '/pages/chat/chat?group=' + encodeURIComponent(groupID) });
  },

  /** Creates the group with the members typed (comma or space separated), then opens it. */
  onCreateGroup: function () {
    const page = this;
    const groupID = page.data.groupID;
    if (!groupID) return Promise.resolve();
    const members = page.data.groupMembers.split(/[\s,]+/).filter(Boolean);
    return session
      .createGroup(groupID, members)
      .then(function () {
        page.openGroup(groupID);
      })
      .catch(function (err) {
        page.setData({ error: 'Group not created (' + err.code + '): ' + err.message });
      });
  },

  onJoinGroup: function () {
    const page = this;
    const groupID = page.data.groupID;
    if (!groupID) return Promise.resolve();
    return session
      .joinGroup(groupID)
      .then(function () {
        page.openGroup(groupID);
      })
      .catch(function (err) {
        page.setData({ error: 'Not joined (' + err.code + '): ' + err.message });
      });
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
    const d = e.currentTarget.dataset;
    if (Number(d.type) === session.GROUP) return this.openGroup(d.id);
    wx.navigateTo({ url: '/pages/chat/chat?peer=' + encodeURIComponent(d.id) });
  },

  onLogout: function () {
    session.logout();
    wx.reLaunch({ url: '/pages/login/login' });
  },
});
