// A browser chat page on the tinyim package (ESM build), served by tinyim-server in dev
// mode: the page, the package under /tinyim/, the WebSocket at /ws and dev tokens at
// /dev/token all come from the same origin. It chats 1:1, in groups and in rooms, and rings
// other users with ZIM's call invitations (the audio or video itself is the app's to add).
import { ZIM } from '/tinyim/esm/index.js';

const PEER = 0; // ZIMConversationType.Peer
const ROOM = 1; // ZIMConversationType.Room
const GROUP = 2; // ZIMConversationType.Group
const REVOKE = 31; // ZIMMessageType.Revoke
const READ = 2; // ZIMMessageReceiptStatus.Done
const PAGE_SIZE = 20;
const STATES = ['disconnected', 'connecting', 'connected', 'reconnecting']; // ZIMConnectionState

// How long a call rings before the server times it out, seconds (`?callTimeout=` overrides).
const CALL_TIMEOUT = Number(new URLSearchParams(location.search).get('callTimeout')) || 30;
// ZIMCallUserState of the invitee -> what the caller sees: Accepted 1, Rejected 2, Timeout 6.
const ANSWER = { 1: 'accepted', 2: 'rejected', 6: 'timeout' };

const $ = (id) => document.getElementById(id);
let zim = null;
let me = '';
let peer = ''; // the open chat: a user ID, or a group ID when peerType is GROUP
let peerType = PEER;
let oldestPeerMessage = null;
let room = '';
let call = null; // the call on screen: { callID, peer, outgoing, status }
const conversations = new Map(); // key() -> ZIMConversation, as the events left it

/** A conversation's key: a user and a group may have the same ID. */
const key = (id, type) => `${type}:${id}`;

function showError(err) {
  const box = $('error');
  box.textContent = `${err.code}: ${err.message}`;
  box.hidden = false;
  clearTimeout(showError.timer);
  showError.timer = setTimeout(() => (box.hidden = true), 6000);
}

function setStatus(state) {
  const status = $('status');
  status.textContent = `${me} · ${STATES[state]}`;
  status.classList.toggle('reconnecting', state === 3);
}

/** What a message says, as a list shows it. */
function preview(message) {
  if (!message) return '';
  if (message.type === REVOKE) return 'Message revoked';
  return typeof message.message === 'string' ? message.message : '[command]';
}

/** A chat row: the bubble, and under it the time, the read receipt and (own) a revoke link. */
function messageItem(message) {
  const li = document.createElement('li');
  const mine = message.senderUserID === me;
  li.className = (mine ? 'mine' : '') + (message.type === REVOKE ? ' revoked' : '');
  li.dataset.key = message.messageID;
  const bubble = document.createElement('span');
  bubble.className = 'bubble';
  bubble.textContent = preview(message);
  const meta = document.createElement('span');
  meta.className = 'meta';
  const time = new Date(Number(message.timestamp)).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const read = mine && message.receiptStatus === READ ? ' · read' : '';
  meta.textContent = mine ? time + read : `${message.senderUserID} · ${time}`;
  if (mine && message.type !== REVOKE && message.conversationType === PEER) {
    const revoke = document.createElement('button');
    revoke.className = 'link revoke';
    revoke.textContent = 'revoke';
    revoke.addEventListener('click', () =>
      zim.revokeMessage(message).then(({ message: m }) => replace(m), showError),
    );
    meta.append(revoke);
  }
  li.append(bubble, meta);
  return li;
}

/** Shows `message` (revoked, read, edited) in place of the row with its ID, if shown. */
function replace(message) {
  const li = document.querySelector(`#peer-messages li[data-key="${message.messageID}"]`);
  if (li) li.replaceWith(messageItem(message));
}

/** The conversation list: pinned first, newest first, with unread badges. */
function renderConversations() {
  const ul = $('conversations');
  const sorted = [...conversations.values()].sort((a, b) => b.isPinned - a.isPinned || b.orderKey - a.orderKey);
  ul.replaceChildren(
    ...sorted.map((c) => {
      const li = document.createElement('li');
      li.dataset.id = c.conversationID;
      li.dataset.type = String(c.type);
      li.className = key(c.conversationID, c.type) === key(peer, peerType) ? 'open' : '';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = (c.type === GROUP ? '# ' : '') + (c.conversationName || c.conversationID);
      if (c.unreadMessageCount) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = String(c.unreadMessageCount);
        name.append(badge);
      }
      const last = document.createElement('span');
      last.className = 'last';
      last.textContent = preview(c.lastMessage);
      li.append(name, last);
      li.addEventListener('click', () => openPeer(c.conversationID, c.type).catch(showError));
      return li;
    }),
  );
  $('no-conversations').hidden = sorted.length > 0;
}

/** The open chat's messages are read: its count (when it has one) and, for a peer, the receipts. */
function markRead(conversationID, type) {
  const c = conversations.get(key(conversationID, type));
  if (c && c.unreadMessageCount) zim.clearConversationUnreadMessageCount(conversationID, type).catch(showError);
  if (type === PEER) zim.sendConversationMessageReceiptRead(conversationID, PEER).catch(showError);
}

function notice(list, text) {
  const li = document.createElement('li');
  li.className = 'notice';
  li.textContent = text;
  $(list).append(li);
}

function append(list, messages) {
  const ol = $(list);
  for (const m of messages) ol.append(messageItem(m));
  ol.scrollTop = ol.scrollHeight;
}

function enable(formId, on) {
  for (const el of $(formId).querySelectorAll('input, button')) el.disabled = !on;
}

function callText(c) {
  switch (c.status) {
    case 'ringing':
      return c.outgoing ? `Calling ${c.peer}…` : `${c.peer} is calling`;
    case 'accepted':
      return `In a call with ${c.peer}`;
    case 'rejected':
      return c.outgoing ? `${c.peer} declined` : 'Declined';
    case 'cancelled':
      return c.outgoing ? 'Cancelled' : `${c.peer} hung up`;
    default:
      return c.outgoing ? `No answer from ${c.peer}` : `Missed call from ${c.peer}`;
  }
}

function showCall(c) {
  call = c;
  const ringing = c.status === 'ringing';
  $('call-status').textContent = callText(c);
  $('call-accept').hidden = $('call-decline').hidden = !(ringing && !c.outgoing);
  $('call-cancel').hidden = !(ringing && c.outgoing);
  $('call-button').disabled = ringing;
}

/** The call `callID`, if it is the one on screen and still rings, is now `status`. */
function callIs(callID, status) {
  if (call && call.callID === callID && call.status === 'ringing') showCall({ ...call, status });
}

function listenForCalls() {
  zim.on('callInvitationReceived', (_zim, { callID, inviter }) => showCall({ callID, peer: inviter, outgoing: false, status: 'ringing' }));
  zim.on('callInvitationCancelled', (_zim, { callID }) => callIs(callID, 'cancelled'));
  zim.on('callInvitationTimeout', (_zim, { callID }) => callIs(callID, 'timeout'));
  // The caller learns the answer from the invitee's new state.
  zim.on('callUserStateChanged', (_zim, { callID, callUserList }) => {
    if (!call || !call.outgoing || call.callID !== callID) return;
    const invitee = callUserList.find((u) => u.userID === call.peer);
    if (invitee && ANSWER[invitee.state]) callIs(callID, ANSWER[invitee.state]);
  });
}

/** Rings `peer` with a general-mode ZIM call invitation. */
async function ring(peer) {
  const { callID, errorUserList } = await zim.callInvite([peer], { timeout: CALL_TIMEOUT, mode: 0, extendedData: '' });
  if (errorUserList.length) throw { code: errorUserList[0].reason, message: `${peer} is not a known user` };
  showCall({ callID, peer, outgoing: true, status: 'ringing' });
}

async function answer(accept) {
  const { callID } = call;
  await (accept ? zim.callAccept(callID, { extendedData: '' }) : zim.callReject(callID, { extendedData: '' }));
  callIs(callID, accept ? 'accepted' : 'rejected');
}

async function cancel() {
  const { callID, peer } = call;
  await zim.callCancel([peer], callID, { extendedData: '' });
  callIs(callID, 'cancelled');
}

async function fetchToken(userID) {
  const res = await fetch(`/dev/token?user=${encodeURIComponent(userID)}`);
  if (!res.ok) throw { code: res.status, message: `token endpoint: ${await res.text()}` };
  return res.json();
}

async function login(userID) {
  const { token, appID } = await fetchToken(userID);
  ZIM.setAdvancedConfig('server', `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  zim = ZIM.create(Number(appID));
  me = userID;
  zim.on('connectionStateChanged', (_zim, { state }) => setStatus(state));
  zim.on('error', (_zim, err) => showError(err));
  zim.on('tokenWillExpire', async () => {
    try {
      await zim.renewToken((await fetchToken(me)).token);
    } catch (err) {
      showError(err);
    }
  });
  zim.on('peerMessageReceived', (_zim, { messageList, fromConversationID }) => {
    if (peerType !== PEER || fromConversationID !== peer) return; // the conversation list shows it
    append('peer-messages', messageList);
    zim.sendConversationMessageReceiptRead(peer, PEER).catch(showError);
  });
  zim.on('groupMessageReceived', (_zim, { messageList, fromConversationID }) => {
    if (peerType === GROUP && fromConversationID === peer) append('peer-messages', messageList);
  });
  zim.on('conversationChanged', (_zim, { infoList }) => {
    for (const { event, conversation } of infoList) {
      const k = key(conversation.conversationID, conversation.type);
      if (event === 3) conversations.delete(k);
      else conversations.set(k, conversation);
      // A message into the open chat is read as it arrives.
      if (k === key(peer, peerType) && conversation.unreadMessageCount) {
        zim.clearConversationUnreadMessageCount(peer, peerType).catch(showError);
      }
    }
    renderConversations();
  });
  zim.on('conversationTotalUnreadMessageCountUpdated', (_zim, { totalUnreadMessageCount }) => {
    $('total').textContent = String(totalUnreadMessageCount);
    $('total').hidden = !totalUnreadMessageCount;
  });
  // Receipts: a message read by message, or everything sent before the conversation was read.
  zim.on('messageReceiptChanged', (_zim, { infos }) => {
    for (const info of infos) {
      const li = document.querySelector(`#peer-messages li.mine[data-key="${info.messageID}"] .meta`);
      if (li && !/read/.test(li.firstChild.textContent)) li.firstChild.textContent += ' · read';
    }
  });
  zim.on('conversationMessageReceiptChanged', (_zim, { infos }) => {
    if (!infos.some((i) => i.conversationID === peer)) return;
    for (const meta of document.querySelectorAll('#peer-messages li.mine:not(.revoked) .meta')) {
      if (!/read/.test(meta.firstChild.textContent)) meta.firstChild.textContent += ' · read';
    }
  });
  zim.on('messageRevokeReceived', (_zim, { messageList }) => messageList.forEach(replace));
  zim.on('roomMessageReceived', (_zim, { messageList, fromConversationID }) => {
    if (fromConversationID === room) append('room-messages', messageList);
  });
  zim.on('roomMemberJoined', (_zim, { roomID, memberList }) => {
    if (roomID !== room) return;
    notice('room-messages', `${memberList.map((m) => m.userID).join(', ')} joined`);
    refreshRoomCount();
  });
  zim.on('roomMemberLeft', (_zim, { roomID, memberList }) => {
    if (roomID !== room) return;
    notice('room-messages', `${memberList.map((m) => m.userID).join(', ')} left`);
    refreshRoomCount();
  });
  listenForCalls();
  await zim.login({ userID, userName: userID }, token);
  const { conversationList } = await zim.queryConversationList({ count: 100 });
  for (const c of conversationList) conversations.set(key(c.conversationID, c.type), c);
  renderConversations();
  $('login').hidden = true;
  $('chat').hidden = false;
  document.title = `tinyim · ${userID}`;
}

/** History pages back from the newest message, each page listed oldest first (as ZIM does). */
async function loadEarlier() {
  const res = await zim.queryHistoryMessage(peer, peerType, { nextMessage: oldestPeerMessage, count: PAGE_SIZE, reverse: true });
  if (res.messageList.length) oldestPeerMessage = res.messageList[0];
  const ol = $('peer-messages');
  const first = ol.firstChild;
  for (const m of res.messageList) ol.insertBefore(messageItem(m), first);
  $('load-earlier').hidden = res.messageList.length < PAGE_SIZE;
}

async function openPeer(peerID, type = PEER) {
  peer = peerID;
  peerType = type;
  oldestPeerMessage = null;
  $('peer-messages').replaceChildren();
  $('peer-title').textContent = type === GROUP ? `Group #${peerID}` : `Chatting with ${peerID}`;
  enable('peer-composer', true);
  renderConversations();
  await loadEarlier();
  const ol = $('peer-messages');
  ol.scrollTop = ol.scrollHeight;
  markRead(peerID, type);
}

/** Creates group `groupID` with the members typed (comma or space separated), or, with none
 * typed, joins it; then opens its chat. */
async function createOrJoinGroup(groupID, membersText) {
  const members = membersText.split(/[\s,]+/).filter(Boolean);
  if (members.length) {
    const { errorUserList } = await zim.createGroup({ groupID, groupName: groupID }, members);
    if (errorUserList.length) showError({ code: errorUserList[0].reason, message: `not added: ${errorUserList[0].userID}` });
  } else {
    await zim.joinGroup(groupID);
  }
  await openPeer(groupID, GROUP);
}

async function refreshRoomCount() {
  const { count } = await zim.queryRoomOnlineMemberCount(room);
  $('room-title').textContent = `#${room} · ${count} online`;
}

async function toggleRoom(roomID) {
  if (room) {
    await zim.leaveRoom(room);
    notice('room-messages', `You left #${room}`);
    room = '';
    $('room-title').textContent = 'Not in a room.';
    $('room-button').textContent = 'Enter';
    enable('room-composer', false);
    return;
  }
  await zim.enterRoom({ roomID, roomName: roomID });
  room = roomID;
  $('room-messages').replaceChildren();
  $('room-button').textContent = 'Leave';
  enable('room-composer', true);
  await refreshRoomCount();
}

async function send(text, to, type, list) {
  // Peer messages ask for a read receipt.
  const config = { priority: 1, hasReceipt: type === PEER };
  const { message } = await zim.sendMessage({ type: 1, message: text }, to, type, config);
  append(list, [message]);
}

function onSubmit(formId, handler) {
  $(formId).addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await handler();
    } catch (err) {
      showError(err.code !== undefined ? err : { code: -1, message: String(err) });
    }
  });
}

onSubmit('login-form', () => login($('user-id').value.trim()));
onSubmit('peer-form', () => openPeer($('peer-id').value.trim()));
onSubmit('room-form', () => toggleRoom($('room-id').value.trim()));
onSubmit('group-form', () => createOrJoinGroup($('group-id').value.trim(), $('group-members').value));
onSubmit('peer-composer', async () => {
  const input = $('peer-text');
  const text = input.value;
  input.value = '';
  if (text) await send(text, peer, peerType, 'peer-messages');
});
onSubmit('room-composer', async () => {
  const input = $('room-text');
  const text = input.value;
  input.value = '';
  if (text) await send(text, room, ROOM, 'room-messages');
});
$('load-earlier').addEventListener('click', () => loadEarlier().catch(showError));
onSubmit('call-form', () => ring($('call-peer').value.trim()));
$('call-accept').addEventListener('click', () => answer(true).catch(showError));
$('call-decline').addEventListener('click', () => answer(false).catch(showError));
$('call-cancel').addEventListener('click', () => cancel().catch(showError));
