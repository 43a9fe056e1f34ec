// STOMP test clients: @stomp/stompjs over `ws` (what browsers and the
// original service's users ran), and a raw WebSocket for malformed input.

import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

export function wsUrl(httpUrl) {
  return httpUrl.replace(/^http/, 'ws') + '/ws/websocket';
}

// Connects a stompjs client; resolves to {client, connected (the CONNECTED
// frame), messages (every MESSAGE by destination), errors (ERROR frames)}.
// opts: bearer, cookie, origin, heartbeat [out, in] in ms.
export function connectStomp(httpUrl, { bearer, cookie, origin, heartbeat = [0, 0], timeoutMs = 10_000 } = {}) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  if (origin) headers.Origin = origin;
  const state = { errors: [], closed: false, frames: [] };
  return new Promise((resolve, reject) => {
    const client = new Client({
      webSocketFactory: () => new WebSocket(wsUrl(httpUrl), ['v12.stomp', 'v11.stomp', 'v10.stomp'], { headers }),
      connectHeaders: bearer ? { Authorization: `Bearer ${bearer}` } : {},
      reconnectDelay: 0,
      heartbeatOutgoing: heartbeat[0],
      heartbeatIncoming: heartbeat[1],
      debug: () => {},
    });
    const timer = setTimeout(() => { client.deactivate(); reject(new Error('STOMP connect timed out')); }, timeoutMs);
    client.onConnect = (frame) => {
      clearTimeout(timer);
      resolve({ client, connected: frame, state });
    };
    client.onStompError = (frame) => {
      state.errors.push(frame);
      clearTimeout(timer);
      reject(Object.assign(new Error(`STOMP ERROR: ${frame.headers.message}`), { frame }));
    };
    client.onWebSocketClose = (evt) => {
      state.closed = true;
      clearTimeout(timer);
      reject(Object.assign(new Error(`WebSocket closed (${evt.code})`), { code: evt.code }));
    };
    client.activate();
  });
}

// Collects MESSAGE frames of one subscription.
export function collect(client, destination, headers = {}) {
  const got = [];
  const waiters = [];
  const sub = client.subscribe(destination, (m) => {
    got.push(m);
    for (const w of [...waiters]) w();
  }, headers);
  return {
    sub,
    got,
    // Waits until `n` frames have arrived (deadline, not a timing assertion).
    async until(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (got.length < n) {
        if (Date.now() > deadline) throw new Error(`got ${got.length} of ${n} frames on ${destination}`);
        await new Promise((r) => { waiters.push(r); setTimeout(r, 100); });
      }
      return got;
    },
  };
}

// A raw WebSocket speaking whatever text it is given; collects what comes back.
export function rawSocket(httpUrl, { protocols = ['v12.stomp'], headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(httpUrl), protocols, { headers });
    const received = [];
    let closed = null;
    const closedPromise = new Promise((r) => ws.on('close', (code) => { closed = code; r(code); }));
    ws.on('message', (data) => received.push(data.toString()));
    ws.on('open', () => resolve({ ws, received, closedPromise, get closed() { return closed; } }));
    ws.on('unexpected-response', (req, res) => reject(Object.assign(new Error(`handshake refused ${res.statusCode}`), { status: res.statusCode })));
    ws.on('error', reject);
  });
}

// A signed-up user (an http.mjs Client) that also holds a bearer token in `.token`.
export async function userWithToken(url, name = 'User') {
  const { Client: HttpClient } = await import('./http.mjs');
  const assert = (await import('node:assert/strict')).default;
  const h = new HttpClient(url);
  await h.signup({ name });
  const token = await h.post('/api/v1/auth/tokens', { email: h.email, password: h.password });
  assert.equal(token.status, 201, token.text);
  h.token = token.body.token;
  return h;
}

// A group room made by `owner` (with a token) with `others`; resolves to its id.
export async function createGroupRoom(owner, others, name = 'test room') {
  const assert = (await import('node:assert/strict')).default;
  const res = await owner.post('/api/v1/rooms', { memberIds: others.map((o) => o.user.id), name },
    { bearer: false, headers: { Authorization: `Bearer ${owner.token}` } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}
