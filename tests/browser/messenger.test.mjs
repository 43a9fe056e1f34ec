// The messenger in a real browser: signing up and in through the forms, two
// people befriending each other and chatting live (Korean, emoji, an image),
// read receipts ("1 unread"), and a long room's history loading as one
// scrolls up. Each person is a browser context of one Chromium; the server
// is the real binary. Run: node --test --test-concurrency=1 tests/browser/
//
// Timing: no sleeps; every wait is a condition with a deadline (browser.mjs).
// The one figure measured (page load -> first message visible) is printed,
// never asserted.

import assert from 'node:assert/strict';

import {
  DESKTOP, PHONE, assertOnceInOrder, befriendViaApi, browserTest, eventually,
  expectMessenger, roomMessagesViaApi, sendViaApi, uniqueTag, useBrowserAndServer,
} from '../support/browser.mjs';
import { makeImage } from '../support/images.mjs';

const env = useBrowserAndServer();

function png(name = 'photo.png', width = 96, height = 64) {
  return { name, mimeType: 'image/png', buffer: makeImage('png', width, height) };
}

for (const viewport of [PHONE, DESKTOP]) {
  const size = `${viewport.width}x${viewport.height}`;

  browserTest(`sign-up and sign-in through the forms at ${size}`, env, async (scene) => {
    const tag = uniqueTag();
    const first = await scene.person('signup', { viewport });
    const name = `Form 사용자 ${tag}`;
    await first.signUpInUi({ name });

    // The page's session is the new account.
    const session = await first.context.request.get('/api/v1/auth/session');
    assert.equal(session.status(), 200, await session.text());
    const body = await session.json();
    assert.equal(body.user.name, name);
    assert.equal(body.user.email, first.email);

    // Another device: a wrong password is refused in words, the right one
    // signs in.
    const second = await scene.person('signin', { viewport });
    await second.page.goto('/');
    await second.page.getByLabel('Email', { exact: true }).fill(first.email);
    await second.page.getByLabel('Password', { exact: true }).fill('not the password');
    await second.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await second.page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await second.signInInUi({ email: first.email, password: first.password });
    const again = await second.context.request.get('/api/v1/auth/session');
    assert.equal(again.status(), 200);
    assert.equal((await again.json()).user.id, body.user.id);
  });
}

browserTest('two people befriend each other and chat live: Korean, emoji and an image', env, async (scene, t) => {
  const tag = uniqueTag();
  // A on a phone, B on a laptop: both layouts carry a live chat.
  const a = await scene.person('A', { viewport: PHONE });
  const b = await scene.person('B', { viewport: DESKTOP });
  await a.signUpInUi({ name: `Alice ${tag}` });
  await expectMessenger(a);
  await b.signUpInUi({ name: `김민준 ${tag}` });

  await a.addFriend(b);
  await b.addFriend(a);

  const roomId = await a.openChatWith(b);
  assert.ok(roomId, 'the room id is in the URL (#/chats/<id>)');
  const sentinel = await a.page.evaluate(() => { window.__noReload = Math.random(); return window.__noReload; });
  const sentinelB = await b.page.evaluate(() => { window.__noReload = Math.random(); return window.__noReload; });

  const hello = `안녕하세요 👋 ${tag}`;
  await a.sendText(hello);
  const mine = await a.waitForMessage(hello);
  assert.equal(mine.mine, true, "A's own message is on the right (class mine)");

  // B finds the room in the chats list, with the preview and the badge.
  await b.go('Chats');
  const entry = b.roomLink(a.name);
  await entry.filter({ hasText: hello }).waitFor();
  await entry.getByLabel('1 unread').or(entry.getByText('1 unread')).first().waitFor();
  const bRoom = await b.openRoomFromList(a.name);
  assert.equal(bRoom, roomId, 'B is in the same room');
  const theirs = await b.waitForMessage(hello);
  assert.equal(theirs.mine, false, "A's message is on the left in B's page");

  // Replies arrive live both ways, no reload.
  const reply = `반가워요 Alice 😀🎉 ${tag}`;
  await b.sendText(reply);
  assert.equal((await b.waitForMessage(reply)).mine, true);
  assert.equal((await a.waitForMessage(reply)).mine, false);

  // An image from A: a thumbnail in both pages, loaded.
  await a.sendImage(png());
  const loadedImage = (m) => m.images.length > 0 && m.images.every((i) => i.loaded);
  const imgA = await eventually(async () => (await a.messages()).find(loadedImage), {
    message: "A's image shown in A's page",
    describe: async () => (await a.messages()).slice(-3),
  });
  assert.equal(imgA.mine, true);
  await eventually(async () => (await b.messages()).find((m) => loadedImage(m) && !m.mine), {
    message: "A's image shown live in B's page",
    describe: async () => (await b.messages()).slice(-3),
  });
  // And one back from B.
  await b.sendImage(png('back.png', 48, 80));
  await eventually(async () => (await a.messages()).filter(loadedImage).length === 2, {
    message: "B's image shown in A's page (two images)",
    describe: async () => (await a.messages()).slice(-3),
  });

  const last = `마지막 ✨ ${tag}`;
  await a.sendText(last);
  await b.waitForMessage(last);

  // Both pages hold every message once, in the server's seq order.
  const stored = await roomMessagesViaApi(a.api, roomId);
  const texts = stored.filter((m) => m.type === 'text').map((m) => m.text);
  assert.deepEqual(texts, [hello, reply, last]);
  for (const p of [a, b]) {
    await eventually(async () => (await p.messages()).filter(loadedImage).length === 2, { message: `${p.label}: two images` });
    assertOnceInOrder(await p.messages(), texts, `${p.label}'s page`);
  }
  assert.equal(await a.page.evaluate(() => window.__noReload), sentinel, "A's page was never reloaded");
  assert.equal(await b.page.evaluate(() => window.__noReload), sentinelB, "B's page was never reloaded");
});

browserTest('read receipts: "1 unread" beside a message goes when the other opens the room', env, async (scene, t) => {
  const tag = uniqueTag();
  const a = await scene.person('A', { viewport: DESKTOP });
  const b = await scene.person('B', { viewport: PHONE });
  await a.signUpByApi({ name: `Reader A ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `읽는 사람 ${tag}` });
  const roomId = await befriendViaApi(a, b);

  await a.openRoomByUrl(roomId);
  await b.go('Chats'); // B is in the app but not looking at the room
  const text = `읽었나요? ✅ ${tag}`;
  await a.sendText(text);
  const sent = await a.waitForMessage(text, { pred: (m) => m.unread === 1, message: `"1 unread" beside "${text}" in A's page` });
  assert.equal(sent.mine, true);

  // B opens the room: the number goes in A's page, live.
  await b.openRoomFromList(a.name);
  await b.waitForMessage(text);
  await a.waitForMessage(text, { pred: (m) => m.unread === null, message: `no unread number beside "${text}" once B has read it` });
  // Unaffected: the message itself is still there, once.
  assertOnceInOrder(await a.messages(), [text], "A's page");
});

browserTest('a long history loads page by page at the top without a jump; page load -> first message timing', env, async (scene, t) => {
  const tag = uniqueTag();
  const a = await scene.person('A', { viewport: DESKTOP });
  const b = await scene.person('B', { viewport: PHONE });
  await a.signUpByApi({ name: `Scroller ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `스크롤 ${tag}` });
  const roomId = await befriendViaApi(a, b);

  // 130 messages: pages of 50 make it 30 + 50 + 50.
  const TOTAL = 130;
  const label = (i) => `기록 ${String(i).padStart(3, '0')} · ${tag}`;
  const texts = [];
  for (let i = 1; i <= TOTAL; i += 1) {
    const text = i % 10 === 0 ? `${label(i)}\n두 번째 줄 — a longer message so that bubbles differ in height 📜` : label(i);
    texts.push(label(i));
    await sendViaApi(i % 3 === 0 ? b.api : a.api, roomId, text);
  }

  // A fresh page straight at the room: how long until a message shows.
  const page = await a.newPage();
  await page.goto(`/#/chats/${encodeURIComponent(roomId)}`);
  await a.log(page).waitFor();
  const first = await eventually(() => page.evaluate(() => window.__chattwo.firstMessage), {
    message: 'a first message visible in the fresh page',
  });
  console.log(`page load -> first message visible: ${Math.round(first.frameMs)} ms`);
  t.diagnostic(`page load -> first message visible: ${Math.round(first.frameMs)} ms (seen in the DOM at ${Math.round(first.seenMs)} ms)`);

  // The newest message is in view, the oldest not even loaded.
  await a.waitForMessage(label(TOTAL), { page, pred: (m) => m.inView, message: 'the newest message in view' });
  assert.ok(!(await a.messages(page)).some((m) => m.text.includes(label(1))), 'the oldest message is not loaded at first');

  // Scroll to the top until the oldest message is there. After each page
  // that loads above, the message that was at the top stays where it was
  // on the screen (measured in the first frame after the insertion).
  let pages = 0;
  for (;;) {
    const before = await a.messages(page);
    if (before.some((m) => m.text.includes(label(1)))) break;
    assert.ok(pages < 5, `the oldest message appears within 5 scrolls (have ${before.length} messages)`);
    const anchorText = before.find((m) => /기록 \d{3}/.test(m.text)).text.match(/기록 \d{3}/)[0];
    const r = await a.scrollLogToTop(anchorText, page);
    pages += 1;
    t.diagnostic(`page ${pages}: ${r.before} -> ${r.after} messages; "${anchorText}" at ${r.topAtZero.toFixed(1)} px, then ${r.topAfter === null ? 'gone' : `${r.topAfter.toFixed(1)} px`}${r.replaced ? ' (re-rendered)' : ''}`);
    assert.ok(r.topAfter !== null, `"${anchorText}" is still in the log after older messages load`);
    assert.ok(Math.abs(r.topAfter - r.topAtZero) <= 4,
      `"${anchorText}" stays at the same place on screen when older messages load: ${r.topAtZero.toFixed(1)} -> ${r.topAfter.toFixed(1)} px`);
  }
  assert.ok(pages >= 2, `older messages came in at least two pages (came in ${pages})`);

  // Every message once, in order.
  assertOnceInOrder(await a.messages(page), texts, 'the whole history');

  // Scrolled up, a new message does not pull the view down: a "New
  // messages" button appears and takes one to it.
  const topInView = (await a.messages(page)).find((m) => m.inView && /기록 \d{3}/.test(m.text)).text.match(/기록 \d{3}/)[0];
  const fresh = `새 메시지 🔔 ${tag}`;
  await sendViaApi(b.api, roomId, fresh);
  const button = page.getByRole('button', { name: 'New messages' });
  await button.waitFor();
  await a.waitForMessage(topInView, { page, pred: (m) => m.inView, message: `"${topInView}" still in view after the new message arrived` });
  await button.click();
  await a.waitForMessage(fresh, { page, pred: (m) => m.inView, message: 'the new message in view after "New messages"' });
});
