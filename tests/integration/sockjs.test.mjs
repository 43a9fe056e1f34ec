// STOMP over SockJS (/ws): the stock sockjs-client and @stomp/stompjs on each
// transport (websocket, xhr-streaming, xhr-polling, eventsource), and the
// SockJS 0.3.3 protocol byte for byte (sockjs-protocol-0.3.3.py): /ws/info,
// the framing, xhr_send errors, one receiver per session, Origin checks.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { Client as StompClient } from '@stomp/stompjs';
import SockJS from 'sockjs-client';
import WebSocket from 'ws';

import { connect, get } from '../support/http.mjs';
import { startServer } from '../support/server.mjs';
import { createGroupRoom, userWithToken } from '../support/stomp.mjs';

let s;
const clients = [];
before(async () => { s = await startServer({ args: ['--max-send-rate', '0'] }); });
after(async () => {
  for (const c of clients) await c.deactivate().catch(() => {});
  await s?.stop();
});

const NUL = '\u0000';
let serial = 0;
const sessionUrl = () => `${s.url}/ws/000/t${process.pid}x${++serial}${Math.random().toString(36).slice(2, 8)}`;

function user(name = 'User') {
  return userWithToken(s.url, name);
}

function groupRoom(owner, others) {
  return createGroupRoom(owner, others, 'sockjs test');
}

async function assertServes() {
  const res = await get(`${s.url}/healthz`);
  assert.equal(res.status, 200);
}

// One HTTP request on a connection of its own; resolves to {status, headers, text}.
function request(method, url, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(40_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// A response read as it streams: `until(pred)` waits for the text so far to satisfy pred.
function stream(method, url, { headers = {} } = {}) {
  const state = { text: '', ended: false, status: null, headers: null, waiters: new Set() };
  const wake = () => { for (const w of [...state.waiters]) w(); };
  const req = http.request(url, { method, headers, agent: false }, (res) => {
    state.status = res.statusCode;
    state.headers = res.headers;
    res.setEncoding('utf8');
    res.on('data', (d) => { state.text += d; wake(); });
    res.on('end', () => { state.ended = true; wake(); });
    res.on('error', () => { state.ended = true; wake(); });
    wake();
  });
  req.on('error', () => { state.ended = true; wake(); });
  req.end();
  state.until = async (pred, what = 'the expected data', timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pred(state)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(state.text.slice(-300))}`);
      await new Promise((r) => { const t = setTimeout(r, 200); state.waiters.add(() => { clearTimeout(t); r(); }); });
    }
    return state;
  };
  state.close = () => req.destroy();
  return state;
}

const connectFrame = (token) =>
  `CONNECT\naccept-version:1.2\nhost:x\nheart-beat:0,0\n${token ? `Authorization:Bearer ${token}\n` : ''}\n${NUL}`;

async function send(url, messages) {
  const res = await request('POST', `${url}/xhr_send`, { body: JSON.stringify(messages), headers: { 'Content-Type': 'text/plain' } });
  assert.equal(res.status, 204, res.text);
  return res;
}

// ---------------------------------------------------------------------------

describe('sockjs-client and stompjs, on every transport', () => {
  for (const transport of ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource']) {
    it(`${transport}: CONNECT with a bearer token, SUBSCRIBE, SEND with a receipt, MESSAGE`, async () => {
      const a = await user('Alice');
      const b = await user('Bob');
      const room = await groupRoom(a, [b]);
      const client = await new Promise((resolve, reject) => {
        const c = new StompClient({
          webSocketFactory: () => new SockJS(`${s.url}/ws`, null, { transports: [transport] }),
          connectHeaders: { Authorization: `Bearer ${a.token}` },
          reconnectDelay: 0,
          heartbeatIncoming: 0,
          heartbeatOutgoing: 0,
          debug: () => {},
        });
        clients.push(c);
        const timer = setTimeout(() => reject(new Error(`${transport}: STOMP connect timed out`)), 10_000);
        c.onConnect = (frame) => { clearTimeout(timer); resolve({ c, frame }); };
        c.onStompError = (frame) => { clearTimeout(timer); reject(new Error(`STOMP ERROR: ${frame.headers.message}`)); };
        c.onWebSocketClose = (evt) => { clearTimeout(timer); reject(new Error(`${transport}: closed (${evt.code} ${evt.reason})`)); };
        c.activate();
      });
      const { c, frame } = client;
      assert.equal(frame.headers['user-name'], a.user.id);
      assert.equal(frame.headers.version, '1.2');
      c.onWebSocketClose = () => {};

      const got = [];
      await new Promise((resolve) => {
        c.watchForReceipt('sub-1', resolve);
        c.subscribe(`/topic/rooms.${room}`, (m) => got.push(m), { receipt: 'sub-1' });
      });
      const text = `über ${transport} 👋 "quoted" \\ back\nslash`;
      await new Promise((resolve) => {
        c.watchForReceipt('send-1', resolve);
        c.publish({
          destination: `/app/rooms.${room}.messages`,
          body: JSON.stringify({ clientMsgId: `m-${transport}`, type: 'text', text }),
          headers: { receipt: 'send-1', 'content-type': 'application/json' },
        });
      });
      const deadline = Date.now() + 10_000;
      while (got.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(got.length, 1, 'the MESSAGE arrived');
      assert.equal(got[0].headers.event, 'message');
      const body = JSON.parse(got[0].body);
      assert.equal(body.text, text);
      assert.equal(body.senderId, a.user.id);
      await c.deactivate();
      await assertServes();
    });
  }
});

describe('the SockJS protocol, byte for byte', () => {
  it('/ws/info: the capabilities, uncached, with fresh entropy; OPTIONS is cacheable CORS', async () => {
    const r1 = await request('GET', `${s.url}/ws/info`);
    assert.equal(r1.status, 200);
    assert.equal(r1.headers['content-type'], 'application/json; charset=UTF-8');
    assert.equal(r1.headers['cache-control'], 'no-store, no-cache, must-revalidate, max-age=0');
    assert.equal(r1.headers['access-control-allow-origin'], '*');
    assert.equal(r1.headers['set-cookie'], undefined);
    const info = JSON.parse(r1.text);
    assert.deepEqual(Object.keys(info).sort(), ['cookie_needed', 'entropy', 'origins', 'websocket']);
    assert.equal(info.websocket, true);
    assert.equal(info.cookie_needed, false);
    assert.deepEqual(info.origins, ['*:*']);
    assert.ok(Number.isInteger(info.entropy) && info.entropy >= 0 && info.entropy < 2 ** 32);
    const r2 = await request('GET', `${s.url}/ws/info`);
    assert.notEqual(JSON.parse(r2.text).entropy, info.entropy);

    const origin = s.url;  // same-origin: echoed, with credentials
    const o = await request('OPTIONS', `${s.url}/ws/info`, { headers: { Origin: origin } });
    assert.equal(o.status, 204);
    assert.equal(o.text, '');
    assert.equal(o.headers['access-control-allow-origin'], origin);
    assert.equal(o.headers['access-control-allow-credentials'], 'true');
    assert.equal(o.headers['access-control-allow-methods'], 'OPTIONS, GET');
    assert.equal(o.headers['access-control-max-age'], '31536000');
    assert.equal(o.headers['cache-control'], 'public, max-age=31536000');
    assert.ok(o.headers.expires);

    const greeting = await request('GET', `${s.url}/ws`);
    assert.equal(greeting.status, 200);
    assert.equal(greeting.text, 'Welcome to SockJS!\n');
    for (const bad of ['/ws/iframe.html', '/ws/a/a', '/ws/a./a/xhr', '/ws/a/a./xhr', '/ws//a/xhr', '/ws/a/a/nope']) {
      assert.equal((await request('POST', `${s.url}${bad}`)).status, 404, bad);
    }
  });

  it('xhr-streaming: 2 KiB of h, then o, then a[...] frames, chunked', async () => {
    const a = await user();
    const url = sessionUrl();
    const path = new URL(url).pathname;
    const sock = await connect(s.url);
    let raw = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { raw += d; });
    sock.write(`POST ${path}/xhr_streaming HTTP/1.1\r\nHost: ${new URL(s.url).host}\r\nContent-Length: 0\r\n\r\n`);
    const waitFor = async (needle) => {
      const deadline = Date.now() + 10_000;
      while (!raw.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(needle.slice(0, 60))} in ${JSON.stringify(raw.slice(-300))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // 2049 bytes = 0x801: the prelude chunk, then the open frame's chunk.
    const prelude = `801\r\n${'h'.repeat(2048)}\n\r\n`;
    await waitFor(`${prelude}2\r\no\n\r\n`);
    const head = `${raw.split('\r\n\r\n', 1)[0]}\r\n`;
    assert.match(head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(head, /\r\nContent-Type: application\/javascript; charset=UTF-8\r\n/i);
    assert.match(head, /\r\nTransfer-Encoding: chunked\r\n/i);
    assert.match(head, /\r\nCache-Control: no-store, no-cache, must-revalidate, max-age=0\r\n/i);
    assert.ok(raw.slice(head.length + 2).startsWith(`${prelude}2\r\no\n\r\n`), raw.slice(head.length, head.length + 40));

    await send(url, [connectFrame(a.token)]);
    await waitFor('\\u0000"]\n\r\n');
    const frame = raw.slice(raw.indexOf('\r\na["CONNECTED') + 2);
    assert.match(frame, /^a\["CONNECTED\\nversion:1\.2\\n.*user-name:[0-9A-Z]+\\n\\n\\u0000"\]\n\r\n$/s);
    sock.destroy();
  });

  it('xhr-polling: o, then each poll answers what is queued; xhr_send answers 204', async () => {
    const a = await user();
    const url = sessionUrl();
    const first = await request('POST', `${url}/xhr`);
    assert.equal(first.status, 200);
    assert.equal(first.text, 'o\n');
    assert.equal(first.headers['content-type'], 'application/javascript; charset=UTF-8');
    assert.equal(first.headers['cache-control'], 'no-store, no-cache, must-revalidate, max-age=0');

    const sent = await send(url, [connectFrame(a.token)]);
    assert.equal(sent.text, '');
    assert.equal(sent.headers['content-type'], 'text/plain; charset=UTF-8');
    const poll = await request('POST', `${url}/xhr`);
    assert.equal(poll.status, 200);
    assert.match(poll.text, /^a\["CONNECTED\\n.*\\u0000"\]\n$/s);
    const connected = JSON.parse(poll.text.slice(1));
    assert.equal(connected.length, 1);
    assert.match(connected[0], new RegExp(`\nuser-name:${a.user.id}\n\n${NUL}$`));

    // DISCONNECT with a receipt: the RECEIPT, then the close frame.
    await send(url, [`DISCONNECT\nreceipt:bye\n\n${NUL}`]);
    const receipt = await request('POST', `${url}/xhr`);
    assert.equal(receipt.text, `a[${JSON.stringify(`RECEIPT\nreceipt-id:bye\n\n${NUL}`)}]\n`);
    const closed = await request('POST', `${url}/xhr`);
    assert.equal(closed.text, 'c[3000,"Go away!"]\n');
    // A closed session keeps saying so (until it times out), and takes no more messages.
    assert.equal((await request('POST', `${url}/xhr`)).text, 'c[3000,"Go away!"]\n');
    assert.equal((await request('POST', `${url}/xhr_send`, { body: '["x"]' })).status, 404);
  });

  it('xhr_send errors: 404 for an unknown session, 500 for no payload or broken JSON', async () => {
    const unknown = await request('POST', `${sessionUrl()}/xhr_send`, { body: '["a"]' });
    assert.equal(unknown.status, 404);

    const url = sessionUrl();
    assert.equal((await request('POST', `${url}/xhr`)).text, 'o\n');
    const empty = await request('POST', `${url}/xhr_send`, { body: '' });
    assert.equal(empty.status, 500);
    assert.equal(empty.text, 'Payload expected.');
    const broken = await request('POST', `${url}/xhr_send`, { body: '["x' });
    assert.equal(broken.status, 500);
    assert.equal(broken.text, 'Broken JSON encoding.');
    const notStrings = await request('POST', `${url}/xhr_send`, { body: '[1,2]' });
    assert.equal(notStrings.status, 500);
    assert.equal(notStrings.text, 'Broken JSON encoding.');
    // The session is unharmed: a good send is taken.
    assert.equal((await request('POST', `${url}/xhr_send`, { body: '["\\n"]' })).status, 204);
    await assertServes();
  });

  it('a second receiving request on a session gets c[2010,...]; an aborted one ends the session', async () => {
    const url = sessionUrl();
    assert.equal((await request('POST', `${url}/xhr`)).text, 'o\n');
    // Two long polls at once: whichever the server sees second is refused
    // at once; the other stays attached.
    const polls = [stream('POST', `${url}/xhr`)];
    await new Promise((r) => setTimeout(r, 200));
    polls.push(stream('POST', `${url}/xhr`));
    const refused = await Promise.race(polls.map((p) => p.until((st) => st.ended, 'a refused poll', 20_000).then(() => p)));
    assert.equal(refused.status, 200);
    assert.equal(refused.text, 'c[2010,"Another connection still open"]\n');
    const first = polls.find((p) => p !== refused);
    assert.equal(first.ended, false);

    const streaming = stream('POST', `${url}/xhr_streaming`);
    await streaming.until((st) => st.ended, 'the second stream to end');
    assert.equal(streaming.text, `${'h'.repeat(2048)}\nc[2010,"Another connection still open"]\n`);

    // The client goes away mid-poll: messages may be lost, so the session ends (SockJS's 1002).
    first.close();
    let after;
    const until = Date.now() + 10_000;
    do {
      after = await request('POST', `${url}/xhr`);
    } while (after.text.startsWith('c[2010') && Date.now() < until);
    assert.ok(['o\n', 'c[1002,"Connection interrupted"]\n'].includes(after.text), after.text);
    await assertServes();
  });

  it('a session with no receiving request for disconnect_delay (5 s) ends', async () => {
    const a = await user();
    const url = sessionUrl();
    assert.equal((await request('POST', `${url}/xhr`)).text, 'o\n');
    await send(url, [connectFrame(a.token)]);
    assert.match((await request('POST', `${url}/xhr`)).text, /^a\["CONNECTED/);
    // Nobody polls now: within a generous deadline the session is gone
    // (xhr_send: 404) and a poll on its id opens a new one.
    const deadline = Date.now() + 20_000;
    let status;
    do {
      await new Promise((r) => setTimeout(r, 500));
      status = (await request('POST', `${url}/xhr_send`, { body: '["\\n"]' })).status;
    } while (status === 204 && Date.now() < deadline);
    assert.equal(status, 404);
    assert.equal((await request('POST', `${url}/xhr`)).text, 'o\n');
  });

  it('eventsource: text/event-stream, a CRLF prelude, data: frames', async () => {
    const a = await user();
    const url = sessionUrl();
    const es = stream('GET', `${url}/eventsource`);
    await es.until((st) => st.text.length >= 2 + 'data: o\r\n\r\n'.length, 'the open frame');
    assert.equal(es.status, 200);
    assert.equal(es.headers['content-type'], 'text/event-stream; charset=UTF-8');
    assert.equal(es.text, '\r\ndata: o\r\n\r\n');
    await send(url, [connectFrame(a.token)]);
    await es.until((st) => st.text.endsWith('\\u0000"]\r\n\r\n'), 'CONNECTED');
    assert.match(es.text, /^\r\ndata: o\r\n\r\ndata: a\["CONNECTED\\n.*\\u0000"\]\r\n\r\n$/s);
    es.close();
  });

  it('websocket: o, then a[...] messages; the client sends JSON arrays', async () => {
    const a = await user();
    const wsUrl = `${sessionUrl().replace(/^http/, 'ws')}/websocket`;
    const ws = new WebSocket(wsUrl);
    const received = [];
    const waiters = [];
    ws.on('message', (d) => { received.push(d.toString()); for (const w of waiters.splice(0)) w(); });
    const closed = new Promise((r) => ws.on('close', r));
    const next = async (n) => {
      const deadline = Date.now() + 10_000;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`got ${received.length} of ${n} messages: ${received}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
      }
      return received[n - 1];
    };
    assert.equal(await next(1), 'o');
    ws.send('');  // empty messages are ignored
    ws.send(JSON.stringify([connectFrame(a.token)]));
    assert.match(await next(2), /^a\["CONNECTED\\n.*\\u0000"\]$/s);
    ws.send(JSON.stringify(`DISCONNECT\nreceipt:bye\n\n${NUL}`));  // a single string is a message too
    assert.equal(await next(3), `a[${JSON.stringify(`RECEIPT\nreceipt-id:bye\n\n${NUL}`)}]`);
    assert.equal(await next(4), 'c[3000,"Go away!"]');
    await closed;

    // Broken JSON ends the connection abruptly.
    const ws2 = new WebSocket(wsUrl.replace(/\/websocket$/, 'b/websocket'));
    const msgs = [];
    ws2.on('message', (d) => msgs.push(d.toString()));
    await new Promise((r) => ws2.on('open', r));
    ws2.send('["a');
    await new Promise((r) => ws2.on('close', r));
    assert.equal(msgs[0], 'o');
    await assertServes();
  });

  it('a session signs in with the cookie of the request that created it', async () => {
    const a = await user();
    const url = sessionUrl();
    const cookie = `chattwo_session=${a.session()}`;
    assert.equal((await request('POST', `${url}/xhr`, { headers: { Cookie: cookie } })).text, 'o\n');
    await send(url, [connectFrame(null)]);
    const poll = await request('POST', `${url}/xhr`);
    assert.match(poll.text, new RegExp(`^a\\["CONNECTED\\\\n.*user-name:${a.user.id}\\\\n`, 's'));

    // Without a cookie or a token: ERROR, then the close frame.
    const anon = sessionUrl();
    assert.equal((await request('POST', `${anon}/xhr`)).text, 'o\n');
    await send(anon, [connectFrame(null)]);
    const refused = await request('POST', `${anon}/xhr`);
    assert.match(refused.text, /^a\["ERROR\\nmessage:unauthenticated/);
    assert.equal((await request('POST', `${anon}/xhr`)).text, 'c[3000,"Go away!"]\n');
  });

  it('refuses a foreign Origin on every session transport (no cross-site hijacking)', async () => {
    const a = await user();
    const evil = { Origin: 'https://evil.example', Cookie: `chattwo_session=${a.session()}` };
    const url = sessionUrl();
    for (const t of ['xhr', 'xhr_streaming', 'xhr_send']) {
      const res = await request('POST', `${url}/${t}`, { headers: evil, body: '["x"]' });
      assert.equal(res.status, 403, t);
      assert.equal(res.headers['access-control-allow-origin'], undefined, t);
    }
    assert.equal((await request('GET', `${url}/eventsource`, { headers: evil })).status, 403);
    await assert.rejects(new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/websocket`, { headers: evil });
      ws.on('open', resolve);
      ws.on('unexpected-response', (req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode })));
      ws.on('error', reject);
    }), (e) => e.status === 403);
    // /ws/info answers, but without CORS headers the browser keeps it from the page.
    const info = await request('GET', `${s.url}/ws/info`, { headers: evil });
    assert.equal(info.status, 200);
    assert.equal(info.headers['access-control-allow-origin'], undefined);
    // The same origin is welcome, with credentials.
    const ok = await request('POST', `${sessionUrl()}/xhr`, { headers: { Origin: s.url } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], s.url);
    assert.equal(ok.headers['access-control-allow-credentials'], 'true');
    await assertServes();
  });
});
