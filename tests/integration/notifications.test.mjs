// Notifications: a friend_added notification arrives live over STOMP on the
// recipient's /user/queue/notifications (and nobody else's), is listed over
// REST newest first with paging by `before`, and is marked read by id or all
// at once; only the recipient can see or mark it. Every 400/401/403/415.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, assertId, assertProblem, assertTimestamp, assertUser } from '../support/http.mjs';
import { startServer } from '../support/server.mjs';
import { collect, connectStomp, userWithToken } from '../support/stomp.mjs';

let server;
let url;
const stompClients = [];

before(async () => { server = await startServer(); url = server.url; });
after(async () => {
  for (const c of stompClients) await c.deactivate().catch(() => {});
  if (server) await server.stop();
});

let serial = 0;
async function user(name = 'Notified') {
  serial += 1;
  return userWithToken(url, `${name} ${serial}`);
}

async function addFriend(actor, recipient) {
  const res = await actor.put(`/api/v1/friends/${recipient.user.id}`);
  assert.equal(res.status, 201, res.text);
}

async function feed(c, query = '') {
  const res = await c.get(`/api/v1/notifications${query}`);
  assert.equal(res.status, 200, res.text);
  return res.body;
}

const markRead = (c, body, opts) => c.post('/api/v1/notifications/read', body, opts);

function assertNotification(n, { type, actor, read }) {
  assertId(n.id, 'notification.id');
  assert.equal(n.type, type);
  assertUser(n.actor, { own: false });
  assert.equal(n.actor.id, actor.user.id);
  assert.equal(n.actor.name, actor.user.name);
  assertTimestamp(n.createdAt, 'notification.createdAt');
  assert.equal(n.read, read);
  if (type === 'friend_added') assert.ok(!('roomId' in n), 'friend_added has no roomId');
}

// A STOMP connection subscribed to /user/queue/notifications, with the
// subscription known to be in place (its RECEIPT has come back).
async function liveQueue(u) {
  const { client } = await connectStomp(url, { bearer: u.token });
  stompClients.push(client);
  const queue = collect(client, '/user/queue/notifications');
  const receipt = `sub-${u.user.id}`;
  await new Promise((resolve) => {
    client.watchForReceipt(receipt, resolve);
    client.subscribe('/user/queue/errors', () => {}, { receipt });
  });
  return queue;
}

describe('live delivery', () => {
  it('sends friend_added to the recipient\'s /user/queue/notifications, then lists it and marks it read', async () => {
    const actor = await user('김민지 🐰');
    const recipient = await user('Recipient');
    const bystander = await user('Bystander');
    const recipientQueue = await liveQueue(recipient);
    const actorQueue = await liveQueue(actor);
    const bystanderQueue = await liveQueue(bystander);

    await addFriend(actor, recipient);
    const [frame] = await recipientQueue.until(1);
    assert.equal(frame.headers.event, 'notification');
    assert.equal(frame.headers['content-type'], 'application/json');
    assert.equal(frame.headers.destination, '/user/queue/notifications');
    const live = JSON.parse(frame.body);
    assertNotification(live, { type: 'friend_added', actor, read: false });
    assert.doesNotMatch(frame.body, /@example\.test/, 'the actor\'s email is not in the frame');

    // Listed over REST, the same notification.
    const listed = await feed(recipient);
    assert.equal(listed.unreadCount, 1);
    assert.equal(listed.hasMore, false);
    assert.equal(listed.notifications.length, 1);
    assert.deepEqual(listed.notifications[0], live);

    // Marked read by id.
    const res = await markRead(recipient, { ids: [live.id] });
    assert.equal(res.status, 204, res.text);
    const after = await feed(recipient);
    assert.equal(after.unreadCount, 0);
    assert.equal(after.notifications[0].read, true);

    // Nobody else got it: a notification for the bystander, sent after,
    // arrives alone; the actor's queue stays empty.
    await addFriend(recipient, bystander);
    const [own] = await bystanderQueue.until(1);
    assert.equal(JSON.parse(own.body).actor.id, recipient.user.id);
    assert.equal(bystanderQueue.got.length, 1);
    assert.equal(recipientQueue.got.length, 1);
    assert.equal(actorQueue.got.length, 0);
  });

  it('sends nothing when the friend was already added', async () => {
    const actor = await user();
    const recipient = await user();
    const queue = await liveQueue(recipient);
    await addFriend(actor, recipient);
    await queue.until(1);
    const again = await actor.put(`/api/v1/friends/${recipient.user.id}`);
    assert.equal(again.status, 200);
    // A later, different notification is the next frame: none came between.
    const other = await user();
    await addFriend(other, recipient);
    const frames = await queue.until(2);
    assert.equal(JSON.parse(frames[1].body).actor.id, other.user.id);
    assert.equal((await feed(recipient)).notifications.length, 2);
  });
});

describe('GET /api/v1/notifications', () => {
  it('pages newest first with before and limit, and counts all unread', async () => {
    const recipient = await user();
    const actors = [];
    for (let i = 0; i < 5; i += 1) {
      const a = await user(`Actor ${i}`);
      actors.push(a);
      await addFriend(a, recipient);
    }
    const all = await feed(recipient, '?limit=100');
    assert.equal(all.notifications.length, 5);
    assert.equal(all.unreadCount, 5);
    assert.equal(all.hasMore, false);
    assert.deepEqual(new Set(all.notifications.map((n) => n.actor.id)), new Set(actors.map((a) => a.user.id)));
    // Newest first: createdAt never goes up, and of two made in different
    // milliseconds the later one comes first (within one, the id decides).
    const times = all.notifications.map((n) => Date.parse(n.createdAt));
    const made = all.notifications.map((n) => actors.findIndex((a) => a.user.id === n.actor.id));
    for (let i = 0; i < times.length; i += 1) {
      for (let j = i + 1; j < times.length; j += 1) {
        assert.ok(times[i] >= times[j], `newest first: ${times}`);
        if (times[i] > times[j]) assert.ok(made[i] > made[j], `made later, listed first: ${made}`);
      }
    }

    const p1 = await feed(recipient, '?limit=2');
    assert.equal(p1.hasMore, true);
    assert.equal(p1.unreadCount, 5);
    const p2 = await feed(recipient, `?limit=2&before=${p1.notifications[1].id}`);
    assert.equal(p2.hasMore, true);
    const p3 = await feed(recipient, `?limit=2&before=${p2.notifications[1].id}`);
    assert.equal(p3.hasMore, false);
    assert.equal(p3.notifications.length, 1);
    const paged = [...p1.notifications, ...p2.notifications, ...p3.notifications];
    assert.deepEqual(paged, all.notifications, 'the pages are the list, in order, each once');
    const end = await feed(recipient, `?before=${p3.notifications[0].id}`);
    assert.deepEqual(end.notifications, []);
    assert.equal(end.hasMore, false);

    assert.equal((await feed(recipient)).notifications.length, 5, 'limit defaults to 30');
    assert.equal((await feed(recipient, '?limit=1000')).notifications.length, 5, 'a large limit is capped, not refused');
  });

  it('refuses a bad limit or before with 400, and needs a caller', async () => {
    const me = await user();
    const other = await user();
    const friend = await user();
    await addFriend(friend, other);
    const othersId = (await feed(other)).notifications[0].id;
    const cases = [
      ['?limit=0', 'limit'],
      ['?limit=-1', 'limit'],
      ['?limit=many', 'limit'],
      ['?before=no-such-notification', 'before'],
      [`?before=${othersId}`, 'before'], // someone else's is no cursor, and says nothing about it
      [`?before=${'x'.repeat(65)}`, 'before'],
      ['?before=%zz', 'before'],
    ];
    for (const [query, field] of cases) {
      const p = assertProblem(await me.get(`/api/v1/notifications${query}`), 400, 'validation');
      assert.equal(p.field, field, query);
    }
    assertProblem(await new Client(url).get('/api/v1/notifications'), 401, 'unauthenticated');
  });
});

describe('POST /api/v1/notifications/read', () => {
  it('marks the named ones, or all, read; ignores unknown ids', async () => {
    const recipient = await user();
    for (let i = 0; i < 3; i += 1) await addFriend(await user(), recipient);
    const ids = (await feed(recipient)).notifications.map((n) => n.id);
    let res = await markRead(recipient, { ids: [ids[0], 'no-such-id'] });
    assert.equal(res.status, 204, res.text);
    let now = await feed(recipient);
    assert.equal(now.unreadCount, 2);
    assert.deepEqual(now.notifications.map((n) => n.read), [true, false, false]);
    res = await markRead(recipient, { ids: [] });
    assert.equal(res.status, 204);
    res = await markRead(recipient, { all: true });
    assert.equal(res.status, 204, res.text);
    now = await feed(recipient);
    assert.equal(now.unreadCount, 0);
    assert.ok(now.notifications.every((n) => n.read));
  });

  it('never touches another user\'s notifications', async () => {
    const victim = await user();
    const attacker = await user();
    await addFriend(await user(), victim);
    await addFriend(await user(), attacker);
    const victimIds = (await feed(victim)).notifications.map((n) => n.id);
    assert.equal((await markRead(attacker, { ids: victimIds })).status, 204);
    assert.equal((await markRead(attacker, { all: true })).status, 204);
    const seen = await feed(victim);
    assert.equal(seen.unreadCount, 1);
    assert.equal(seen.notifications[0].read, false);
    // And the attacker's list holds only their own.
    const theirs = await feed(attacker);
    assert.equal(theirs.notifications.length, 1);
    assert.ok(!victimIds.includes(theirs.notifications[0].id));
  });

  it('refuses a body with neither field, or wrong types, with 400', async () => {
    const me = await user();
    const bodies = [
      [{}, 'ids'],
      [{ all: false }, 'ids'],
      [{ all: 'yes' }, 'all'],
      [{ ids: 'n1' }, 'ids'],
      [{ ids: [1, 2] }, 'ids'],
      [{ ids: ['x'.repeat(65)] }, 'ids'],
      [{ ids: Array.from({ length: 1001 }, (_, i) => `n${i}`) }, 'ids'],
    ];
    for (const [body, field] of bodies) {
      const p = assertProblem(await markRead(me, body), 400, 'validation');
      assert.equal(p.field, field, JSON.stringify(body).slice(0, 80));
    }
    assertProblem(await me.request('POST', '/api/v1/notifications/read', { body: 'not json', headers: { 'Content-Type': 'application/json' } }),
      400, 'validation');
    assertProblem(await me.request('POST', '/api/v1/notifications/read', { body: '{"all":true}', headers: { 'Content-Type': 'text/plain' } }),
      415, 'unsupported-media-type');
  });

  it('needs the CSRF token with a cookie, and a caller', async () => {
    const me = await user();
    await addFriend(await user(), me);
    assertProblem(await markRead(me, { all: true }, { csrf: false }), 403, 'forbidden');
    assert.equal((await feed(me)).unreadCount, 1, 'nothing marked without the token');
    assertProblem(await markRead(new Client(url), { all: true }), 401, 'unauthenticated');
    // With a bearer token no CSRF header is needed.
    const bearer = new Client(url);
    bearer.bearer = me.token;
    assert.equal((await markRead(bearer, { all: true })).status, 204);
    assert.equal((await feed(me)).unreadCount, 0);
  });
});
