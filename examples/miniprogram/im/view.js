// Turns ZIM messages into what the chat pages render.
const STATUS = ['sending', 'sent', 'failed']; // ZIMMessageSentStatus

function pad(n) {
  return n < 10 ? '0' + n : '' + n;
}

/** A ZIMMessage as a row of a chat page. */
function messageRow(message, myUserID) {
  const time = new Date(Number(message.timestamp) || Date.now());
  return {
    key: message.messageID && message.messageID !== '0' ? 'm' + message.messageID : 'l' + message.localMessageID,
    mine: message.senderUserID === myUserID,
    sender: message.senderUserID,
    text: typeof message.message === 'string' ? message.message : '[command message]',
    status: STATUS[message.sentStatus] || 'sent',
    time: pad(time.getHours()) + ':' + pad(time.getMinutes()),
  };
}

module.exports = { messageRow: messageRow };
