'use strict';
// Call invitations: the server keeps the calls and times them out; its notices are ZIM's
// call events with ZIM's data.

var method = require('../rpc').method;

module.exports = {
  methods: {
    callInvite: method('callInvite', 'invitees config'),
    callCancel: method('callCancel', 'invitees callID config'),
    callAccept: method('callAccept', 'callID config'),
    callReject: method('callReject', 'callID config'),
    callingInvite: method('callingInvite', 'invitees callID config'),
    callJoin: method('callJoin', 'callID config'),
    callQuit: method('callQuit', 'callID config'),
    callEnd: method('callEnd', 'callID config'),
    queryCallInvitationList: method('queryCallInvitationList', '*'),
  },
};
