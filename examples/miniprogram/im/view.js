// Turns ZIM messages and conversations into what the pages render.
const STATUS = ['sending', 'sent', 'failed']; // ZIMMessageSentStatus
const REVOKE = 31; // ZIMMessageType.Revoke
const READ = 2; // ZIMMessageReceiptStatus.Done

function pad(n) {
  return n < 10 ? '0' + n : '' + n;
}

/** What a message says in a list. */
function preview(message) {
  if (!message) return '';
  if (message.type === REVOKE) return 'Message revoked';
  return typeof message.message === 'string' ? message.message : '[command message]';
}

/** A ZIMMessage as a row of a chat page: own messages show sending / sent / read / failed. */
function messageRow(message, myUserID) {
  const time = new Date(Number(message.timestamp) || Date.now());
  const mine = message.senderUserID === myUserID;
  let status = STATUS[message.sentStatus] || 'sent';
  if (status === 'sent' && message.receiptStatus === READ) status = 'read';
  return {
    key: message.messageID && message.messageID !== '0' ? 'm' + message.messageID : 'l' + message.localMessageID,
    mine: mine,
    sender: message.senderUserID,
    text: preview(message),
    status: status,
    revoked: message.type === REVOKE,
    canRevoke: mine && message.type !== REVOKE && status !== 'sending' && status !== 'failed',
    time: pad(time.getHours()) + ':' + pad(time.getMinutes()),
  };
}

/** A ZIMConversation as a row of the conversation list (with its unread badge). */
function conversationRow(c) {
  return {
    key: c.type + ':' + c.conversationID,
    conversationID: c.conversationID,
    type: c.type,
    group: c.type === 2,
    name: c.conversationName || c.conversationID,
    lastMessage: preview(c.lastMessage),
    unread: c.unreadMessageCount,
    pinned: c.isPinned,
  };
}

module.exports = { messageRow: messageRow, conversationRow: conversationRow };
