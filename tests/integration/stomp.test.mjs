// STOMP 1.2 over a raw WebSocket (/ws/websocket) with the stock
// @stomp/stompjs client: connect, subscribe, send, receive, receipts, and
// every failure of API.md, each followed by proof that the server serves on.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { get } from '../support/http.mjs';
import { startServer } from '../support/server.mjs';
import {
  collect, connectStomp, createGroupRoom, rawSocket, userWithToken,
} from '../support/stomp.mjs';

let s;
const clients = [];
before(async () => { s = await startServer({ args: ['--max-send-rate', '0'] }); });
after(async () => {
  for (const c of clients) await c.deactivate().catch(() => {});
  await s?.stop();
});

function user(name = 'User') {
  return userWithToken(s.url, name);
}

async function stomp(u, opts = {}) {
  const c = await connectStomp(s.url, { bearer: u.token, ...opts });
  clients.push(c.client);
  return c;
}

function groupRoom(owner, others) {
  return createGroupRoom(owner, others, 'stomp test');
}

async function assertServes() {
  const res = await get(`${s.url}/healthz`);
  assert.equal(res.status, 200);
}

function publishWithReceipt(client, destination, body) {
  const receipt = `r-${Math.random().toString(36).slice(2)}`;
  const done = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
  client.publish({ destination, body: JSON.stringify(body), headers: { receipt, 'content-type': 'application/json' } });
  return done;
}

describe('connect', () => {
  it('connects with a bearer token on CONNECT; CONNECTED names the user and the version', async () => {
    const a = await user();
    const { connected } = await stomp(a);
    assert.equal(connected.headers.version, '1.2');
    assert.equal(connected.headers['user-name'], a.user.id);
    assert.match(connected.headers.server, /^chattwo/);
    assert.match(connected.headers['heart-beat'], /^\d+,\d+$/);
  });

  it('connects with the session cookie of the handshake', async () => {
    const a = await user();
    const { connected } = await stomp(a, { bearer: undefined, cookie: `chattwo_session=${a.session()}` });
    assert.equal(connected.headers['user-name'], a.user.id);
  });

  it('refuses a CONNECT without credentials with ERROR and a close', async () => {
    await assert.rejects(connectStomp(s.url, {}), (e) => /unauthenticated|closed/.test(e.message));
    await assertServes();
  });

  it('refuses a handshake from a foreign Origin (cross-site WebSocket hijacking)', async () => {
    const a = await user();
    await assert.rejects(rawSocket(s.url, { headers: { Origin: 'https://evil.example', Cookie: `chattwo_session=${a.session()}` } }),
      (e) => e.status === 403);
    await assertServes();
  });
});

describe('rooms', () => {
  it('delivers a SEND to every member subscribed, with the RECEIPT after storing', async () => {
    const a = await user('Alice');
    const b = await user('Bob');
    const room = await groupRoom(a, [b]);
    const ca = await stomp(a);
    const cb = await stomp(b);
    const ga = collect(ca.client, `/topic/rooms.${room}`);
    const gb = collect(cb.client, `/topic/rooms.${room}`);
    // A receipt on the SUBSCRIBE makes sure the subscription is in place.
    await new Promise((r) => { cb.client.watchForReceipt('sub-b', r); cb.client.subscribe('/topic/none-x', () => {}, { receipt: 'sub-b' }); });
    await new Promise((r) => { ca.client.watchForReceipt('sub-a', r); ca.client.subscribe('/user/queue/errors', () => {}, { receipt: 'sub-a' }); });

    const text = '안녕하세요 👋 STOMP';
    await publishWithReceipt(ca.client, `/app/rooms.${room}.messages`, { clientMsgId: 'm1', type: 'text', text });
    const [mb] = await gb.until(1);
    const [ma] = await ga.until(1);
    for (const m of [ma, mb]) {
      assert.equal(m.headers.event, 'message');
      assert.equal(m.headers['content-type'], 'application/json');
      assert.ok(m.headers['message-id']);
      const body = JSON.parse(m.body);
      assert.equal(body.text, text);
      assert.equal(body.seq, 1);
      assert.equal(body.senderId, a.user.id);
      assert.equal(body.clientMsgId, 'm1');
    }
  });

  it('answers a SUBSCRIBE to a room the user is not in on /user/queue/errors, and delivers nothing for it', async () => {
    const a = await user();
    const b = await user();
    const outsider = await user();
    const room = await groupRoom(a, [b]);
    const co = await stomp(outsider);
    const errors = collect(co.client, '/user/queue/errors');
    const spy = collect(co.client, `/topic/rooms.${room}`);
    const [err] = await errors.until(1);
    const problem = JSON.parse(err.body);
    assert.equal(problem.status, 404);
    const ca = await stomp(a);
    await publishWithReceipt(ca.client, `/app/rooms.${room}.messages`, { clientMsgId: 'x1', type: 'text', text: 'secret' });
    // A later message to the outsider's own queue proves the earlier one would have arrived by now.
    const errors2 = errors.got.length;
    co.client.publish({ destination: `/app/rooms.${room}.messages`, body: JSON.stringify({ clientMsgId: 'o1', type: 'text', text: 'let me in' }) });
    await errors.until(errors2 + 1);
    assert.equal(spy.got.length, 0);
    assert.equal(JSON.parse(errors.got.at(-1).body).clientMsgId, 'o1');
  });
});

describe('protocol violations', () => {
  async function violation(frame) {
    const a = await user();
    const sock = await rawSocket(s.url);
    sock.ws.send(`CONNECT\naccept-version:1.2\nhost:x\nAuthorization:Bearer ${a.token}\n\n\0`);
    sock.ws.send(frame);
    const code = await sock.closedPromise;
    const all = sock.received.join('');
    assert.match(all, /^CONNECTED\n/);
    assert.match(all, /ERROR\n/);
    await assertServes();
    return { code, all };
  }

  it('SEND to /topic is an ERROR and a close', async () => {
    await violation('SEND\ndestination:/topic/rooms.x\n\nhi\0');
  });

  it('SEND to /user is an ERROR and a close', async () => {
    await violation('SEND\ndestination:/user/queue/notifications\n\nhi\0');
  });

  it('a malformed frame is an ERROR and a close', async () => {
    await violation('HELLO\n\n\0');
  });

  it('a frame over 64 KiB is an ERROR and a close', async () => {
    await violation(`SEND\ndestination:/app/rooms.x.messages\n\n${'x'.repeat(65 * 1024)}\0`);
  });
});

describe('revocation', () => {
  it('closes the STOMP connections of a session when it logs out', async () => {
    const a = await user();
    const cookie = `chattwo_session=${a.session()}`;
    const sock = await rawSocket(s.url, { headers: { Cookie: cookie } });
    sock.ws.send('CONNECT\naccept-version:1.2\nhost:x\n\n\0');
    const deadline = Date.now() + 10_000;
    while (!sock.received.join('').startsWith('CONNECTED') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(sock.received.join(''), /^CONNECTED\n/);
    // A bearer token of the same user is another sign-in: it stays connected.
    const other = await stomp(a);
    const res = await a.post('/api/v1/auth/logout', undefined, { bearer: false });
    assert.equal(res.status, 204, res.text);
    await sock.closedPromise;
    assert.match(sock.received.join(''), /ERROR\nmessage:session revoked/);
    assert.equal(other.client.connected, true);
    await assertServes();
  });
});

describe('heart-beats', () => {
  let hb;
  before(async () => { hb = await startServer({ args: ['--stomp-heartbeat', '200ms'] }); });
  after(async () => { await hb?.stop(); });

  it('negotiates heart-beats, sends them, and closes a client that sends none', async () => {
    const a = await userWithToken(hb.url);
    const sock = await rawSocket(hb.url);
    sock.ws.send(`CONNECT\naccept-version:1.2\nhost:x\nheart-beat:200,200\nAuthorization:Bearer ${a.token}\n\n\0`);
    const deadline = Date.now() + 15_000;
    // The server's EOLs come as WebSocket messages of their own after CONNECTED.
    while (!sock.received.slice(1).some((m) => m === '\n') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(sock.received[0], /^CONNECTED\n/);
    assert.match(sock.received[0], /\nheart-beat:200,200\n/);
    assert.ok(sock.received.slice(1).some((m) => m === '\n'), 'the server sent a heart-beat');
    // We send nothing: the server must give up on us (within its grace).
    const code = await Promise.race([sock.closedPromise, new Promise((r) => setTimeout(() => r('timeout'), 15_000))]);
    assert.notEqual(code, 'timeout', 'the server closed the silent client');
    const res = await get(`${hb.url}/healthz`);
    assert.equal(res.status, 200);
  });

  it('keeps a client that sends its heart-beats', async () => {
    const a = await userWithToken(hb.url);
    const c = await connectStomp(hb.url, { bearer: a.token, heartbeat: [200, 200] });
    clients.push(c.client);
    await new Promise((r) => setTimeout(r, 3000));  // many heart-beat periods
    assert.equal(c.client.connected, true);
  });
});
