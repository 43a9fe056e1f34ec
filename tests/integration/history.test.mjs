// History over REST: pages backwards (before) and forwards (after) through
// a room, hasMore at both ends, limits and their errors, unread counts on
// every message, members only.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, assertProblem } from '../support/http.mjs';
import { startServer } from '../support/server.mjs';

let server;
let url;
let alice;
let bob;
let carol;
let roomId;
const TOTAL = 120;

before(async () => {
  server = await startServer({ args: ['--max-send-rate', '0'] });
  url = server.url;
  alice = new Client(url);
  bob = new Client(url);
  carol = new Client(url);
  await alice.signup({ name: 'Alice 앨리스' });
  await bob.signup({ name: 'Bob' });
  await carol.signup({ name: 'Carol' });
  const room = await alice.post('/api/v1/rooms', { memberIds: [bob.user.id], name: '기록' });
  assert.equal(room.status, 201, room.text);
  roomId = room.body.id;
  for (let i = 1; i <= TOTAL; i += 1) {
    const sender = i % 2 ? alice : bob;
    const res = await sender.post(`/api/v1/rooms/${roomId}/messages`,
      { clientMsgId: `h-${process.pid}-${i}`, type: 'text', text: `메시지 ${i} 🙂` });
    assert.equal(res.status, 201, res.text);
  }
});

after(async () => {
  if (server) await server.stop();
});

const path = (query) => `/api/v1/rooms/${roomId}/messages${query}`;
const seqs = (body) => body.messages.map((m) => m.seq);
const range = (first, last) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

describe('history pages', () => {
  it('walks backwards from the newest page with before, 50 at a time by default', async () => {
    const newest = await alice.get(path(''));
    assert.equal(newest.status, 200, newest.text);
    assert.deepEqual(seqs(newest.body), range(71, 120));
    assert.equal(newest.body.hasMore, true);
    const older = await alice.get(path('?before=71'));
    assert.deepEqual(seqs(older.body), range(21, 70));
    assert.equal(older.body.hasMore, true);
    const oldest = await alice.get(path('?before=21'));
    assert.deepEqual(seqs(oldest.body), range(1, 20));
    assert.equal(oldest.body.hasMore, false);
  });

  it('walks forwards with after, and says when it reached the end', async () => {
    const seen = [];
    let cursor = 0;
    for (;;) {
      const page = await bob.get(path(`?after=${cursor}&limit=33`));
      assert.equal(page.status, 200, page.text);
      seen.push(...seqs(page.body));
      if (!page.body.hasMore) break;
      cursor = page.body.messages.at(-1).seq;
    }
    assert.deepEqual(seen, range(1, TOTAL));
    const empty = await bob.get(path(`?after=${TOTAL}`));
    assert.deepEqual(empty.body, { messages: [], hasMore: false });
  });

  it('returns each message as stored, Korean and emoji exactly', async () => {
    const page = await alice.get(path('?after=0&limit=2'));
    const [first, second] = page.body.messages;
    assert.equal(first.text, '메시지 1 🙂');
    assert.equal(first.senderId, alice.user.id);
    assert.equal(first.roomId, roomId);
    assert.equal(first.type, 'text');
    assert.equal(first.clientMsgId, `h-${process.pid}-1`);
    assert.equal(second.senderId, bob.user.id);
  });

  it('reads over 100 as 100, and refuses a limit below 1, non-integers and before with after', async () => {
    const big = await alice.get(path('?limit=1000'));
    assert.equal(big.status, 200);
    assert.equal(big.body.messages.length, 100);
    assertProblem(await alice.get(path('?limit=0')), 400, 'validation');
    assertProblem(await alice.get(path('?limit=abc')), 400, 'validation');
    assertProblem(await alice.get(path('?before=1x')), 400, 'validation');
    assertProblem(await alice.get(path('?before=-1')), 400, 'validation');
    assertProblem(await alice.get(path('?before=10&after=5')), 400, 'validation');
  });

  it('carries unread counts that follow read marks', async () => {
    // Alice sent the odd seqs, bob the even ones, and sending reads all
    // before: only the newest (bob's 120) is still unread, by alice.
    let page = await alice.get(path('?after=116'));
    assert.deepEqual(page.body.messages.map((m) => m.unreadCount), [0, 0, 0, 1]);
    const mark = await alice.post(`/api/v1/rooms/${roomId}/read`, { seq: TOTAL });
    assert.equal(mark.status, 204);
    const markBob = await bob.post(`/api/v1/rooms/${roomId}/read`, { seq: TOTAL });
    assert.equal(markBob.status, 204);
    page = await alice.get(path('?after=110'));
    assert.ok(page.body.messages.every((m) => m.unreadCount === 0), page.text);
  });

  it('is for members only: everyone else gets 404, the signed-out 401', async () => {
    assertProblem(await carol.get(path('')), 404, 'not-found');
    assertProblem(await carol.get(path('?after=0')), 404, 'not-found');
    assertProblem(await new Client(url).get(path('')), 401, 'unauthenticated');
    assertProblem(await alice.get('/api/v1/rooms/nonexistent/messages'), 404, 'not-found');
  });
});
