// `room` events on /user/queue/notifications: every member's room list is
// kept current live — a new room, new messages (last message, unread badge),
// one's own read (badge back to 0, for one's other devices), a rename, an
// invitation, a leave — each as {"room": RoomSummary}, the same entry
// GET /api/v1/rooms gives that member. Nobody gets a room they are not in.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertUser } from '../support/http.mjs';
import { useChatServer } from '../support/chat.mjs';
import { collect, connectStomp } from '../support/stomp.mjs';

const chat = useChatServer();
const { user, group, send } = chat;

// The user's /user/queue/notifications, subscribed (receipt awaited), with
// a way to wait for the room event that satisfies a condition. Room events
// are coalesced, so a test waits for the state it expects, not for a count.
async function roomFeed(u) {
  const { client } = await connectStomp(chat.url, { bearer: u.token });
  chat.stompClients.push(client);
  const queue = collect(client, '/user/queue/notifications', { receipt: `n-${u.user.id}` });
  await new Promise((r) => client.watchForReceipt(`n-${u.user.id}`, r));
  const rooms = () => queue.got.filter((f) => f.headers.event === 'room').map((f) => JSON.parse(f.body).room);
  return {
    rooms,
    async until(what, cond, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = rooms().findLast(cond);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no room event with ${what}; got ${JSON.stringify(rooms())}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

async function listEntry(u, roomId) {
  const res = await u.get('/api/v1/rooms');
  assert.equal(res.status, 200, res.text);
  return res.body.find((r) => r.id === roomId);
}

describe('room events', () => {
  it('a new room appears in every member\'s list, the creator\'s other devices included', async () => {
    const a = await user('A');
    const b = await user('민지 🐰');
    const c = await user('C');
    const [fa, fb, fc] = await Promise.all([roomFeed(a), roomFeed(b), roomFeed(c)]);
    const roomId = await group(a, [b, c], '점심 🍜');
    for (const [f, who] of [[fa, a], [fb, b], [fc, c]]) {
      const room = await f.until('the new room', (r) => r.id === roomId);
      assert.equal(room.name, '점심 🍜');
      assert.equal(room.kind, 'group');
      assert.equal(room.memberCount, 3);
      assert.equal(room.members.length, 2);
      for (const m of room.members) assertUser(m, { own: false });
      assert.ok(!room.members.some((m) => m.id === who.user.id), 'the members shown are the others');
    }
  });

  it('new messages move the last message and the badge; the event equals the list entry', async () => {
    const a = await user('A');
    const b = await user('B');
    const roomId = await group(a, [b]);
    const fb = await roomFeed(b);
    for (let i = 1; i <= 10; i += 1) await send(a, roomId, `안녕 ${i} 👋`);
    const room = await fb.until('10 unread', (r) => r.id === roomId && r.unreadCount === 10);
    assert.equal(room.lastMessage.text, '안녕 10 👋');
    assert.equal(room.lastMessage.seq, 10);
    assert.equal(room.lastMessage.unreadCount, 1);
    assert.deepEqual(room, await listEntry(b, roomId));
  });

  it('one\'s own read sets one\'s badge to 0 (over REST and over STOMP); the others get no event for it', async () => {
    const a = await user('A');
    const b = await user('B');
    const roomId = await group(a, [b]);
    const [fa, fb] = await Promise.all([roomFeed(a), roomFeed(b)]);
    for (let i = 1; i <= 3; i += 1) await send(a, roomId, `m${i}`);
    await fb.until('3 unread', (r) => r.id === roomId && r.unreadCount === 3);
    await fa.until('their own 3 messages', (r) => r.id === roomId && r.lastMessage?.seq === 3);
    const eventsOfA = fa.rooms().length;
    const read = await b.post(`/api/v1/rooms/${roomId}/read`, { seq: 2 });
    assert.equal(read.status, 204, read.text);
    await fb.until('1 unread', (r) => r.id === roomId && r.unreadCount === 1);

    const { client } = await connectStomp(chat.url, { bearer: b.token });
    chat.stompClients.push(client);
    client.publish({ destination: `/app/rooms.${roomId}.read`, body: JSON.stringify({ seq: 3 }) });
    const room = await fb.until('0 unread', (r) => r.id === roomId && r.unreadCount === 0);
    assert.equal(room.lastMessage.unreadCount, 0);
    assert.equal(fa.rooms().length, eventsOfA, 'reads do not update the other members\' lists');
  });

  it('rename, invite and leave update the members\' lists', async () => {
    const a = await user('A');
    const b = await user('B');
    const c = await user('C');
    const roomId = await group(a, [b]);
    const [fb, fc] = await Promise.all([roomFeed(b), roomFeed(c)]);

    assert.equal((await a.patch(`/api/v1/rooms/${roomId}`, { name: '새 이름 ✨' })).status, 200);
    await fb.until('the new name', (r) => r.id === roomId && r.name === '새 이름 ✨');

    const invited = await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: [c.user.id] });
    assert.equal(invited.status, 200, invited.text);
    const seen = await fc.until('the room they were invited to', (r) => r.id === roomId);
    assert.equal(seen.memberCount, 3);
    assert.equal(seen.lastMessage.type, 'system');
    assert.equal(seen.unreadCount, 0, 'the invitation itself is not unread');
    await fb.until('3 members', (r) => r.id === roomId && r.memberCount === 3);

    assert.equal((await c.delete(`/api/v1/rooms/${roomId}/members/me`)).status, 204);
    const after = await fb.until('2 members after "C left"', (r) => r.id === roomId && r.lastMessage?.seq === 2);
    assert.equal(after.memberCount, 2);
    assert.equal(after.lastMessage.type, 'system');
    assert.ok(after.lastMessage.text.endsWith(' left'));
  });

  it('strangers get no room events', async () => {
    const a = await user('A');
    const b = await user('B');
    const stranger = await user('S');
    const fs = await roomFeed(stranger);
    const fb = await roomFeed(b);
    const roomId = await group(a, [b]);
    await send(a, roomId, 'private');
    await fb.until('the message', (r) => r.id === roomId && r.unreadCount === 1);
    // b's event came after a's send committed; the stranger's would have
    // been made in the same flush.
    assert.deepEqual(fs.rooms(), []);
  });
});
