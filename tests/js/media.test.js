'use strict';
// Media messages from Node through the installed tarball (the fetch + FormData transport):
// a file sent from a path on disk and one from bytes, upload progress, the file downloaded
// again to a local file with the same bytes, an oversized one refused with ZIM's code.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { createRequire } = require('node:module');
const { startServer } = require('./server');
const { installProject } = require('./packed');

test('Node: sendMediaMessage from a path and from bytes, downloadMediaFile to a local file', async (t) => {
  const srv = await startServer({ args: ['--max-upload-bytes', 'file=100000'] });
  t.after(() => srv.close());
  const dir = installProject(t, true);
  const { ZIM, ZIMConversationType, ZIMMessageType, ZIMMediaFileType } = createRequire(path.join(dir, 'index.js'))('tinyim');
  ZIM.setAdvancedConfig('server', srv.url);
  const zim = ZIM.create({ appID: srv.appID });
  t.after(() => zim.destroy());
  await zim.login('alice', { userName: 'Alice', token: srv.token('alice') });

  const bytes = Buffer.alloc(50000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13) & 255;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tinyim-media-')), 'report.pdf');
  fs.writeFileSync(file, bytes);
  t.after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  const progress = [];
  const { message } = await zim.sendMediaMessage({ type: ZIMMessageType.File, fileLocalPath: file }, 'bob', ZIMConversationType.Peer, { priority: 1 }, {
    onMediaUploadingProgress: (m, current, total) => progress.push([current, total]),
  });
  assert.equal(message.type, 12);
  assert.equal(message.fileName, 'report.pdf');
  assert.equal(message.fileSize, bytes.length);
  assert.match(message.fileDownloadUrl, /^http:\/\/127\.0\.0\.1:\d+\/files\/\d+\/[0-9a-f]{32}$/);
  assert.deepEqual(progress[progress.length - 1], [bytes.length, bytes.length]);

  const got = await zim.downloadMediaFile(message, ZIMMediaFileType.OriginalFile, {}, () => {});
  assert.ok(fs.existsSync(got.message.fileLocalPath), got.message.fileLocalPath);
  assert.deepEqual(fs.readFileSync(got.message.fileLocalPath), bytes);
  fs.rmSync(got.message.fileLocalPath);

  // Bytes instead of a path, as an image.
  const img = await zim.sendMediaMessage({ type: ZIMMessageType.Image, fileLocalPath: new Uint8Array([1, 2, 3]), fileName: 'dot.png' }, 'bob', ZIMConversationType.Peer, { priority: 1 });
  assert.equal(img.message.fileSize, 3);
  assert.equal(img.message.thumbnailDownloadUrl, img.message.fileDownloadUrl);

  // The history has both, with their fields.
  const history = await zim.queryHistoryMessage('bob', ZIMConversationType.Peer, { count: 10, reverse: true });
  assert.deepEqual(history.messageList.map((m) => [m.type, m.fileName]), [[12, 'report.pdf'], [11, 'dot.png']]);

  // Over the server's file cap: FileSizeInvalid.
  await assert.rejects(
    zim.sendMediaMessage({ type: ZIMMessageType.File, fileLocalPath: new Uint8Array(100001) }, 'bob', ZIMConversationType.Peer, { priority: 1 }),
    (e) => e.code === 6000214,
  );
  zim.logout();
});
