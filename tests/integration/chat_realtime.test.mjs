// The chat domain live: many senders on many connections into one room
// (seqs 1..N exactly once, every subscriber sees each once, in order),
// idempotent retries over STOMP and across REST and STOMP, and read events
// that keep unread counts current for open clients.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { useChatServer } from '../support/chat.mjs';
import { collect, connectStomp } from '../support/stomp.mjs';

const chat = useChatServer();
const { user, group } = chat;

function sendWithReceipt(client, roomId, body) {
  const receipt = `r-${Math.random().toString(36).slice(2)}`;
  const done = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  client.publish({ destination: `/app/rooms.${roomId}.${body.seq === undefined ? 'messages' : 'read'}`,
    body: JSON.stringify(body), headers: { receipt, 'content-type': 'application/json' } });
  return done;
}

async function subscribed(u, destination) {
  const c = await connectStomp(chat.url, { bearer: u.token });
  const receipt = `s-${Math.random().toString(36).slice(2)}`;
  const feed = collect(c.client, destination, { receipt });
  await new Promise((r) => c.client.watchForReceipt(receipt, r));
  return { client: c.client, feed };
}

describe('many senders, many connections', () => {
  it('5 senders x 40 messages over STOMP: seqs 1..200 once each, and every subscriber sees each once, in order', async () => {
    const senders = await Promise.all([1, 2, 3, 4, 5].map((i) => user(`Sender${i}`)));
    const watchers = await Promise.all([1, 2, 3].map((i) => user(`Watcher${i}`)));
    const roomId = await group(senders[0], [...senders.slice(1), ...watchers]);
    const feeds = await Promise.all(watchers.map((w) => subscribed(w, `/topic/rooms.${roomId}`)));
    const conns = await Promise.all(senders.map((s) => connectStomp(chat.url, { bearer: s.token })));

    // Each sender pipelines its 40 SENDs; all five at once.
    await Promise.all(conns.map((c, s) => Promise.all(Array.from({ length: 40 }, (_, i) => (
      sendWithReceipt(c.client, roomId, { clientMsgId: `s${s}-${i}`, type: 'text', text: `${s}:${i} 안녕 👋` })
    )))));

    for (const { feed } of feeds) {
      const got = await feed.until(200);
      const bodies = got.map((m) => JSON.parse(m.body));
      assert.deepEqual(bodies.map((b) => b.seq), Array.from({ length: 200 }, (_, i) => i + 1), 'in order, once each');
      // Each sender's messages keep their order.
      for (let s = 0; s < 5; s += 1) {
        const mine = bodies.filter((b) => b.clientMsgId.startsWith(`s${s}-`)).map((b) => Number(b.clientMsgId.split('-')[1]));
        assert.deepEqual(mine, Array.from({ length: 40 }, (_, i) => i));
      }
    }
    const history = await watchers[0].get(`/api/v1/rooms/${roomId}/messages?after=0&limit=100`);
    assert.equal(history.body.messages.length, 100);
    assert.equal((await watchers[0].get(`/api/v1/rooms/${roomId}`)).body.lastSeq, 200);
    await Promise.all([...conns, ...feeds].map((c) => c.client.deactivate()));
  });
});

describe('idempotent sends', () => {
  it('a STOMP retry, and a REST retry of a STOMP send, store and announce one message', async () => {
    const a = await user('A');
    const b = await user('B');
    const roomId = await group(a, [b]);
    const wb = await subscribed(b, `/topic/rooms.${roomId}`);
    const ca = await connectStomp(chat.url, { bearer: a.token });
    const body = { clientMsgId: 'once-only', type: 'text', text: '한 번만' };
    await sendWithReceipt(ca.client, roomId, body);
    await sendWithReceipt(ca.client, roomId, body);  // the retry still gets its RECEIPT
    const rest = await a.post(`/api/v1/rooms/${roomId}/messages`, body);
    assert.equal(rest.status, 200, 'a retry over REST answers with the original');
    assert.equal(rest.body.seq, 1);
    await sendWithReceipt(ca.client, roomId, { clientMsgId: 'next', type: 'text', text: 'next' });
    const got = await wb.feed.until(2);
    assert.deepEqual(got.map((m) => JSON.parse(m.body).seq), [1, 2], 'announced once');
    await ca.client.deactivate();
    await wb.client.deactivate();
  });
});

describe('read receipts live', () => {
  it('unread counts in a 3-person room follow reads made over REST and over STOMP', async () => {
    const a = await user('A');
    const b = await user('B');
    const c = await user('C');
    const roomId = await group(a, [b, c]);
    const wa = await subscribed(a, `/topic/rooms.${roomId}`);
    const sent = await a.post(`/api/v1/rooms/${roomId}/messages`, { clientMsgId: 'm1', type: 'text', text: 'hi' });
    assert.equal(sent.body.unreadCount, 2);

    assert.equal((await b.post(`/api/v1/rooms/${roomId}/read`, { seq: 1 })).status, 204);
    const cc = await connectStomp(chat.url, { bearer: c.token });
    await sendWithReceipt(cc.client, roomId, { seq: 1 });

    const events = await wa.feed.until(3);
    const reads = events.filter((m) => m.headers.event === 'read').map((m) => JSON.parse(m.body));
    assert.deepEqual(reads.map((r) => r.userId).sort(), [b.user.id, c.user.id].sort());
    assert.ok(reads.every((r) => r.roomId === roomId && r.lastReadSeq === 1));
    const page = await a.get(`/api/v1/rooms/${roomId}/messages`);
    assert.equal(page.body.messages[0].unreadCount, 0);
    // A read that goes nowhere new announces nothing.
    assert.equal((await b.post(`/api/v1/rooms/${roomId}/read`, { seq: 1 })).status, 204);
    await cc.client.deactivate();
    await wa.client.deactivate();
  });
});
