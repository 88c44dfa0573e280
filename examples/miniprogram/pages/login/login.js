const session = require('../../im/session');

const SERVER_KEY = 'tinyim-example-server';

Page({
  data: {
    userID: '',
    serverUrl: 'ws://127.0.0.1:8080/ws',
    busy: false,
    error: '',
  },

  onLoad: function () {
    const saved = wx.getStorageSync(SERVER_KEY);
    if (saved) this.setData({ serverUrl: saved });
  },

  onUserID: function (e) {
    this.setData({ userID: e.detail.value.trim() });
  },

  onServerUrl: function (e) {
    this.setData({ serverUrl: e.detail.value.trim() });
  },

  onLogin: function () {
    const page = this;
    if (!page.data.userID) {
      page.setData({ error: 'Enter a user ID (letters and digits, at most 32).' });
      return;
    }
    page.setData({ busy: true, error: '' });
    wx.setStorageSync(SERVER_KEY, page.data.serverUrl);
    return session
      .login(page.data.userID, page.data.serverUrl)
      .then(function () {
        page.setData({ busy: false });
        wx.navigateTo({ url: '/pages/conversations/conversations' });
      })
      .catch(function (err) {
        session.logout();
        page.setData({ busy: false, error: 'Login failed (' + err.code + '): ' + err.message });
      });
  },
});
