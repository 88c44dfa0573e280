'use strict';
// Media messages in the strict stand-in against the real server, in both callback styles:
// an image to a peer and a file to a group (then audio and video), each sent from a local file the phone holds
// (wx.uploadFile, with upload progress), received with ZIM's media fields, downloaded by the
// receiver (wx.downloadFile, with download progress) to the same bytes; an oversized image
// refused with ZIM's FileSizeInvalid; the file endpoint refusing a bad token.

const test = require('node:test');
const assert = require('node:assert/strict');
const { app, server, plain, rejectsWith, waitFor } = require('./harness');

const PEER = 0;
const GROUP = 2;
const EVENTS = ['receivePeerMessage', 'peerMessageReceived', 'receiveGroupMessage', 'groupMessageReceived', 'error'];
const IMAGE_CAP = 200000;

// The messages `d` received, from the style's own event of `kind` ('Peer' / 'Group').
function received(d, style, kind) {
  const name = style === '1.x' ? 'receive' + kind + 'Message' : kind.toLowerCase() + 'MessageReceived';
  return d.all(name).flatMap((args) => (style === '1.x' ? args[0] : args[0].messageList));
}

function bytes(n, seed) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 255;
  return b;
}

for (const style of ['1.x', '2.x']) {
  test(`media messages (${style}): image to a peer, file to a group, download, caps, tokens`, async (t) => {
    const srv = await server(t, { args: ['--max-upload-bytes', 'image=' + IMAGE_CAP] });
    const alice = await app(t, srv, 'alice', style, EVENTS);
    const bob = await app(t, srv, 'bob', style, EVENTS);
    const carol = await app(t, srv, 'carol', style, EVENTS);
    await alice.zim.createGroup({ groupID: 'team', groupName: 'Team' }, ['bob', 'carol']);

    // An image to bob, from a file alice's phone holds (as wx.chooseMedia gives it).
    const picture = bytes(150000, 7);
    const imagePath = alice.phone.addTempFile(picture, 'png');
    const progress = [];
    let attached = null;
    const sent = plain(
      await alice.zim.sendMediaMessage(
        { type: 11, fileLocalPath: imagePath, originalImageWidth: 640, originalImageHeight: 480, extendedData: 'x' },
        'bob',
        PEER,
        { priority: 1 },
        {
          onMessageAttached: (m) => (attached = plain(m)),
          onMediaUploadingProgress: (m, current, total) => progress.push([m.type, current, total]),
        },
      ),
    ).message;
    assert.equal(sent.type, 11);
    assert.equal(sent.sentStatus, 1);
    assert.match(sent.fileUID, /^[0-9a-f]{32}$/);
    assert.equal(sent.fileDownloadUrl, srv.url.replace(/^ws/, 'http').replace(/\/ws$/, '') + '/files/' + srv.appID + '/' + sent.fileUID);
    assert.equal(sent.fileSize, picture.length);
    assert.equal(sent.fileLocalPath, imagePath, 'the sender keeps its local path');
    assert.equal(attached && attached.type, 11, 'onMessageAttached got the message');
    assert.ok(progress.length >= 2, 'upload progress: ' + JSON.stringify(progress));
    const last = progress[progress.length - 1];
    assert.equal(last[1], last[2], 'the last progress is complete');
    assert.ok(last[2] >= picture.length);
    assert.ok(progress.every((p, i) => p[0] === 11 && (i === 0 || p[1] >= progress[i - 1][1])), 'progress only grows');

    await waitFor(() => received(bob, style, 'Peer').length === 1, 'bob gets the image');
    const img = received(bob, style, 'Peer')[0];
    for (const k of ['type', 'fileUID', 'fileDownloadUrl', 'fileSize', 'messageID']) assert.equal(img[k], sent[k], k);
    assert.equal(img.fileName, imagePath.split('/').pop());
    assert.equal(img.originalImageWidth, 640);
    assert.equal(img.originalImageHeight, 480);
    assert.equal(img.thumbnailDownloadUrl, sent.fileDownloadUrl, 'no thumbnails made: the original');
    assert.equal(img.largeImageDownloadUrl, sent.fileDownloadUrl);
    assert.equal(img.extendedData, 'x');
    assert.equal(img.direction, 1);
    assert.equal(img.fileLocalPath, undefined, 'not downloaded yet');

    const down = [];
    const got = plain(await bob.zim.downloadMediaFile(img, 1, {}, (m, current, total) => down.push([current, total])));
    assert.ok(got.message.fileLocalPath.startsWith('wxfile://'), got.message.fileLocalPath);
    assert.deepEqual(bob.phone.readTempFile(got.message.fileLocalPath), picture, 'the same bytes');
    assert.ok(down.length >= 1 && down[down.length - 1][0] === picture.length, 'download progress: ' + JSON.stringify(down));
    // The thumbnail is the original too.
    const thumb = plain(await bob.zim.downloadMediaFile(img, 3, {}, () => {}));
    assert.deepEqual(bob.phone.readTempFile(thumb.message.thumbnailLocalPath), picture);

    // A file to the group: every member gets it with its name and size; carol downloads it.
    const doc = bytes(70000, 3);
    const docPath = alice.phone.addTempFile(doc, 'txt');
    const sentDoc = plain(await alice.zim.sendMediaMessage({ type: 12, fileLocalPath: docPath, fileName: 'notes.txt' }, 'team', GROUP, { priority: 1 })).message;
    assert.equal(sentDoc.conversationType, GROUP);
    for (const d of [bob, carol]) {
      await waitFor(() => received(d, style, 'Group').length === 1, 'the group gets the file');
      const f = received(d, style, 'Group')[0];
      assert.equal(f.type, 12);
      assert.equal(f.fileName, 'notes.txt');
      assert.equal(f.fileSize, doc.length);
      assert.equal(f.fileUID, sentDoc.fileUID);
    }
    const f = received(carol, style, 'Group')[0];
    const fileGot = plain(await carol.zim.downloadMediaFile(f, 1, {}, () => {}));
    assert.deepEqual(carol.phone.readTempFile(fileGot.message.fileLocalPath), doc);

    // Audio and video to bob, with their durations; a video without a first frame has no
    // URL for it.
    const voice = alice.phone.addTempFile(bytes(5000, 5), 'mp3');
    const clip = alice.phone.addTempFile(bytes(9000, 9), 'mp4');
    await alice.zim.sendMediaMessage({ type: 13, fileLocalPath: voice, audioDuration: 12 }, 'bob', PEER, { priority: 1 });
    await alice.zim.sendMediaMessage({ type: 14, fileLocalPath: clip, videoDuration: 34 }, 'bob', PEER, { priority: 1 });
    await waitFor(() => received(bob, style, 'Peer').length === 3, 'bob gets audio and video');
    const [audio, video] = received(bob, style, 'Peer').slice(1);
    assert.deepEqual([audio.type, audio.audioDuration, audio.fileSize], [13, 12, 5000]);
    assert.deepEqual([video.type, video.videoDuration, video.fileSize], [14, 34, 9000]);
    const clipGot = plain(await bob.zim.downloadMediaFile(video, 1, {}, () => {}));
    assert.deepEqual(bob.phone.readTempFile(clipGot.message.fileLocalPath), bytes(9000, 9));
    await rejectsWith(bob.zim.downloadMediaFile(video, 4, {}, () => {}), 6000219);

    // History and the conversation show media messages as chat messages.
    const history = plain(await bob.zim.queryHistoryMessage('alice', PEER, { count: 10, reverse: true }));
    assert.deepEqual(history.messageList.map((m) => m.type), [11, 13, 14]);
    assert.equal(history.messageList[0].fileUID, sent.fileUID);
    const convs = plain(await bob.zim.queryConversationList({ count: 10 })).conversationList;
    const withAlice = convs.find((c) => c.conversationID === 'alice');
    assert.equal(withAlice.unreadMessageCount, 3);
    assert.equal(withAlice.lastMessage.type, 14);
    assert.equal(withAlice.lastMessage.videoDuration, 34);

    // An image over the server's cap: refused with ZIM's FileSizeInvalid, nothing sent.
    const huge = alice.phone.addTempFile(bytes(IMAGE_CAP + 1, 1), 'png');
    await rejectsWith(alice.zim.sendMediaMessage({ type: 11, fileLocalPath: huge }, 'bob', PEER, {}), 6000214);
    // No file, or no such file: refused before anything is sent.
    await rejectsWith(alice.zim.sendMediaMessage({ type: 12 }, 'bob', PEER, {}), 6000001);
    await rejectsWith(alice.zim.sendMediaMessage({ type: 1, fileLocalPath: docPath }, 'bob', PEER, {}), 6000001);
    await rejectsWith(alice.zim.sendMediaMessage({ type: 12, fileLocalPath: 'wxfile://tmp_404.txt' }, 'bob', PEER, {}), 6000211);
    // A message with no URL, or a URL with nothing there.
    await rejectsWith(bob.zim.downloadMediaFile({ type: 12 }, 1, {}, () => {}), 6000219);
    await rejectsWith(bob.zim.downloadMediaFile(Object.assign({}, img, { fileDownloadUrl: img.fileDownloadUrl.replace(/[0-9a-f]{4}$/, '0000') }), 1, {}, () => {}), 6000219);
    // An upload with a bad token is refused by the file endpoint (401, FilePermissionDenied).
    const refused = await new Promise((resolve) => {
      alice.phone.context.wx.uploadFile({
        url: sent.fileDownloadUrl.replace(/\/files\/.*/, '') + '/files?appID=' + srv.appID + '&userID=alice&type=12',
        filePath: docPath,
        name: 'file',
        header: { Authorization: 'Bearer 04bad' },
        success: resolve,
        fail: (e) => resolve({ statusCode: 0, data: e.errMsg }),
      });
    });
    assert.equal(refused.statusCode, 401, refused.data);
    assert.equal(JSON.parse(refused.data).code, 6000216);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(received(bob, style, 'Peer').length, 3, 'nothing else reached bob');
  });
}
