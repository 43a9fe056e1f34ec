// Rooms and messages over REST: direct and group rooms, membership (404 for
// everyone else), sending with seqs and idempotent retries, text limits,
// Korean and emoji, read marks and unread counts.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  Client, assertId, assertProblem, assertTimestamp, assertUser,
} from '../support/http.mjs';
import { startServer } from '../support/server.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  if (server) await server.stop();
});

let serial = 0;
async function user(name = 'Member') {
  const c = new Client(url);
  await c.signup({ name: `${name} ${++serial}` });
  return c;
}

async function createRoom(owner, others, name) {
  const body = { memberIds: others.map((o) => o.user.id) };
  if (name !== undefined) body.name = name;
  return owner.post('/api/v1/rooms', body);
}

async function groupRoom(owner, others, name = '모임') {
  const res = await createRoom(owner, others, name);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

let msgSerial = 0;
function clientMsgId() {
  msgSerial += 1;
  return `cm-${process.pid}-${msgSerial}`;
}

async function send(c, roomId, text, id = clientMsgId()) {
  return c.post(`/api/v1/rooms/${roomId}/messages`, { clientMsgId: id, type: 'text', text });
}

const codePoints = (s) => Array.from(s).length;

function assertRoom(room, { kind, memberIds, callerId }) {
  assertId(room.id, 'room.id');
  assert.equal(room.kind, kind);
  assert.equal(typeof room.name, 'string');
  assertTimestamp(room.createdAt, 'room.createdAt');
  assert.equal(typeof room.lastSeq, 'number');
  assert.deepEqual(room.members.map((m) => m.user.id).sort(), [...memberIds].sort());
  for (const m of room.members) {
    assertUser(m.user, { own: m.user.id === callerId });
    assert.equal(typeof m.lastReadSeq, 'number');
    assert.equal(typeof m.joinedSeq, 'number');
  }
}

function assertMessage(m) {
  assertId(m.id, 'message.id');
  assertId(m.roomId, 'message.roomId');
  assert.equal(typeof m.seq, 'number');
  assert.ok(m.seq >= 1);
  assert.ok(m.senderId === null || typeof m.senderId === 'string');
  assert.ok(['text', 'image', 'system'].includes(m.type));
  assertTimestamp(m.createdAt, 'message.createdAt');
  assert.equal(typeof m.unreadCount, 'number');
}

describe('creating rooms', () => {
  it('makes one direct room per pair: 201 from one side, 200 from either side after', async () => {
    const a = await user('Ann');
    const b = await user('Ben');
    const first = await createRoom(a, [b]);
    assert.equal(first.status, 201, first.text);
    assertRoom(first.body, { kind: 'direct', memberIds: [a.user.id, b.user.id], callerId: a.user.id });
    assert.equal(first.body.name, '');
    assert.equal(first.body.lastSeq, 0);
    for (const m of first.body.members) {
      assert.equal(m.joinedSeq, 1);
      assert.equal(m.lastReadSeq, 0);
    }
    const own = first.body.members.find((m) => m.user.id === a.user.id).user;
    assert.equal(own.email, a.email, "the caller's own User has the email");

    const fromB = await createRoom(b, [a]);
    assert.equal(fromB.status, 200, fromB.text);
    assert.equal(fromB.body.id, first.body.id);
    assertRoom(fromB.body, { kind: 'direct', memberIds: [a.user.id, b.user.id], callerId: b.user.id });
    const again = await createRoom(a, [b, a]);  // listing oneself changes nothing
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, first.body.id);
  });

  it('makes a group room for a name or more than one other member, each time a new one', async () => {
    const a = await user('Ann');
    const b = await user('Ben');
    const c = await user('Cho');
    const group = await createRoom(a, [b, c]);
    assert.equal(group.status, 201, group.text);
    assertRoom(group.body, { kind: 'group', memberIds: [a.user.id, b.user.id, c.user.id], callerId: a.user.id });
    assert.equal(group.body.name, '');
    const again = await createRoom(a, [b, c]);
    assert.equal(again.status, 201);
    assert.notEqual(again.body.id, group.body.id);

    const named = await createRoom(a, [b], '  우리 둘 💕  ');
    assert.equal(named.status, 201, named.text);
    assert.equal(named.body.kind, 'group');
    assert.equal(named.body.name, '우리 둘 💕', 'the name is stored trimmed');
  });

  it('refuses unknown members (404) and malformed bodies (400)', async () => {
    const a = await user();
    const b = await user();
    assertProblem(await a.post('/api/v1/rooms', { memberIds: [b.user.id, 'no-such-user'] }), 404, 'not-found');
    assertProblem(await a.post('/api/v1/rooms', {}), 400, 'validation');
    assertProblem(await a.post('/api/v1/rooms', { memberIds: b.user.id }), 400, 'validation');
    assertProblem(await a.post('/api/v1/rooms', { memberIds: [42] }), 400, 'validation');
    assertProblem(await a.post('/api/v1/rooms', { memberIds: [b.user.id], name: 'x'.repeat(81) }), 400, 'validation');
    assertProblem(await a.post('/api/v1/rooms', { memberIds: [b.user.id], name: 7 }), 400, 'validation');
  });

  it('needs a signed-in caller', async () => {
    const anon = new Client(url);
    assertProblem(await anon.post('/api/v1/rooms', { memberIds: [] }), 401, 'unauthenticated');
    assertProblem(await anon.get('/api/v1/rooms/whatever'), 401, 'unauthenticated');
  });
});

describe('membership', () => {
  it('answers 404 to non-members for GET, send and read, as for a room that does not exist', async () => {
    const a = await user();
    const b = await user();
    const outsider = await user('Outsider');
    const room = await groupRoom(a, [b]);

    const seen = await b.get(`/api/v1/rooms/${room.id}`);
    assert.equal(seen.status, 200, seen.text);
    assertRoom(seen.body, { kind: 'group', memberIds: [a.user.id, b.user.id], callerId: b.user.id });
    assert.ok(!('email' in seen.body.members.find((m) => m.user.id === a.user.id).user),
      "another member's email never leaks");

    for (const roomId of [room.id, 'no-such-room']) {
      const get = await outsider.get(`/api/v1/rooms/${roomId}`);
      const sent = await send(outsider, roomId, 'let me in');
      const read = await outsider.post(`/api/v1/rooms/${roomId}/read`, { seq: 1 });
      const bodies = [get, sent, read].map((r) => assertProblem(r, 404, 'not-found'));
      assert.equal(bodies[0].detail, bodies[1].detail);
    }
    const after = await a.get(`/api/v1/rooms/${room.id}`);
    assert.equal(after.body.lastSeq, 0, "the outsider's send stored nothing");
  });
});

describe('sending', () => {
  it('returns 201 with the Message, the next seq, and the text exactly as sent', async () => {
    const a = await user();
    const b = await user();
    const room = await groupRoom(a, [b]);
    const id = clientMsgId();
    const text = '  안녕하세요! 👋🏽 🇰🇷 반가워요 — "quotes" \\ <b>not html</b>\n둘째 줄  ';
    const res = await send(a, room.id, text, id);
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type') || '', /^application\/json\b/i);
    assertMessage(res.body);
    assert.equal(res.body.roomId, room.id);
    assert.equal(res.body.seq, 1);
    assert.equal(res.body.senderId, a.user.id);
    assert.equal(res.body.type, 'text');
    assert.equal(res.body.text, text);
    assert.equal(res.body.clientMsgId, id);
    assert.equal(res.body.unreadCount, 1, 'unread by the other member only');

    const second = await send(b, room.id, '🙂');
    assert.equal(second.status, 201, second.text);
    assert.equal(second.body.seq, 2);
    assert.equal(second.body.text, '🙂');

    const after = await a.get(`/api/v1/rooms/${room.id}`);
    assert.equal(after.body.lastSeq, 2);
    const marks = Object.fromEntries(after.body.members.map((m) => [m.user.id, m.lastReadSeq]));
    assert.deepEqual(marks, { [a.user.id]: 1, [b.user.id]: 2 }, "a sender's read mark moves to their message");
  });

  it('answers a retry with the same clientMsgId with 200 and the original message', async () => {
    const a = await user();
    const b = await user();
    const room = await groupRoom(a, [b]);
    const id = clientMsgId();
    const first = await send(a, room.id, 'only once', id);
    assert.equal(first.status, 201, first.text);
    const retry = await send(a, room.id, 'only once', id);
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.id, first.body.id);
    assert.equal(retry.body.seq, first.body.seq);
    assert.equal(retry.body.text, 'only once');
    const next = await send(a, room.id, 'next');
    assert.equal(next.body.seq, 2, 'the retry used up no seq');
  });

  it('gives 5 concurrent senders x 40 messages the seqs 1..200 exactly once', async () => {
    const owner = await user('Owner');
    const others = await Promise.all([1, 2, 3, 4].map(() => user('Sender')));
    const senders = [owner, ...others];
    const room = await groupRoom(owner, others, 'busy');
    const results = await Promise.all(senders.map(async (s, si) => {
      const seqs = [];
      for (let i = 0; i < 40; i += 1) {
        const res = await send(s, room.id, `sender ${si} message ${i}`);
        assert.equal(res.status, 201, res.text);
        seqs.push(res.body.seq);
      }
      return seqs;
    }));
    for (const seqs of results) {
      assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), "one sender's seqs increase");
    }
    const all = results.flat().sort((x, y) => x - y);
    assert.deepEqual(all, Array.from({ length: 200 }, (_, i) => i + 1));
    const after = await owner.get(`/api/v1/rooms/${room.id}`);
    assert.equal(after.body.lastSeq, 200);
  });

  it('accepts 10000 code points and refuses 10001, blank text and bad bodies with 400', async () => {
    const a = await user();
    const room = await groupRoom(a, []);
    const max = '가'.repeat(9999) + '😀';
    assert.equal(codePoints(max), 10000);
    const ok = await send(a, room.id, max);
    assert.equal(ok.status, 201, ok.text.slice(0, 300));
    assert.equal(ok.body.text, max);
    const ascii = await send(a, room.id, 'a'.repeat(10000));
    assert.equal(ascii.status, 201);

    const over = assertProblem(await send(a, room.id, `${max}a`), 400, 'validation');
    assert.equal(over.field, 'text');
    for (const blank of ['', ' ', ' \t\n ', '\u3000\u00a0']) {
      const res = assertProblem(await send(a, room.id, blank), 400, 'validation');
      assert.equal(res.field, 'text');
    }
    const path = `/api/v1/rooms/${room.id}/messages`;
    const bad = [
      [{ type: 'text', text: 'hi' }, 'clientMsgId'],
      [{ clientMsgId: '', type: 'text', text: 'hi' }, 'clientMsgId'],
      [{ clientMsgId: 'x'.repeat(65), type: 'text', text: 'hi' }, 'clientMsgId'],
      [{ clientMsgId: 'k', text: 'hi' }, 'type'],
      [{ clientMsgId: 'k', type: 'video', text: 'hi' }, 'type'],
      [{ clientMsgId: 'k', type: 'text' }, 'text'],
      [{ clientMsgId: 'k', type: 'text', text: 5 }, 'text'],
      [{ clientMsgId: 'k', type: 'image', imageId: 'img' }, 'imageId'],  // not an upload of the sender's
    ];
    for (const [body, field] of bad) {
      const res = assertProblem(await a.post(path, body), 400, 'validation');
      assert.equal(res.field, field, JSON.stringify(body));
    }
    const after = await a.get(`/api/v1/rooms/${room.id}`);
    assert.equal(after.body.lastSeq, 2, 'nothing refused was stored');
  });
});

describe('reading', () => {
  it('moves lastReadSeq only forward (204 either way) and caps it at the last seq', async () => {
    const a = await user();
    const b = await user();
    const room = await groupRoom(a, [b]);
    for (let i = 0; i < 5; i += 1) assert.equal((await send(a, room.id, `m${i}`)).status, 201);
    const readMark = async () => {
      const r = await a.get(`/api/v1/rooms/${room.id}`);
      return r.body.members.find((m) => m.user.id === b.user.id).lastReadSeq;
    };
    const read = (seq) => b.post(`/api/v1/rooms/${room.id}/read`, { seq });

    let res = await read(3);
    assert.equal(res.status, 204, res.text);
    assert.equal(await readMark(), 3);
    res = await read(1);
    assert.equal(res.status, 204, 'a lower seq is a no-op, not an error');
    assert.equal(await readMark(), 3);
    res = await read(1000);
    assert.equal(res.status, 204);
    assert.equal(await readMark(), 5, 'capped at lastSeq');

    assertProblem(await read(-1), 400, 'validation');
    assertProblem(await read('3'), 400, 'validation');
    assertProblem(await read(2.5), 400, 'validation');
    assertProblem(await b.post(`/api/v1/rooms/${room.id}/read`, {}), 400, 'validation');
  });

  it('counts unreadCount over the members in a 3-person room', async () => {
    const a = await user('Ann');
    const b = await user('Ben');
    const c = await user('Cho');
    const room = await groupRoom(a, [b, c]);
    const first = await send(a, room.id, '다들 읽었어?');
    assert.equal(first.body.unreadCount, 2, 'Ben and Cho have not read it');

    assert.equal((await b.post(`/api/v1/rooms/${room.id}/read`, { seq: 1 })).status, 204);
    const reply = await send(b, room.id, '응 👍');
    assert.equal(reply.body.seq, 2);
    assert.equal(reply.body.unreadCount, 2, 'Ann (at 1) and Cho (at 0) have not read it');

    assert.equal((await c.post(`/api/v1/rooms/${room.id}/read`, { seq: 2 })).status, 204);
    const third = await send(c, room.id, '나도');
    assert.equal(third.body.unreadCount, 2, 'Ann and Ben have not read seq 3');
    // A retry reports the count as it is now.
    assert.equal((await a.post(`/api/v1/rooms/${room.id}/read`, { seq: 3 })).status, 204);
    const retry = await send(c, room.id, '나도', third.body.clientMsgId);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.unreadCount, 1, 'only Ben is left');
  });
});

describe('send rate limit', () => {
  it('answers 429 with Retry-After past the burst (--max-send-rate 1: bursts of 4)', async () => {
    const limited = await startServer({ args: ['--max-send-rate', '1'] });
    try {
      const a = new Client(limited.url);
      await a.signup();
      const b = new Client(limited.url);
      await b.signup();
      const room = await a.post('/api/v1/rooms', { memberIds: [b.user.id], name: 'rate' });
      assert.equal(room.status, 201, room.text);
      const statuses = [];
      for (let i = 0; i < 20; i += 1) {
        const res = await a.post(`/api/v1/rooms/${room.body.id}/messages`, { clientMsgId: `r${i}`, type: 'text', text: `m${i}` });
        statuses.push(res.status);
        if (res.status === 429) {
          assert.equal(res.body.type, 'rate-limited');
          assert.match(res.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
          break;
        }
      }
      assert.ok(statuses.includes(429), `statuses: ${statuses.join(',')}`);
      assert.ok(statuses.filter((s) => s === 201).length >= 4, 'the burst of 4 goes through');
    } finally {
      await limited.stop();
    }
  });
});
