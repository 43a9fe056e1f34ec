// A server restart in the middle of a chat, seen from two browsers: both
// pages say "Offline" and come back by themselves (no reload); what was sent
// while a page was away reaches it after it reconnects (catch-up), and a
// message typed and sent while offline is delivered once, with the same
// clientMsgId on every attempt. Each message shows exactly once, in seq
// order, in both pages.
//
// A second test makes the resend certain: a message already on the wire
// when the server dies (it was stopped with SIGSTOP, so it never read the
// frame, then killed) must go again after the restart with the same
// clientMsgId and be stored once.
//
// The server is this file's own, restarted with restartServer() on the same
// port and data dir. To keep A away while the new server already runs, A's
// SockJS requests (/ws/...) are refused in A's browser context for a while:
// SockJS asks /ws/info before it opens any transport, so no connection can
// start.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import {
  DESKTOP, PHONE, assertOnceInOrder, befriendViaApi, browserTest, eventually, expectMessenger,
  roomMessagesViaApi, sendViaApi, uniqueTag, useBrowser,
} from '../support/browser.mjs';
import { makeTempDir, removeDir, restartServer, startServer } from '../support/server.mjs';

const chrome = useBrowser();
let server;
let dataDir; // this file's, so that it outlives a killed server

before(async () => {
  dataDir = await makeTempDir();
  server = await startServer({ args: ['--max-send-rate', '0'], dataDir });
});
after(async () => {
  if (server) await server.stop();
  if (dataDir) await removeDir(dataDir);
});

const env = () => ({ browser: chrome.browser, url: server.url });

// Every message send `page` makes that carries `text`, over STOMP (SockJS
// WebSocket or XHR frames) or REST: [{via, clientMsgId}]. Call it before the
// page opens its WebSocket: Playwright reports only sockets opened later.
function recordSends(page, text) {
  const sends = [];
  const fromStompFrame = (frame, via) => {
    if (!frame.startsWith('SEND\n')) return;
    const at = frame.indexOf('\n\n');
    const body = frame.slice(at + 2).replace(/\0[\s\S]*$/, '');
    try {
      const json = JSON.parse(body);
      if (json.text === text) sends.push({ via, clientMsgId: json.clientMsgId });
    } catch { /* not JSON: not a message send */ }
  };
  const fromPayload = (payload, via) => {
    if (typeof payload !== 'string' || !payload.includes('clientMsgId')) return;
    // SockJS wraps frames in a JSON array of strings; a raw WebSocket does not.
    let frames = [payload];
    try {
      const parsed = JSON.parse(payload);
      if (Array.isArray(parsed)) frames = parsed;
      else if (parsed && typeof parsed === 'object') {
        if (parsed.text === text) sends.push({ via, clientMsgId: parsed.clientMsgId });
        return;
      }
    } catch { /* a bare STOMP frame */ }
    for (const f of frames) if (typeof f === 'string') fromStompFrame(f, via);
  };
  page.on('websocket', (ws) => ws.on('framesent', ({ payload }) => fromPayload(payload, 'websocket')));
  page.on('request', (req) => {
    if (req.method() !== 'POST') return;
    const { pathname } = new URL(req.url());
    const via = pathname.startsWith('/ws/') ? 'sockjs-xhr' : /\/messages$/.test(pathname) ? 'rest' : null;
    if (via) fromPayload(req.postData(), via);
  });
  return sends;
}

// The REST client of `p`, signed in again should its session not have
// survived the restart (it should: sessions live in the data dir).
async function api(p) {
  const probe = await p.api.get('/api/v1/me');
  if (probe.status === 401) await p.api.login();
  return p.api;
}

browserTest('a server restart mid-chat: offline, back by itself, catch-up, an offline send delivered once', env, async (scene, t) => {
  const tag = uniqueTag();
  const a = await scene.person('A', { viewport: DESKTOP });
  const b = await scene.person('B', { viewport: PHONE });
  const offline = `오프라인에서 보냄 📴 ${tag}`;
  const sends = recordSends(a.page, offline);
  await a.signUpByApi({ name: `Restart A ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `재시작 B ${tag}` });
  const roomId = await befriendViaApi(a, b);

  await a.openRoomByUrl(roomId);
  await b.openRoomByUrl(roomId);
  const marks = {};
  for (const p of [a, b]) marks[p.label] = await p.page.evaluate(() => { window.__noReload = Math.random(); return window.__noReload; });

  const before = `재시작 전 🟢 ${tag}`;
  await a.sendText(before);
  await b.waitForMessage(before);
  for (const p of [a, b]) assert.ok(!(await p.offlineBanner().first().isVisible()), `${p.label}: no "Offline" while connected`);

  const blockSockJs = (url) => url.pathname === '/ws' || url.pathname.startsWith('/ws/');
  const refuse = (route) => route.abort('connectionrefused');

  server = await restartServer(server, {
    whileDown: async () => {
      // Both pages notice on their own.
      for (const p of [a, b]) await p.offlineBanner().first().waitFor({ state: 'visible' });
      // A writes while offline and presses Send.
      await a.sendText(offline);
      // A stays away after the server is back, until let through below.
      await a.context.route(blockSockJs, refuse);
    },
  });
  assert.equal(server.url, scene.url, 'the server is back at the same URL');

  // B reconnects by itself.
  await b.offlineBanner().first().waitFor({ state: 'hidden' });

  // B sends over REST while A is still away: B sees it live.
  const whileAway = `A가 없는 동안 📨 ${tag}`;
  await sendViaApi(await api(b), roomId, whileAway);
  await b.waitForMessage(whileAway);
  assert.ok(await a.offlineBanner().first().isVisible(), 'A is still offline when B sends');

  // A is let through: it reconnects by itself, catches up, delivers its
  // offline message.
  await a.context.unroute(blockSockJs, refuse);
  await a.offlineBanner().first().waitFor({ state: 'hidden' });
  await a.waitForMessage(whileAway, { message: "B's message sent while A was away, in A's page after the reconnect" });
  await a.waitForMessage(offline, { pred: (m) => m.mine, message: "A's offline message, delivered" });
  await b.waitForMessage(offline, { message: "A's offline message in B's page" });

  // Once each, in seq order, in the store and on both screens.
  const stored = (await roomMessagesViaApi(await api(a), roomId)).filter((m) => m.type === 'text');
  const texts = stored.map((m) => m.text);
  for (const text of [before, whileAway, offline]) {
    assert.equal(texts.filter((x) => x === text).length, 1, `"${text}" stored once: ${JSON.stringify(texts)}`);
  }
  // The UI may flush the queued message a moment after the log catches
  // up; give both pages the time to settle on exactly one copy.
  for (const p of [a, b]) {
    await eventually(async () => {
      const msgs = await p.messages();
      return texts.every((x) => msgs.filter((m) => m.text.includes(x)).length === 1);
    }, { message: `${p.label}: each message exactly once`, describe: async () => (await p.messages()).map((m) => m.text) });
    assertOnceInOrder(await p.messages(), texts, `${p.label}'s page`);
  }

  // Every attempt carried the one clientMsgId that was stored.
  const storedOffline = stored.find((m) => m.text === offline);
  t.diagnostic(`sends of the offline message: ${JSON.stringify(sends)}`);
  assert.ok(sends.length >= 1, 'the offline message was sent (seen on the wire)');
  const ids = new Set(sends.map((s) => s.clientMsgId));
  assert.equal(ids.size, 1, `one clientMsgId across ${sends.length} attempts: ${[...ids].join(', ')}`);
  if (storedOffline.clientMsgId !== undefined) assert.equal(storedOffline.clientMsgId, [...ids][0]);

  for (const p of [a, b]) {
    assert.equal(await p.page.evaluate(() => window.__noReload), marks[p.label], `${p.label}'s page recovered without a reload`);
  }
});

browserTest('a message on the wire when the server dies is sent again after the restart, same clientMsgId, stored once', env, async (scene, t) => {
  const tag = uniqueTag();
  const a = await scene.person('A', { viewport: PHONE });
  const b = await scene.person('B', { viewport: DESKTOP });
  const inFlight = `보내는 중에 서버가 멈춤 🧊 ${tag}`;
  const sends = recordSends(a.page, inFlight);
  await a.signUpByApi({ name: `In flight A ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `전송 중 B ${tag}` });
  const roomId = await befriendViaApi(a, b);
  await a.openRoomByUrl(roomId);
  await b.openRoomByUrl(roomId);
  const mark = await a.page.evaluate(() => { window.__noReload = Math.random(); return window.__noReload; });

  const first = `먼저 ☕ ${tag}`;
  await a.sendText(first);
  await b.waitForMessage(first);

  // The server freezes: it reads nothing more. A sends; the frame leaves the
  // page (seen on the wire) but no receipt can come.
  server.signal('SIGSTOP');
  try {
    await a.sendText(inFlight);
    await eventually(() => sends.length >= 1, { message: 'the message frame sent by the page' });
  } finally {
    // Killed while frozen: whatever it had not read is lost with it.
    server.signal('SIGKILL');
  }
  await server.waitExit();
  await a.offlineBanner().first().waitFor({ state: 'visible' });

  server = await restartServer(server);
  await a.offlineBanner().first().waitFor({ state: 'hidden' });
  await b.offlineBanner().first().waitFor({ state: 'hidden' });
  await b.waitForMessage(inFlight, { message: 'the message from before the crash, in B\'s page after the restart' });
  await a.waitForMessage(inFlight, { pred: (m) => m.mine });

  const stored = (await roomMessagesViaApi(await api(a), roomId)).filter((m) => m.type === 'text');
  const texts = stored.map((m) => m.text);
  assert.deepEqual(texts, [first, inFlight], 'each message stored once, in order');
  t.diagnostic(`sends of the in-flight message: ${JSON.stringify(sends)}`);
  assert.ok(sends.length >= 2, `sent again after the restart (${sends.length} sends seen)`);
  const ids = new Set(sends.map((x) => x.clientMsgId));
  assert.equal(ids.size, 1, `one clientMsgId across ${sends.length} attempts: ${[...ids].join(', ')}`);
  const storedMsg = stored.find((m) => m.text === inFlight);
  if (storedMsg.clientMsgId !== undefined) assert.equal(storedMsg.clientMsgId, [...ids][0]);
  for (const p of [a, b]) {
    await eventually(async () => (await p.messages()).filter((m) => m.text.includes(inFlight)).length === 1, {
      message: `${p.label}: the message shown once`, describe: async () => (await p.messages()).map((m) => m.text),
    });
    assertOnceInOrder(await p.messages(), texts, `${p.label}'s page`);
  }
  assert.equal(await a.page.evaluate(() => window.__noReload), mark, "A's page recovered without a reload");
});

browserTest('a message sent while offline survives a reload of the page and is delivered once', env, async (scene) => {
  const tag = uniqueTag();
  const a = await scene.person('A', { viewport: PHONE });
  const b = await scene.person('B', { viewport: DESKTOP });
  await a.signUpByApi({ name: `Outbox A ${tag}` });
  await expectMessenger(a);
  await b.signUpByApi({ name: `보관함 B ${tag}` });
  const roomId = await befriendViaApi(a, b);
  await b.openRoomByUrl(roomId);

  // A's real-time link cannot connect (SockJS asks /ws/info first); REST works.
  const blockSockJs = (url) => url.pathname === '/ws' || url.pathname.startsWith('/ws/');
  const refuse = (route) => route.abort('connectionrefused');
  await a.context.route(blockSockJs, refuse);
  await a.openRoomByUrl(roomId);
  await a.page.reload(); // drops the connection opened before the block
  await a.offlineBanner().first().waitFor({ state: 'visible' });

  const text = `새로고침해도 남아요 📮 ${tag}`;
  await a.sendText(text);
  await a.page.locator('.msg.is-pending').filter({ hasText: text }).waitFor();
  // The tab is reloaded (closed and opened again, say) while still offline:
  // the message is still there, waiting.
  await a.page.reload();
  await a.page.locator('.msg.is-pending').filter({ hasText: text }).waitFor();

  await a.context.unroute(blockSockJs, refuse);
  await a.offlineBanner().first().waitFor({ state: 'hidden' });
  await a.waitForMessage(text, { pred: (m) => m.mine, message: "A's kept message, delivered after the reload" });
  await b.waitForMessage(text, { message: "A's kept message in B's page" });
  await eventually(async () => (await a.page.locator('.msg.is-pending').count()) === 0, { message: 'nothing left pending in A\'s page' });
  const stored = (await roomMessagesViaApi(b.api, roomId)).filter((m) => m.text === text);
  assert.equal(stored.length, 1, 'stored exactly once');
  assertOnceInOrder(await b.messages(), [text], "B's page");
  const kept = await a.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('chattwo.outbox.')));
  assert.deepEqual(kept, [], 'the outbox is empty once the message is stored');
});
