'use strict';
// Call invitations (ZIM's signalling to ring other users). The server keeps the calls and
// times them out on its own clock; its notices are ZIM's call events with ZIM's data.

var method = require('../rpc').method;

module.exports = {
  methods: {
    // callInvite(invitees, { timeout, mode, extendedData, enableNotReceivedCheck, pushConfig })
    callInvite: method('callInvite', 'invitees config'),
    callCancel: method('callCancel', 'invitees callID config'),
    callAccept: method('callAccept', 'callID config'),
    callReject: method('callReject', 'callID config'),
    callingInvite: method('callingInvite', 'invitees callID config'),
    callJoin: method('callJoin', 'callID config'),
    callQuit: method('callQuit', 'callID config'),
    callEnd: method('callEnd', 'callID config'),
    // queryCallInvitationList({ count, nextFlag })
    queryCallInvitationList: method('queryCallInvitationList', '*'),
  },
  notices: {},
};
