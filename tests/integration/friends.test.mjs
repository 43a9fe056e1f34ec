// Friends over REST: one-way adds (201, then 200), removal (204 always),
// the list by name with a filter in any script, public profiles only, the
// friend_added notification made once, and every 400/401/403/404.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, assertProblem, assertUser } from '../support/http.mjs';
import { startServer } from '../support/server.mjs';

let server;
let url;

before(async () => { server = await startServer(); url = server.url; });
after(async () => { if (server) await server.stop(); });

let serial = 0;
async function user(name = 'Friend') {
  serial += 1;
  const c = new Client(url);
  await c.signup({ name: `${name} ${serial}` });
  return c;
}

// A client that signs its requests with a bearer token only (no cookie, no CSRF).
async function bearerOf(c) {
  const res = await c.post('/api/v1/auth/tokens', { email: c.email, password: c.password });
  assert.equal(res.status, 201, res.text);
  const b = new Client(url);
  b.bearer = res.body.token;
  b.user = c.user;
  return b;
}

const add = (c, other) => c.put(`/api/v1/friends/${encodeURIComponent(other.user ? other.user.id : other)}`);
const remove = (c, other) => c.delete(`/api/v1/friends/${encodeURIComponent(other.user ? other.user.id : other)}`);

async function friendIds(c, q) {
  const res = await c.get(q === undefined ? '/api/v1/friends' : `/api/v1/friends?q=${encodeURIComponent(q)}`);
  assert.equal(res.status, 200, res.text);
  assert.ok(Array.isArray(res.body));
  for (const u of res.body) assertUser(u, { own: false });
  assert.doesNotMatch(res.text, /@example\.test/, 'no email anywhere in the answer');
  return res.body.map((u) => u.id);
}

async function unread(c) {
  const res = await c.get('/api/v1/notifications');
  assert.equal(res.status, 200, res.text);
  return res.body;
}

describe('PUT /api/v1/friends/{userId}', () => {
  it('adds with 201 and the friend\'s public User, then answers 200 and changes nothing', async () => {
    const a = await user('Adder');
    const b = await user('벤');
    const first = await add(a, b);
    assert.equal(first.status, 201, first.text);
    assertUser(first.body, { own: false });
    assert.equal(first.body.id, b.user.id);
    assert.equal(first.body.name, b.user.name);

    const again = await add(a, b);
    assert.equal(again.status, 200, again.text);
    assertUser(again.body, { own: false });
    assert.equal(again.body.id, b.user.id);
    assert.deepEqual(await friendIds(a), [b.user.id]);
  });

  it('is one-way', async () => {
    const a = await user();
    const b = await user();
    assert.equal((await add(a, b)).status, 201);
    assert.deepEqual(await friendIds(b), []);
  });

  it('notifies the added user once (friend_added from the adder), and not the adder', async () => {
    const a = await user('Notifier');
    const b = await user('Notified');
    assert.equal((await add(a, b)).status, 201);
    assert.equal((await add(a, b)).status, 200);
    const feed = await unread(b);
    assert.equal(feed.notifications.length, 1);
    assert.equal(feed.unreadCount, 1);
    const [n] = feed.notifications;
    assert.equal(n.type, 'friend_added');
    assert.equal(n.actor.id, a.user.id);
    assertUser(n.actor, { own: false });
    assert.equal(n.read, false);
    assert.equal((await unread(a)).notifications.length, 0);
  });

  it('answers 404 for an unknown user, 400 for oneself and for a malformed id', async () => {
    const a = await user();
    assertProblem(await add(a, 'no-such-user'), 404, 'not-found');
    const self = assertProblem(await add(a, a), 400, 'validation');
    assert.equal(self.field, 'userId');
    assertProblem(await add(a, 'x'.repeat(65)), 400, 'validation');
    assertProblem(await add(a, '아이디'), 400, 'validation');
    assert.deepEqual(await friendIds(a), []);
    assert.equal((await unread(a)).notifications.length, 0);
  });

  it('needs the CSRF token with a cookie, none with a bearer token, and a caller at all', async () => {
    const a = await user();
    const b = await user();
    const c = await user();
    assertProblem(await a.put(`/api/v1/friends/${b.user.id}`, undefined, { csrf: false }), 403, 'forbidden');
    assertProblem(await a.put(`/api/v1/friends/${b.user.id}`, undefined, { csrf: 'wrong' }), 403, 'forbidden');
    assert.deepEqual(await friendIds(a), [], 'nothing added without the token');
    assert.equal((await add(a, b)).status, 201, 'with the token (sent automatically)');

    const bearer = await bearerOf(a);
    assert.equal((await add(bearer, c)).status, 201);
    assertProblem(await new Client(url).put(`/api/v1/friends/${b.user.id}`), 401, 'unauthenticated');
  });
});

describe('DELETE /api/v1/friends/{userId}', () => {
  it('removes with 204, and answers 204 when there was nothing to remove', async () => {
    const a = await user();
    const b = await user();
    assert.equal((await add(a, b)).status, 201);
    assert.equal((await remove(a, b)).status, 204);
    assert.deepEqual(await friendIds(a), []);
    assert.equal((await remove(a, b)).status, 204);
    assert.equal((await remove(a, 'no-such-user')).status, 204);
    // Adding again is a new add: 201 and a new notification.
    assert.equal((await add(a, b)).status, 201);
    assert.equal((await unread(b)).notifications.length, 2);
  });

  it('removes only from the caller\'s own list', async () => {
    const a = await user();
    const b = await user();
    const c = await user();
    assert.equal((await add(a, c)).status, 201);
    assert.equal((await remove(b, c)).status, 204);
    assert.deepEqual(await friendIds(a), [c.user.id]);
  });

  it('needs the CSRF token with a cookie, and a caller', async () => {
    const a = await user();
    const b = await user();
    assert.equal((await add(a, b)).status, 201);
    assertProblem(await a.delete(`/api/v1/friends/${b.user.id}`, { csrf: false }), 403, 'forbidden');
    assert.deepEqual(await friendIds(a), [b.user.id]);
    assertProblem(await new Client(url).delete(`/api/v1/friends/${b.user.id}`), 401, 'unauthenticated');
    assertProblem(await a.delete(`/api/v1/friends/${'x'.repeat(65)}`), 400, 'validation');
  });
});

describe('GET /api/v1/friends', () => {
  it('lists by name (ASCII case aside, then Hangul) and filters by any part of a name', async () => {
    const me = await user('Lister');
    const names = ['다람쥐 🐿️', 'bob', 'Alice', '가나', 'Carol 🐱'];
    const friends = [];
    for (const name of names) {
      const c = new Client(url);
      await c.signup({ name });
      friends.push(c);
      assert.equal((await add(me, c)).status, 201);
    }
    const byName = Object.fromEntries(friends.map((f) => [f.user.name, f.user.id]));
    assert.deepEqual(await friendIds(me),
      ['Alice', 'bob', 'Carol 🐱', '가나', '다람쥐 🐿️'].map((n) => byName[n]));
    assert.deepEqual(await friendIds(me, 'ALI'), [byName.Alice]);
    assert.deepEqual(await friendIds(me, '람쥐'), [byName['다람쥐 🐿️']]);
    assert.deepEqual(await friendIds(me, '🐱'), [byName['Carol 🐱']]);
    assert.deepEqual(await friendIds(me, ' O '), [byName.bob, byName['Carol 🐱']], 'trimmed: "o"');
    assert.deepEqual(await friendIds(me, '%'), []);
    assert.deepEqual(await friendIds(me, 'nobody'), []);
    assert.equal((await friendIds(me, '')).length, 5, 'an empty q is no filter');
    const res = await me.get('/api/v1/friends');
    assert.equal(res.body.find((u) => u.id === byName['다람쥐 🐿️']).name, '다람쥐 🐿️');
  });

  it('refuses an over-long or malformed q, and needs a caller', async () => {
    const me = await user();
    assertProblem(await me.get(`/api/v1/friends?q=${'a'.repeat(255)}`), 400, 'validation');
    assertProblem(await me.get('/api/v1/friends?q=%zz'), 400, 'validation');
    assertProblem(await new Client(url).get('/api/v1/friends'), 401, 'unauthenticated');
  });

  it('answers 405 with Allow for another method', async () => {
    const me = await user();
    const res = await me.request('POST', '/api/v1/friends');
    assertProblem(res, 405, 'method-not-allowed');
    const res2 = await me.request('GET', `/api/v1/friends/${me.user.id}`);
    assertProblem(res2, 405, 'method-not-allowed');
    assert.match(res2.headers.get('allow'), /PUT/);
    assert.match(res2.headers.get('allow'), /DELETE/);
  });
});
