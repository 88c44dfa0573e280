// The example's App: nothing global beyond the IM session, which lives in im/session.js so
// that every page reaches the same ZIM instance with a plain require.
App({
  onLaunch: function () {},
});
