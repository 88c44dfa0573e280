'use strict';
// The browser demo (examples/web) as a person uses it: tinyim-server in dev mode serves the
// staged demo (`make web`: target/web, the page at / and the package at /tinyim/), and two
// Chromium contexts log in as alice and bob by typing and clicking, see the conversation
// list with unread badges, chat both ways with read receipts, revoke a message, share a
// room, and leave a screenshot at target/web-demo.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { startServer } = require('../js/server');

const WEB = path.join(__dirname, '..', '..', 'target', 'web');
const SHOT = path.join(__dirname, '..', '..', 'target', 'web-demo.png');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The staged demo served by a dev-mode server, in Chromium: returns `open(user, query)`, which
// logs `user` in on a page of its own (the page at / with `query`) and resolves to the page.
async function demo(t) {
  assert.ok(fs.existsSync(path.join(WEB, 'index.html')), 'run `make web` first');
  const srv = await startServer({ dev: true, args: ['--static-dir', WEB] });
  t.after(() => srv.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  t.after(() => browser.close());
  const origin = `http://127.0.0.1:${srv.port}/`;
  return async (user, query) => {
    const ctx = await browser.newContext({ viewport: { width: 1100, height: 640 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    t.after(() => assert.deepEqual(errors, [], user + ' page errors'));
    await page.goto(origin + (query || ''));
    await page.fill('#user-id', user);
    await page.click('#login-form button');
    await page.waitForSelector('#chat:not([hidden])');
    await page.waitForFunction(() => /connected$/.test(document.getElementById('status').textContent));
    return page;
  };
}

test('web demo: conversations with unread badges, 1:1 chat with receipts and revoke, a room', async (t) => {
  const open = await demo(t);
  const alice = await open('alice');
  const bob = await open('bob');

  const say = async (page, form, text) => {
    await page.fill(`#${form} input`, text);
    await page.click(`#${form} button`);
  };
  const bubbles = (page, list) => page.$$eval(`#${list} li:not(.notice) .bubble`, (els) => els.map((e) => e.textContent));

  const conversation = (page, id) =>
    page.$eval(`#conversations li[data-id="${id}"]`, (li) => [li.querySelector('.badge')?.textContent || '', li.querySelector('.last').textContent]);

  // Alice opens a chat with bob and writes twice; bob's list shows her with 2 unread.
  await say(alice, 'peer-form', 'bob');
  await say(alice, 'peer-composer', 'Hi Bob!');
  await say(alice, 'peer-composer', 'Lunch at noon?');
  await alice.waitForFunction(() => document.querySelectorAll('#peer-messages li.mine').length === 2);
  await bob.waitForSelector('#conversations li[data-id="alice"] .badge');
  await bob.waitForFunction(() => document.querySelector('#conversations li[data-id="alice"] .badge').textContent === '2');
  assert.deepEqual(await conversation(bob, 'alice'), ['2', 'Lunch at noon?']);
  assert.equal(await bob.textContent('#total'), '2');

  // Bob opens it from the list: the badge goes (read on the server), alice sees "read".
  await bob.click('#conversations li[data-id="alice"]');
  await bob.waitForFunction(() => document.querySelectorAll('#peer-messages li:not(.notice)').length === 2);
  assert.deepEqual(await bubbles(bob, 'peer-messages'), ['Hi Bob!', 'Lunch at noon?']);
  await bob.waitForFunction(() => !document.querySelector('#conversations li[data-id="alice"] .badge'));
  assert.equal(await bob.isHidden('#total'), true);
  await alice.waitForFunction(() => [...document.querySelectorAll('#peer-messages li.mine .meta')].every((m) => /read/.test(m.textContent)));

  // Bob replies; alice, with the chat open, sees it at once.
  await say(bob, 'peer-composer', 'Sure, see you there.');
  await alice.waitForFunction(() => document.querySelectorAll('#peer-messages li:not(.notice)').length === 3);
  assert.deepEqual(await bubbles(alice, 'peer-messages'), ['Hi Bob!', 'Lunch at noon?', 'Sure, see you there.']);
  await alice.waitForFunction(() => !document.querySelector('#conversations li[data-id="bob"] .badge'));

  // Alice writes to the wrong chat and revokes it: bob's chat and list show it revoked.
  await say(alice, 'peer-composer', 'oops, not for you');
  await bob.waitForFunction(() => document.querySelectorAll('#peer-messages li:not(.notice)').length === 4);
  await alice.click('#peer-messages li.mine:last-child .revoke');
  await bob.waitForFunction(() => document.querySelector('#peer-messages li:last-child').classList.contains('revoked'));
  assert.deepEqual((await bubbles(bob, 'peer-messages')).slice(-1), ['Message revoked']);
  await bob.waitForFunction(() => document.querySelector('#conversations li[data-id="alice"] .last').textContent === 'Message revoked');
  await alice.waitForFunction(() => document.querySelector('#peer-messages li:last-child').classList.contains('revoked'));

  // Both enter room "lobby"; a message from bob reaches alice; the count says 2 online.
  await say(alice, 'room-form', 'lobby');
  await alice.waitForFunction(() => /#lobby · 1 online/.test(document.getElementById('room-title').textContent));
  await say(bob, 'room-form', 'lobby');
  await alice.waitForFunction(() => /#lobby · 2 online/.test(document.getElementById('room-title').textContent));
  await say(bob, 'room-composer', 'Hello, lobby');
  await alice.waitForFunction(() => document.querySelectorAll('#room-messages li:not(.notice)').length === 1);
  assert.deepEqual(await bubbles(alice, 'room-messages'), ['Hello, lobby']);
  assert.match(await alice.textContent('#room-messages'), /bob joined/);

  fs.mkdirSync(path.dirname(SHOT), { recursive: true });
  // A page that is not in front may get no new frame to capture: bring it forward first.
  await alice.bringToFront();
  await alice.screenshot({ path: SHOT });
});

test('web demo: a group: create it with a member, chat both ways, the list shows it with its unread badge', async (t) => {
  const open = await demo(t);
  const alice = await open('alice');
  const bob = await open('bob');
  const bubbles = (page) => page.$$eval('#peer-messages li:not(.notice) .bubble', (els) => els.map((e) => e.textContent));

  // Alice creates "team" with bob: its chat opens; she writes twice.
  await alice.fill('#group-id', 'team');
  await alice.fill('#group-members', 'bob');
  await alice.click('#group-form button');
  await alice.waitForFunction(() => document.getElementById('peer-title').textContent === 'Group #team');
  for (const text of ['Hello team', 'Standup at 10']) {
    await alice.fill('#peer-composer input', text);
    await alice.click('#peer-composer button');
  }
  await alice.waitForFunction(() => document.querySelectorAll('#peer-messages li.mine').length === 2);

  // Bob's list shows the group with 2 unread; opening it shows both and clears the badge.
  await bob.waitForFunction(() => document.querySelector('#conversations li[data-id="team"][data-type="2"] .badge')?.textContent === '2');
  assert.equal(await bob.textContent('#conversations li[data-id="team"] .name'), '# team2');
  await bob.click('#conversations li[data-id="team"]');
  await bob.waitForFunction(() => document.querySelectorAll('#peer-messages li:not(.notice)').length === 2);
  assert.deepEqual(await bubbles(bob), ['Hello team', 'Standup at 10']);
  await bob.waitForFunction(() => !document.querySelector('#conversations li[data-id="team"] .badge'));

  // Bob answers in the group; alice sees it live with his name.
  await bob.fill('#peer-composer input', 'On my way');
  await bob.click('#peer-composer button');
  await alice.waitForFunction(() => document.querySelectorAll('#peer-messages li:not(.notice)').length === 3);
  assert.deepEqual((await bubbles(alice)).slice(-1), ['On my way']);
  assert.match(await alice.textContent('#peer-messages li:last-child .meta'), /^bob · /);
});

test('web demo: ring another user: accepted, declined, cancelled, no answer', async (t) => {
  const open = await demo(t);
  // Alice's calls ring for 1 s, so that "no answer" comes quickly.
  const alice = await open('alice', '?callTimeout=1');
  const bob = await open('bob');
  const shows = (page, text) => page.waitForFunction((t) => document.getElementById('call-status').textContent === t, text);
  const ring = async () => {
    await alice.fill('#call-peer', 'bob');
    await alice.click('#call-button');
    await shows(alice, 'Calling bob…');
    await shows(bob, 'alice is calling');
  };

  await ring();
  await bob.click('#call-accept');
  await shows(bob, 'In a call with alice');
  await shows(alice, 'In a call with bob');

  await ring();
  await bob.click('#call-decline');
  await shows(alice, 'bob declined');

  await ring();
  await alice.click('#call-cancel');
  await shows(alice, 'Cancelled');
  await shows(bob, 'alice hung up');

  await ring();
  await shows(alice, 'No answer from bob');
  await shows(bob, 'Missed call from alice');
  assert.equal(await alice.isHidden('#call-cancel'), true);
});
