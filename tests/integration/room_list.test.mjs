// The room list (GET /api/v1/rooms): newest activity first, each room as the
// caller sees it — the first four other members, the last message with its
// unread count, and the caller's unread badge.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Client, assertProblem, assertUser } from '../support/http.mjs';
import { useChatServer } from '../support/chat.mjs';

const chat = useChatServer();
const { user, send } = chat;

describe('GET /api/v1/rooms', () => {
  it('is empty for a new user and 401 without sign-in', async () => {
    const newcomer = await user('New');
    const res = await newcomer.get('/api/v1/rooms');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, []);
    assertProblem(await new Client(chat.url).get('/api/v1/rooms'), 401, 'unauthenticated');
  });

  it('orders by latest activity and carries members, last message and unread counts', async () => {
    const alice = await user('Alice');
    const others = await Promise.all(['Bob', '민수', 'Carol', 'Dave', 'Eve'].map((n) => user(n)));
    const [bob, minsu] = others;
    const big = await alice.post('/api/v1/rooms', { memberIds: others.map((o) => o.user.id), name: '큰 방 🎉' });
    assert.equal(big.status, 201, big.text);
    const direct = await alice.post('/api/v1/rooms', { memberIds: [bob.user.id] });
    assert.equal(direct.status, 201, direct.text);
    const quiet = await alice.post('/api/v1/rooms', { memberIds: [minsu.user.id], name: 'quiet' });
    assert.equal(quiet.status, 201, quiet.text);

    await send(bob, direct.body.id, 'hi alice');
    await send(minsu, big.body.id, '안녕하세요');
    await send(bob, big.body.id, 'second 👋');

    const res = await alice.get('/api/v1/rooms');
    assert.equal(res.status, 200, res.text);
    const list = res.body;
    assert.deepEqual(list.map((r) => r.id), [big.body.id, direct.body.id, quiet.body.id]);

    const [b, d, q] = list;
    assert.equal(b.kind, 'group');
    assert.equal(b.name, '큰 방 🎉');
    assert.equal(b.memberCount, 6);
    assert.equal(b.members.length, 4, 'the first four others');
    assert.deepEqual(b.members.map((m) => m.id), others.slice(0, 4).map((o) => o.user.id));
    for (const m of b.members) {
      assertUser(m);
      assert.equal(m.email, undefined, 'no one else\'s email');
    }
    assert.equal(b.unreadCount, 2);
    assert.equal(b.lastMessage.text, 'second 👋');
    assert.equal(b.lastMessage.seq, 2);
    assert.equal(b.lastMessage.unreadCount, 5, 'everyone but bob, who sent it');

    assert.equal(d.kind, 'direct');
    assert.equal(d.name, '');
    assert.deepEqual(d.members.map((m) => m.id), [bob.user.id]);
    assert.equal(d.unreadCount, 1);
    assert.equal(q.lastMessage, null);
    assert.equal(q.unreadCount, 0);

    // Reading clears the badge; the list follows.
    const read = await alice.post(`/api/v1/rooms/${big.body.id}/read`, { seq: 2 });
    assert.equal(read.status, 204);
    const after = await alice.get('/api/v1/rooms');
    assert.equal(after.body[0].unreadCount, 0);
    assert.equal(after.body[0].lastMessage.unreadCount, 4);

    // Bob's view of the same room: sending read everything before it.
    const bobs = await bob.get('/api/v1/rooms');
    const bigForBob = bobs.body.find((r) => r.id === big.body.id);
    assert.equal(bigForBob.unreadCount, 0);
    const carol = others[2];
    const carols = await carol.get('/api/v1/rooms');
    assert.equal(carols.body[0].unreadCount, 2);
    assert.ok(!bigForBob.members.some((m) => m.id === bob.user.id), 'the caller is not among the avatars');
    assert.equal(bigForBob.members[0].id, alice.user.id);
  });
});
