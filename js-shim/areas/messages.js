'use strict';
// Messages beyond sending: query, delete, receipts, revoke, edit, and the local store the
// core keeps on the device (docs/areas/messages.md).

var rpc = require('../rpc');
var key = 'conversationID conversationType';
var methods = rpc.methods({
  queryMessages: 'messageSeqs ' + key,
  deleteMessages: 'messageList ' + key + ' *',
  deleteAllMessage: key + ' *',
  deleteAllConversationMessages: '*',
  sendMessageReceiptsRead: 'messageList ' + key,
  sendConversationMessageReceiptRead: key,
  queryMessageReceiptsInfo: 'messageList ' + key,
  revokeMessage: 'message *',
  editMessage: 'message',
  insertMessageToLocalDB: 'message ' + key + ' senderUserID',
  cancelSendingMessage: 'message *',
});

// ZIM resolves with the message itself, its localExtendedData updated.
var setLocal = rpc.method('updateMessageLocalExtendedData', 'localExtendedData message');
methods.updateMessageLocalExtendedData = function (data, message) {
  return setLocal.call(this, data, message).then(function () {
    if (message && typeof message === 'object') message.localExtendedData = data;
    return { message: message };
  });
};

module.exports = { methods: methods, notices: {} };
