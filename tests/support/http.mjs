// HTTP helpers for the integration tests: a fetch-based client with a
// hand-made cookie jar and CSRF handling, raw-socket requests (for what fetch
// would normalise or refuse to send), and assertions for the wire contract.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';

const REQUEST_TIMEOUT_MS = 30_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let emailSerial = 0;
// A fresh address per call, unique across test files and runs.
export function uniqueEmail(prefix = 'user') {
  emailSerial += 1;
  return `${prefix}.${process.pid}.${Date.now().toString(36)}.${emailSerial}@example.test`;
}

export const PASSWORD = 'correct horse battery';

// Parses one Set-Cookie header value into {name, value, attrs} where attrs
// maps lower-cased attribute names to their value (true when valueless).
export function parseSetCookie(header) {
  const parts = header.split(';').map((p) => p.trim());
  const [nv, ...rest] = parts;
  const eq = nv.indexOf('=');
  const cookie = { name: nv.slice(0, eq), value: nv.slice(eq + 1), attrs: {} };
  for (const a of rest) {
    if (!a) continue;
    const i = a.indexOf('=');
    if (i < 0) cookie.attrs[a.toLowerCase()] = true;
    else cookie.attrs[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
  }
  return cookie;
}

function cookieIsRemoval(c) {
  if (c.value === '') return true;
  if (c.attrs['max-age'] !== undefined && Number(c.attrs['max-age']) <= 0) return true;
  if (typeof c.attrs.expires === 'string' && Date.parse(c.attrs.expires) < Date.now()) return true;
  return false;
}

// A user agent: cookies, the session's CSRF token, or a bearer token.
export class Client {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map(); // name -> value
    this.csrfToken = null;
    this.bearer = null;
    this.lastSetCookies = [];
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  // opts: json (serialised as the body), body (raw), headers,
  //       csrf: 'auto' (send this.csrfToken on unsafe methods when set),
  //             false (never), or a string to send as is;
  //       cookies: false to send no cookies; bearer: false to send none.
  async request(method, path, opts = {}) {
    const { json, body, headers = {}, csrf = 'auto', cookies = true, bearer = true } = opts;
    const h = { ...headers };
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    if (cookies && this.cookies.size) h.Cookie = this.cookieHeader();
    if (bearer && this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    if (csrf === 'auto') {
      if (UNSAFE.has(method) && this.csrfToken) h['X-CSRF-Token'] = this.csrfToken;
    } else if (typeof csrf === 'string') {
      h['X-CSRF-Token'] = csrf;
    }

    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: h,
      body: payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const out = await readResponse(res);
    this.lastSetCookies = res.headers.getSetCookie();
    for (const raw of this.lastSetCookies) {
      const c = parseSetCookie(raw);
      if (cookieIsRemoval(c)) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (out.body && typeof out.body === 'object' && typeof out.body.csrfToken === 'string') {
      this.csrfToken = out.body.csrfToken;
    }
    return out;
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, json, opts = {}) { return this.request('POST', path, { ...opts, json }); }
  patch(path, json, opts = {}) { return this.request('PATCH', path, { ...opts, json }); }
  put(path, json, opts = {}) { return this.request('PUT', path, { ...opts, json }); }
  delete(path, opts) { return this.request('DELETE', path, opts); }

  session() { return this.cookies.get('chattwo_session'); }

  async signup({ email = uniqueEmail(), password = PASSWORD, name = 'Tester' } = {}) {
    const res = await this.post('/api/v1/auth/signup', { email, password, name });
    assert.equal(res.status, 201, `signup ${email}: ${res.text}`);
    this.user = res.body.user;
    this.email = email;
    this.password = password;
    return res;
  }

  async login({ email = this.email, password = this.password } = {}) {
    const res = await this.post('/api/v1/auth/login', { email, password });
    assert.equal(res.status, 200, `login ${email}: ${res.text}`);
    this.user = res.body.user;
    return res;
  }
}

// fetch Response -> {status, headers, text, body (parsed JSON or null), raw}
export async function readResponse(res) {
  const buf = Buffer.from(await res.arrayBuffer());
  const text = buf.toString('utf8');
  let body = null;
  const ct = res.headers.get('content-type') || '';
  if (/json/i.test(ct) && text.length) {
    try { body = JSON.parse(text); } catch { body = undefined; }
  }
  return { status: res.status, headers: res.headers, text, body, bytes: buf };
}

export async function get(url, opts = {}) {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...opts });
  return readResponse(res);
}

// ---------------------------------------------------------------- assertions

const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function assertTimestamp(v, what = 'timestamp') {
  assert.equal(typeof v, 'string', `${what} is a string`);
  assert.match(v, RFC3339_MS, `${what} is RFC 3339 UTC with milliseconds`);
  assert.ok(!Number.isNaN(Date.parse(v)), `${what} parses`);
}

export function assertId(v, what = 'id') {
  assert.equal(typeof v, 'string', `${what} is a string`);
  assert.ok(v.length >= 1 && v.length <= 64, `${what} has 1..64 characters: ${v}`);
  assert.match(v, /^[\x21-\x7e]+$/, `${what} is printable ASCII`);
}

// headers: a fetch Headers or a plain object with lower-case keys.
function header(headers, name) {
  if (typeof headers.get === 'function') return headers.get(name);
  const v = headers[name.toLowerCase()];
  return v === undefined ? null : v;
}

export function assertCommonHeaders(res, what = '') {
  assert.equal(header(res.headers, 'x-content-type-options'), 'nosniff',
    `X-Content-Type-Options: nosniff ${what}`);
  const rid = header(res.headers, 'x-request-id');
  assert.ok(rid && rid.length > 0, `X-Request-Id present ${what}`);
}

// A problem+json error with the given status and type slug.
export function assertProblem(res, status, type) {
  const ctx = `(got ${res.status}: ${typeof res.text === 'string' ? res.text.slice(0, 500) : ''})`;
  assert.equal(res.status, status, `status ${status} ${ctx}`);
  const ct = header(res.headers, 'content-type') || '';
  assert.match(ct, /^application\/problem\+json\b/i, `content-type is application/problem+json ${ctx}`);
  const body = res.body !== undefined && res.body !== null ? res.body : JSON.parse(res.text);
  assert.equal(body.type, type, `problem type ${ctx}`);
  assert.equal(body.status, status, `problem status field ${ctx}`);
  assert.equal(typeof body.title, 'string', `problem title ${ctx}`);
  assert.ok(body.title.length > 0, `problem title non-empty ${ctx}`);
  assert.equal(typeof body.detail, 'string', `problem detail ${ctx}`);
  assert.ok(body.detail.length > 0, `problem detail non-empty ${ctx}`);
  assertCommonHeaders(res, ctx);
  return body;
}

// The caller's own User (with email) or another user's (without).
export function assertUser(u, { own } = {}) {
  assert.ok(u && typeof u === 'object', 'user is an object');
  assertId(u.id, 'user.id');
  assert.equal(typeof u.name, 'string', 'user.name');
  assert.ok('avatar' in u, 'user.avatar present');
  assert.ok(u.avatar === null || typeof u.avatar === 'object', 'user.avatar is Image|null');
  assert.equal(typeof u.statusMessage, 'string', 'user.statusMessage');
  assertTimestamp(u.createdAt, 'user.createdAt');
  if (own === true) assert.equal(typeof u.email, 'string', 'own user has email');
  if (own === false) assert.ok(!('email' in u), `another user's email is never returned: ${JSON.stringify(u)}`);
}

// ---------------------------------------------------------------- raw sockets

export function hostPort(url) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

export function connect(url, { timeoutMs = 10_000 } = {}) {
  const { host, port } = hostPort(url);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`connect to ${url} timed out`)); }, timeoutMs);
    sock.once('connect', () => { clearTimeout(timer); sock.setNoDelay(true); resolve(sock); });
    sock.once('error', (err) => { clearTimeout(timer); reject(err); });
  });
}

// 'refused' when nothing listens, 'connected' when a connection was made
// (it is closed at once), else the error code.
export async function tryConnect(url) {
  try {
    const s = await connect(url, { timeoutMs: 5_000 });
    s.destroy();
    return 'connected';
  } catch (err) {
    return err.code === 'ECONNREFUSED' ? 'refused' : (err.code || err.message);
  }
}

// Reads HTTP/1.1 responses off a socket, one after another.
export class ResponseReader {
  constructor(sock) {
    this.sock = sock;
    this.buf = Buffer.alloc(0);
    this.ended = false;
    this.error = null;
    this.waiters = [];
    this.closedPromise = new Promise((resolve) => sock.once('close', () => resolve(true)));
    sock.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    sock.on('end', () => { this.ended = true; this.wake(); });
    sock.on('close', () => { this.ended = true; this.wake(); });
    sock.on('error', (err) => { this.error = err; this.ended = true; this.wake(); });
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  changed() {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  // Tries to take one complete response off the buffer.
  tryParse({ head = false } = {}) {
    for (;;) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return null;
      const headText = this.buf.subarray(0, end).toString('latin1');
      const lines = headText.split('\r\n');
      const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
      if (!m) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
      const status = Number(m[2]);
      const headers = {};
      const headerList = [];
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim().toLowerCase();
        const v = line.slice(i + 1).trim();
        headerList.push([k, v]);
        headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
      }
      const rest = this.buf.subarray(end + 4);
      if (status >= 100 && status < 200) {
        this.buf = rest;
        continue; // 100 Continue and friends
      }
      let body;
      let consumed;
      if (head || status === 204 || status === 304) {
        body = Buffer.alloc(0);
        consumed = 0;
      } else if (/chunked/i.test(headers['transfer-encoding'] || '')) {
        const r = dechunk(rest);
        if (!r) return null;
        ({ body, consumed } = r);
      } else if (headers['content-length'] !== undefined) {
        const len = Number(headers['content-length']);
        if (rest.length < len) return null;
        body = rest.subarray(0, len);
        consumed = len;
      } else {
        if (!this.ended) return null; // body until close
        body = rest;
        consumed = rest.length;
      }
      this.buf = this.buf.subarray(end + 4 + consumed);
      const text = body.toString('utf8');
      let json = null;
      if (/json/i.test(headers['content-type'] || '') && text.length) {
        try { json = JSON.parse(text); } catch { json = undefined; }
      }
      return { status, statusText: m[3] || '', headers, headerList, bytes: body, text, body: json };
    }
  }

  // The next complete response; rejects when the connection ends first or
  // after timeoutMs.
  async next({ timeoutMs = 15_000, head = false } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = this.tryParse({ head });
      if (r) return r;
      if (this.ended) {
        throw new Error(`connection ended before a complete response` +
          (this.error ? ` (${this.error.code || this.error.message})` : '') +
          `; received: ${JSON.stringify(this.buf.toString('latin1').slice(0, 300))}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no complete response within ${timeoutMs} ms; received: ` +
          JSON.stringify(this.buf.toString('latin1').slice(0, 300)));
      }
      let timer;
      await Promise.race([this.changed(), new Promise((r) => { timer = setTimeout(r, left); })]);
      clearTimeout(timer);
    }
  }

  // Resolves true when the peer has closed the connection, false on timeout.
  async closed({ timeoutMs = 15_000 } = {}) {
    let timer;
    const t = new Promise((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    try {
      return await Promise.race([this.closedPromise, t]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function dechunk(buf) {
  const parts = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) return null;
    const size = parseInt(buf.subarray(pos, eol).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) throw new Error('bad chunk size');
    pos = eol + 2;
    if (size === 0) {
      const trailerEnd = buf.indexOf('\r\n\r\n', pos - 2);
      if (trailerEnd < 0) return null;
      return { body: Buffer.concat(parts), consumed: trailerEnd + 4 };
    }
    if (buf.length < pos + size + 2) return null;
    parts.push(buf.subarray(pos, pos + size));
    pos += size + 2;
  }
}

// Sends `data` (string or Buffer) on a fresh connection and reads one
// response. The connection is closed afterwards.
export async function rawRequest(url, data, { timeoutMs = 15_000, head = false } = {}) {
  const sock = await connect(url);
  const reader = new ResponseReader(sock);
  try {
    sock.write(data);
    return await reader.next({ timeoutMs, head });
  } finally {
    sock.destroy();
  }
}

// A GET for `target` exactly as written (no normalisation).
export function rawGet(url, target, extraHeaders = '') {
  return rawRequest(url, `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extraHeaders}Connection: close\r\n\r\n`);
}

// ---------------------------------------------------------------- /proc/net/tcp

function procTcpPort(addr) {
  return parseInt(addr.split(':')[1], 16);
}

// Waits until the server has read everything this client socket sent (the
// server side's receive queue is empty), so the request is really in the
// server's hands. Returns false when /proc/net/tcp can't tell (then the caller
// gets a short settle instead).
export async function waitServerHasRead(serverPort, clientPort, { timeoutMs = 15_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let seen = false;
  for (;;) {
    let text;
    try {
      text = fs.readFileSync('/proc/net/tcp', 'utf8');
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
      return false;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 5) continue;
      if (procTcpPort(f[1]) !== serverPort || procTcpPort(f[2]) !== clientPort) continue;
      seen = true;
      const rxQueue = parseInt(f[4].split(':')[1], 16);
      if (rxQueue === 0) return true;
    }
    if (Date.now() > deadline) {
      if (!seen) return false;
      throw new Error(`the server did not read the request within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
