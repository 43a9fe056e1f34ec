// Group membership over REST with live STOMP events: rename, invite (a
// system message; the invited see history from there), leave (a system
// message; the leaver's subscription ends; the last one out deletes the
// room), and every refusal.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Client, assertProblem } from '../support/http.mjs';
import { useChatServer } from '../support/chat.mjs';
import { collect, connectStomp } from '../support/stomp.mjs';

const chat = useChatServer();
const { user, group, send } = chat;

// A STOMP client subscribed (receipt awaited) to a room's topic.
async function watch(u, roomId) {
  const c = await connectStomp(chat.url, { bearer: u.token });
  const feed = collect(c.client, `/topic/rooms.${roomId}`, { receipt: `w-${u.user.id}` });
  await new Promise((r) => c.client.watchForReceipt(`w-${u.user.id}`, r));
  return { client: c.client, feed };
}

describe('rename', () => {
  it('renames a group room for members, with a live member event', async () => {
    const a = await user('A');
    const b = await user('B');
    const roomId = await group(a, [b]);
    const wb = await watch(b, roomId);
    const res = await a.patch(`/api/v1/rooms/${roomId}`, { name: '  새 이름 ✨  ' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, '새 이름 ✨');
    const [event] = await wb.feed.until(1);
    assert.equal(event.headers.event, 'member');
    assert.deepEqual(JSON.parse(event.body), { roomId, action: 'renamed', userIds: [a.user.id], name: '새 이름 ✨' });
    assert.equal((await b.get(`/api/v1/rooms/${roomId}`)).body.name, '새 이름 ✨');
    await wb.client.deactivate();
  });

  it('refuses direct rooms (409), non-members (404), bad names (400) and CSRF-less cookie calls (403)', async () => {
    const a = await user('A');
    const b = await user('B');
    const outsider = await user('O');
    const direct = await a.post('/api/v1/rooms', { memberIds: [b.user.id] });
    assertProblem(await a.patch(`/api/v1/rooms/${direct.body.id}`, { name: 'x' }), 409, 'conflict');
    const roomId = await group(a, [b]);
    assertProblem(await outsider.patch(`/api/v1/rooms/${roomId}`, { name: 'mine' }), 404, 'not-found');
    assertProblem(await a.patch(`/api/v1/rooms/${roomId}`, { name: 'x'.repeat(81) }), 400, 'validation');
    assertProblem(await a.patch(`/api/v1/rooms/${roomId}`, {}), 400, 'validation');
    const raw = await fetch(`${chat.url}/api/v1/rooms/${roomId}`, {
      method: 'PATCH', headers: { cookie: a.cookieHeader(), 'content-type': 'application/json' }, body: '{"name":"x"}',
    });
    assert.equal(raw.status, 403);
  });
});

describe('invite', () => {
  it('adds members at the invitation\'s seq: they see history from there, and everyone hears it live', async () => {
    const a = await user('Alice');
    const b = await user('Bob');
    const c = await user('Carol');
    const d = await user('Dave');
    const roomId = await group(a, [b]);
    await send(a, roomId, 'before 1');
    await send(b, roomId, 'before 2');
    const wb = await watch(b, roomId);

    const res = await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: [c.user.id, b.user.id, d.user.id, c.user.id] });
    assert.equal(res.status, 200, res.text);
    const carol = res.body.members.find((m) => m.user.id === c.user.id);
    assert.equal(carol.joinedSeq, 3);
    assert.equal(carol.lastReadSeq, 2);
    assert.equal(res.body.members.length, 4);

    const [sys, member] = await wb.feed.until(2);
    assert.equal(sys.headers.event, 'message');
    const system = JSON.parse(sys.body);
    assert.equal(system.type, 'system');
    assert.equal(system.senderId, null);
    assert.equal(system.seq, 3);
    assert.equal(system.unreadCount, 0);
    assert.match(system.text, /^Alice \d+ invited Carol \d+, Dave \d+$/);
    // What it is about, for clients to word in their own language.
    assert.deepEqual(system.system, { action: 'invited', actorId: a.user.id, userIds: [c.user.id, d.user.id] });
    assert.equal(member.headers.event, 'member');
    assert.deepEqual(JSON.parse(member.body), { roomId, action: 'joined', userIds: [c.user.id, d.user.id] });

    const history = await c.get(`/api/v1/rooms/${roomId}/messages`);
    assert.deepEqual(history.body.messages.map((m) => m.seq), [3]);
    assert.equal(history.body.hasMore, false);
    await send(c, roomId, 'hello from carol');
    assert.deepEqual((await b.get(`/api/v1/rooms/${roomId}/messages?after=2`)).body.messages.map((m) => m.seq), [3, 4]);

    // Everyone already in: nothing stored, nothing announced.
    const again = await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: [c.user.id] });
    assert.equal(again.status, 200);
    assert.equal((await a.get(`/api/v1/rooms/${roomId}`)).body.lastSeq, 4);
    await wb.client.deactivate();
  });

  it('refuses direct rooms (409), non-members (404), unknown users (404) and bad bodies (400)', async () => {
    const a = await user('A');
    const b = await user('B');
    const c = await user('C');
    const direct = await a.post('/api/v1/rooms', { memberIds: [b.user.id] });
    assertProblem(await a.post(`/api/v1/rooms/${direct.body.id}/members`, { userIds: [c.user.id] }), 409, 'conflict');
    const roomId = await group(a, [b]);
    assertProblem(await c.post(`/api/v1/rooms/${roomId}/members`, { userIds: [c.user.id] }), 404, 'not-found');
    assertProblem(await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: ['no-such-user'] }), 404, 'not-found');
    assertProblem(await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: 'x' }), 400, 'validation');
    assertProblem(await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: [] }), 400, 'validation');
    assert.equal((await a.get(`/api/v1/rooms/${roomId}`)).body.lastSeq, 0, 'no system message for a refusal');
  });
});

describe('room_invited notifications', () => {
  it('go to the members of a new room and to the invited, stored and live', async () => {
    const a = await user('Alice');
    const b = await user('Bob');
    const c = await user('Carol');
    const cb = await connectStomp(chat.url, { bearer: b.token });
    const live = collect(cb.client, '/user/queue/notifications', { receipt: 'nb' });
    await new Promise((r) => cb.client.watchForReceipt('nb', r));

    const roomId = await group(a, [b]);
    // The queue also carries `room` events (room_events.test.mjs): take the notification.
    let frame;
    for (let n = 1; !frame; n += 1) frame = (await live.until(n)).find((f) => f.headers.event === 'notification');
    const n = JSON.parse(frame.body);
    assert.equal(n.type, 'room_invited');
    assert.equal(n.roomId, roomId);
    assert.equal(n.actor.id, a.user.id);
    assert.equal(n.actor.email, undefined);

    assert.equal((await a.post(`/api/v1/rooms/${roomId}/members`, { userIds: [c.user.id] })).status, 200);
    const carols = await c.get('/api/v1/notifications');
    assert.equal(carols.status, 200, carols.text);
    assert.equal(carols.body.unreadCount, 1);
    assert.equal(carols.body.notifications[0].type, 'room_invited');
    assert.equal(carols.body.notifications[0].roomId, roomId);
    // The inviter gets none for their own room.
    assert.equal((await a.get('/api/v1/notifications')).body.notifications.length, 0);
    await cb.client.deactivate();
  });
});

describe('leave', () => {
  it('adds "X left", ends the leaver\'s subscription, and stops their sends and reads', async () => {
    const a = await user('Alice');
    const b = await user('Bob');
    const roomId = await group(a, [b]);
    const wa = await watch(a, roomId);
    const wb = await watch(b, roomId);

    // Bob's other device: its room list hears that the room is gone.
    const other = await connectStomp(chat.url, { bearer: b.token });
    const queue = collect(other.client, '/user/queue/notifications', { receipt: 'q-bob' });
    await new Promise((r) => other.client.watchForReceipt('q-bob', r));

    const res = await b.delete(`/api/v1/rooms/${roomId}/members/me`);
    assert.equal(res.status, 204, res.text);
    let removed;
    for (let n = 1; !removed; n += 1) removed = (await queue.until(n)).find((f) => f.headers.event === 'room_removed');
    assert.deepEqual(JSON.parse(removed.body), { roomId });
    await other.client.deactivate();
    const [sys, member] = await wa.feed.until(2);
    assert.equal(JSON.parse(sys.body).text.endsWith(' left'), true);
    assert.deepEqual(JSON.parse(sys.body).system, { action: 'left', actorId: b.user.id, userIds: [] });
    assert.deepEqual(JSON.parse(member.body), { roomId, action: 'left', userIds: [b.user.id] });
    // Bob sees his own leaving, then nothing more.
    const bobs = await wb.feed.until(2);
    await send(a, roomId, 'after bob left');
    await wa.feed.until(3);
    assert.equal(bobs.length, 2);
    assert.equal(wb.feed.got.length, 2, 'a member who left receives nothing more');

    assertProblem(await b.get(`/api/v1/rooms/${roomId}`), 404, 'not-found');
    assertProblem(await b.get(`/api/v1/rooms/${roomId}/messages`), 404, 'not-found');
    assertProblem(await b.post(`/api/v1/rooms/${roomId}/messages`, { clientMsgId: 'late', type: 'text', text: 'x' }), 404, 'not-found');
    assertProblem(await b.delete(`/api/v1/rooms/${roomId}/members/me`), 404, 'not-found');
    assert.ok(!(await b.get('/api/v1/rooms')).body.some((r) => r.id === roomId));
    await wa.client.deactivate();
    await wb.client.deactivate();
  });

  it('deletes the room with the last member, and a left direct room comes back when opened again', async () => {
    const a = await user('A');
    const b = await user('B');
    const roomId = await group(a, [b]);
    await send(a, roomId, 'soon gone');
    assert.equal((await a.delete(`/api/v1/rooms/${roomId}/members/me`)).status, 204);
    assert.equal((await b.delete(`/api/v1/rooms/${roomId}/members/me`)).status, 204);
    assertProblem(await a.get(`/api/v1/rooms/${roomId}`), 404, 'not-found');

    const direct = await a.post('/api/v1/rooms', { memberIds: [b.user.id] });
    await send(a, direct.body.id, 'first');
    assert.equal((await b.delete(`/api/v1/rooms/${direct.body.id}/members/me`)).status, 204);
    assert.ok(!(await b.get('/api/v1/rooms')).body.some((r) => r.id === direct.body.id));
    const reopened = await b.post('/api/v1/rooms', { memberIds: [a.user.id] });
    assert.equal(reopened.status, 200);
    assert.equal(reopened.body.id, direct.body.id, 'the one direct room of the pair');
    const bob = reopened.body.members.find((m) => m.user.id === b.user.id);
    assert.equal(bob.joinedSeq, 3, 'only what comes after his return (1: first, 2: B left)');
    assert.deepEqual((await b.get(`/api/v1/rooms/${direct.body.id}/messages`)).body.messages, []);
  });
});
