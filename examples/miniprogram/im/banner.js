// The connection banner every page shows: empty while connected.
// States are ZIMConnectionState: Disconnected 0, Connecting 1, Connected 2, Reconnecting 3.
function text(connectionState) {
  switch (connectionState) {
    case 3:
      return 'Connection lost, reconnecting…';
    case 1:
      return 'Connecting…';
    case 0:
      return 'Disconnected';
    default:
      return '';
  }
}

module.exports = { text: text };
