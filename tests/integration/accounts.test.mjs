// Accounts: signup, login, sessions and CSRF, bearer tokens, logout, the
// caller's profile (/api/v1/me), other users, and the login rate limits.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  Client, PASSWORD, assertCommonHeaders, assertProblem, assertTimestamp, assertUser,
  get, parseSetCookie, uniqueEmail,
} from '../support/http.mjs';
import { delay, startServer } from '../support/server.mjs';

const cp = (s) => Array.from(s).length; // length in Unicode code points

let server;
let url;

before(async () => {
  server = await startServer();
  url = server.url;
});

after(async () => {
  if (server) await server.stop();
});

async function assertStillServes() {
  const res = await get(`${url}/healthz`);
  assert.equal(res.status, 200, `server still serves /healthz: ${res.status} ${res.text}`);
}

function sessionCookieOf(res) {
  const raw = res.headers.getSetCookie().find((c) => c.startsWith('chattwo_session='));
  return raw ? parseSetCookie(raw) : null;
}

describe('signup', () => {
  it('creates the account, returns {user, csrfToken} and sets an HttpOnly SameSite=Lax session cookie', async () => {
    const c = new Client(url);
    const email = uniqueEmail('signup');
    const res = await c.post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'Signup Sam' });
    assert.equal(res.status, 201, res.text);
    assertCommonHeaders(res);
    assert.match(res.headers.get('content-type') || '', /^application\/json\b/i);
    assertUser(res.body.user, { own: true });
    assert.equal(res.body.user.email, email);
    assert.equal(res.body.user.name, 'Signup Sam');
    assert.equal(res.body.user.avatar, null);
    assert.equal(res.body.user.statusMessage, '');
    assert.equal(typeof res.body.csrfToken, 'string');
    assert.ok(res.body.csrfToken.length >= 16, 'csrfToken is long enough to be unguessable');

    const cookie = sessionCookieOf(res);
    assert.ok(cookie, `a chattwo_session cookie is set: ${JSON.stringify(res.headers.getSetCookie())}`);
    assert.ok(cookie.value.length >= 16, 'session id is long enough to be unguessable');
    assert.equal(cookie.attrs.httponly, true, 'HttpOnly');
    assert.equal(String(cookie.attrs.samesite).toLowerCase(), 'lax', 'SameSite=Lax');
    assert.ok(!('secure' in cookie.attrs), 'no Secure over plain http');
    if (cookie.attrs.path !== undefined) assert.equal(cookie.attrs.path, '/');

    // The cookie is a working session.
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.id, res.body.user.id);
    assert.equal(me.body.email, email);
  });

  it('stores the email trimmed and lower-cased, and the name trimmed', async () => {
    const c = new Client(url);
    const base = uniqueEmail('MiXeD');
    const sent = `  ${base.replace('@example.test', '@Example.TEST').toUpperCase()} \t`;
    const res = await c.post('/api/v1/auth/signup', { email: sent, password: PASSWORD, name: '  \t Trimmed Tom  ' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.user.email, base.toLowerCase());
    assert.equal(res.body.user.name, 'Trimmed Tom');
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.email, base.toLowerCase());
    assert.equal(me.body.name, 'Trimmed Tom');

    // Login compares the email case-insensitively and trims it too.
    const c2 = new Client(url);
    const login = await c2.post('/api/v1/auth/login', { email: ` ${base.toUpperCase()} `, password: PASSWORD });
    assert.equal(login.status, 200, login.text);
    assert.equal(login.body.user.id, res.body.user.id);
  });

  it('answers 409 conflict for an email that exists, also in another case', async () => {
    const email = uniqueEmail('dup');
    await new Client(url).signup({ email });
    const again = await new Client(url).post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'Dup' });
    assertProblem(again, 409, 'conflict');
    const upper = await new Client(url).post('/api/v1/auth/signup',
      { email: email.toUpperCase(), password: PASSWORD, name: 'Dup' });
    assertProblem(upper, 409, 'conflict');
    const padded = await new Client(url).post('/api/v1/auth/signup',
      { email: `  ${email}  `, password: PASSWORD, name: 'Dup' });
    assertProblem(padded, 409, 'conflict');
    assert.ok(!sessionCookieOf(upper), 'a refused signup sets no session cookie');
    await assertStillServes();
  });

  it('needs a password of at least 8 characters', async () => {
    const seven = await new Client(url).post('/api/v1/auth/signup',
      { email: uniqueEmail('pw7'), password: '1234567', name: 'Seven' });
    assertProblem(seven, 400, 'validation');
    const empty = await new Client(url).post('/api/v1/auth/signup',
      { email: uniqueEmail('pw0'), password: '', name: 'Empty' });
    assertProblem(empty, 400, 'validation');
    const eight = await new Client(url).post('/api/v1/auth/signup',
      { email: uniqueEmail('pw8'), password: '12345678', name: 'Eight' });
    assert.equal(eight.status, 201, eight.text);
    await assertStillServes();
  });

  it('refuses an invalid email with 400 and accepts one of exactly 254 characters', async () => {
    const bad = [
      'no-at-sign.example.test',
      '@example.test',
      'local@',
      '',
      '   ',
      'two@@example.test',
      // 255 characters: 64 + 1 + 190.
      `${'a'.repeat(64)}@${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(62)}`,
    ];
    assert.equal(bad.at(-1).length, 255);
    for (const email of bad) {
      const res = await new Client(url).post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'Bad Email' });
      assertProblem(res, 400, 'validation');
    }
    const tag = Date.now().toString(36).padEnd(12, '0').slice(0, 12);
    const ok254 = `${tag}${'a'.repeat(52)}@${'x'.repeat(63)}.${'y'.repeat(63)}.${'z'.repeat(61)}`;
    assert.equal(ok254.length, 254);
    const res = await new Client(url).post('/api/v1/auth/signup', { email: ok254, password: PASSWORD, name: 'Long Email' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.user.email, ok254);
    await assertStillServes();
  });

  it('checks the name: 1 to 40 code points after trimming; Korean and emoji count one each', async () => {
    for (const name of ['', '   ', 'a'.repeat(41), '가'.repeat(41), '😀'.repeat(41)]) {
      const res = await new Client(url).post('/api/v1/auth/signup', { email: uniqueEmail('name'), password: PASSWORD, name });
      assertProblem(res, 400, 'validation');
    }
    for (const name of ['a', 'a'.repeat(40), '가'.repeat(40), '😀'.repeat(40), `${'한'.repeat(20)}${'🎉'.repeat(20)}`]) {
      assert.ok(cp(name) <= 40);
      const res = await new Client(url).post('/api/v1/auth/signup', { email: uniqueEmail('name'), password: PASSWORD, name });
      assert.equal(res.status, 201, `name of ${cp(name)} code points: ${res.text}`);
      assert.equal(res.body.user.name, name, 'the name round-trips exactly');
    }
    await assertStillServes();
  });

  it('answers 400 for missing or wrong-typed fields, and ignores unknown fields', async () => {
    const bodies = [
      { password: PASSWORD, name: 'No Email' },
      { email: uniqueEmail('f'), name: 'No Password' },
      { email: uniqueEmail('f'), password: PASSWORD },
      { email: 42, password: PASSWORD, name: 'Number Email' },
      { email: uniqueEmail('f'), password: 12345678, name: 'Number Password' },
      { email: uniqueEmail('f'), password: PASSWORD, name: ['array'] },
      { email: null, password: PASSWORD, name: 'Null Email' },
    ];
    for (const b of bodies) {
      const res = await new Client(url).post('/api/v1/auth/signup', b);
      assertProblem(res, 400, 'validation');
    }
    const res = await new Client(url).post('/api/v1/auth/signup',
      { email: uniqueEmail('extra'), password: PASSWORD, name: 'Extra', favouriteColour: 'green', admin: true });
    assert.equal(res.status, 201, res.text);
    assert.ok(!('admin' in res.body.user));
    await assertStillServes();
  });
});

describe('login and sessions', () => {
  it('logs in with {user, csrfToken}, sets a new session id, and /auth/session returns the same', async () => {
    const c = new Client(url);
    const signup = await c.signup({ name: 'Login Lee' });
    const firstSession = c.session();
    assert.ok(firstSession);

    // Login needs no CSRF token and gives a new session id, even when the
    // browser already holds one.
    const login = await c.request('POST', '/api/v1/auth/login',
      { json: { email: c.email, password: PASSWORD }, csrf: false });
    assert.equal(login.status, 200, login.text);
    assertCommonHeaders(login);
    assertUser(login.body.user, { own: true });
    assert.equal(login.body.user.id, signup.body.user.id);
    assert.equal(login.body.user.email, c.email);
    assert.equal(typeof login.body.csrfToken, 'string');
    const cookie = sessionCookieOf(login);
    assert.ok(cookie, 'login sets the session cookie');
    assert.equal(cookie.attrs.httponly, true);
    assert.equal(String(cookie.attrs.samesite).toLowerCase(), 'lax');
    assert.notEqual(cookie.value, firstSession, 'login issues a new session id');

    const s = await c.get('/api/v1/auth/session');
    assert.equal(s.status, 200, s.text);
    assertUser(s.body.user, { own: true });
    assert.equal(s.body.user.id, signup.body.user.id);
    assert.equal(s.body.csrfToken, login.body.csrfToken, "the session's csrfToken");
  });

  it('gives the same 401 for an unknown email and for a wrong password', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Bad Login' });
    const wrongPw = await new Client(url).post('/api/v1/auth/login', { email: c.email, password: 'not the password' });
    const unknown = await new Client(url).post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: 'not the password' });
    const a = assertProblem(wrongPw, 401, 'unauthenticated');
    const b = assertProblem(unknown, 401, 'unauthenticated');
    assert.deepEqual({ type: a.type, title: a.title, status: a.status, detail: a.detail },
      { type: b.type, title: b.title, status: b.status, detail: b.detail },
      'unknown email and wrong password are indistinguishable');
    assert.ok(!sessionCookieOf(wrongPw), 'a failed login sets no session cookie');
    assert.ok(!sessionCookieOf(unknown), 'a failed login sets no session cookie');
    await assertStillServes();
  });

  it('answers 400 for a login body with missing or wrong-typed fields', async () => {
    for (const b of [{}, { email: uniqueEmail('x') }, { password: PASSWORD }, { email: 1, password: PASSWORD }, { email: uniqueEmail('x'), password: false }]) {
      const res = await new Client(url).post('/api/v1/auth/login', b);
      assertProblem(res, 400, 'validation');
    }
    await assertStillServes();
  });

  it('answers 401 unauthenticated without a session or token', async () => {
    const c = new Client(url);
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await c.get('/api/v1/auth/session'), 401, 'unauthenticated');
    assertProblem(await c.patch('/api/v1/me', { name: 'Nobody' }), 401, 'unauthenticated');
    c.cookies.set('chattwo_session', 'not-a-real-session-id');
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
    const b = new Client(url);
    b.bearer = 'not-a-real-token';
    assertProblem(await b.get('/api/v1/me'), 401, 'unauthenticated');
    await assertStillServes();
  });

  it('lists the sign-in providers', async () => {
    const res = await new Client(url).get('/api/v1/auth/providers');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.local, true);
    assert.ok(Array.isArray(res.body.oidc), 'oidc is a list');
  });
});

describe('CSRF protection', () => {
  it('refuses a cookie-authenticated PATCH/POST/DELETE without or with a wrong X-CSRF-Token (403)', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Csrf Carla' });

    assertProblem(await c.patch('/api/v1/me', { name: 'Hijacked' }, { csrf: false }), 403, 'forbidden');
    assertProblem(await c.patch('/api/v1/me', { name: 'Hijacked' }, { csrf: 'wrong-token' }), 403, 'forbidden');
    assertProblem(await c.patch('/api/v1/me', { name: 'Hijacked' }, { csrf: '' }), 403, 'forbidden');
    assertProblem(await c.request('POST', '/api/v1/auth/tokens', { csrf: false }), 403, 'forbidden');
    assertProblem(await c.request('POST', '/api/v1/auth/logout', { csrf: false }), 403, 'forbidden');
    assertProblem(await c.request('POST', '/api/v1/auth/logout', { csrf: 'wrong-token' }), 403, 'forbidden');

    // Nothing of that took effect: the name is unchanged and the session lives.
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.name, 'Csrf Carla');

    // Another session's token is not this session's token.
    const other = new Client(url);
    await other.signup({ name: 'Other Otto' });
    assertProblem(await c.patch('/api/v1/me', { name: 'Hijacked' }, { csrf: other.csrfToken }), 403, 'forbidden');

    const ok = await c.patch('/api/v1/me', { name: 'Csrf Carla 2' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.name, 'Csrf Carla 2');
    await assertStillServes();
  });
});

describe('logout', () => {
  it('answers 204 and revokes the session: the old cookie then gets 401', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Logout Lou' });
    const oldCookie = c.cookieHeader();
    const res = await c.post('/api/v1/auth/logout');
    assert.equal(res.status, 204, res.text);
    assertCommonHeaders(res);
    assert.equal(res.text, '');

    const replay = new Client(url);
    const h = { Cookie: oldCookie };
    assertProblem(await replay.get('/api/v1/auth/session', { headers: h }), 401, 'unauthenticated');
    assertProblem(await replay.get('/api/v1/me', { headers: h }), 401, 'unauthenticated');
    assertProblem(await replay.patch('/api/v1/me', { name: 'Ghost' }, { headers: { ...h, 'X-CSRF-Token': c.csrfToken } }),
      401, 'unauthenticated');

    // Logging in again works.
    const again = new Client(url);
    await again.login({ email: c.email, password: PASSWORD });
    assert.equal((await again.get('/api/v1/me')).status, 200);
  });
});

describe('bearer tokens', () => {
  it('mints a 30-day token from email+password that works without CSRF, and revokes it with DELETE /auth/tokens/current', async () => {
    const owner = new Client(url);
    await owner.signup({ name: 'Token Tina' });

    const anon = new Client(url);
    const before = Date.now();
    const res = await anon.post('/api/v1/auth/tokens', { email: owner.email, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    assertCommonHeaders(res);
    assert.equal(typeof res.body.token, 'string');
    assert.ok(res.body.token.length >= 16, 'token is long enough to be unguessable');
    assertTimestamp(res.body.expiresAt, 'expiresAt');
    const days = (Date.parse(res.body.expiresAt) - before) / 86_400_000;
    assert.ok(days > 29.9 && days < 30.1, `expiresAt is 30 days ahead (got ${days.toFixed(3)} days)`);

    const b = new Client(url);
    b.bearer = res.body.token;
    const me = await b.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.id, owner.user.id);
    assert.equal(me.body.email, owner.email);
    // No CSRF header needed with a bearer token.
    const patched = await b.patch('/api/v1/me', { statusMessage: 'via token' }, { csrf: false });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.statusMessage, 'via token');

    const del = await b.delete('/api/v1/auth/tokens/current');
    assert.equal(del.status, 204, del.text);
    assertProblem(await b.get('/api/v1/me'), 401, 'unauthenticated');

    // The browser session is unaffected.
    assert.equal((await owner.get('/api/v1/me')).status, 200);
  });

  it('mints a token with a session cookie and CSRF token and no body', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Session Token' });
    const res = await c.request('POST', '/api/v1/auth/tokens');
    assert.equal(res.status, 201, res.text);
    assertTimestamp(res.body.expiresAt, 'expiresAt');
    const b = new Client(url);
    b.bearer = res.body.token;
    const me = await b.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.id, c.user.id);
  });

  it('refuses to mint a token for a wrong password (401) or without any credentials (400 or 401)', async () => {
    const c = new Client(url);
    await c.signup({ name: 'No Token' });
    assertProblem(await new Client(url).post('/api/v1/auth/tokens', { email: c.email, password: 'wrong password' }),
      401, 'unauthenticated');
    // No body and no session: either reading is defensible.
    const none = await new Client(url).request('POST', '/api/v1/auth/tokens');
    if (none.status === 400) assertProblem(none, 400, 'validation');
    else assertProblem(none, 401, 'unauthenticated');
    await assertStillServes();
  });

  it('answers 401 to DELETE /auth/tokens/current with a revoked token', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Twice Revoked' });
    const t = await new Client(url).post('/api/v1/auth/tokens', { email: c.email, password: PASSWORD });
    assert.equal(t.status, 201, t.text);
    const b = new Client(url);
    b.bearer = t.body.token;
    assert.equal((await b.delete('/api/v1/auth/tokens/current')).status, 204);
    assertProblem(await b.delete('/api/v1/auth/tokens/current'), 401, 'unauthenticated');
    await assertStillServes();
  });
});

describe('GET and PATCH /api/v1/me', () => {
  it('updates name and statusMessage; Korean, emoji and decomposed text round-trip exactly', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Profile Pat' });
    const me0 = await c.get('/api/v1/me');
    assert.equal(me0.status, 200, me0.text);
    assertCommonHeaders(me0);
    assertUser(me0.body, { own: true });

    const name = '김민지 🐱';
    const statusMessage = '오늘도 화이팅! 😀👍🏽 e\u0301 \u1112\u1161\u11ab'; // includes NFD sequences
    const res = await c.patch('/api/v1/me', { name, statusMessage });
    assert.equal(res.status, 200, res.text);
    assertUser(res.body, { own: true });
    assert.equal(res.body.name, name);
    assert.equal(res.body.statusMessage, statusMessage);
    assert.equal(res.body.email, c.email);
    assert.equal(res.body.id, me0.body.id);
    assert.equal(res.body.createdAt, me0.body.createdAt);

    const me = await c.get('/api/v1/me');
    assert.equal(me.body.name, name);
    assert.equal(me.body.statusMessage, statusMessage);

    // A field that is absent stays as it was.
    const only = await c.patch('/api/v1/me', { statusMessage: '' });
    assert.equal(only.status, 200, only.text);
    assert.equal(only.body.statusMessage, '');
    assert.equal(only.body.name, name);

    // Names are trimmed.
    const trimmed = await c.patch('/api/v1/me', { name: '  Pat  ' });
    assert.equal(trimmed.status, 200, trimmed.text);
    assert.equal(trimmed.body.name, 'Pat');
  });

  it('limits statusMessage to 60 code points and name to 1..40', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Limits Liz' });
    for (const statusMessage of ['a'.repeat(60), '😀'.repeat(60), '말'.repeat(60)]) {
      const res = await c.patch('/api/v1/me', { statusMessage });
      assert.equal(res.status, 200, `${cp(statusMessage)} code points: ${res.text}`);
      assert.equal(res.body.statusMessage, statusMessage);
    }
    for (const statusMessage of ['a'.repeat(61), '😀'.repeat(61)]) {
      assertProblem(await c.patch('/api/v1/me', { statusMessage }), 400, 'validation');
    }
    for (const name of ['', '  ', 'b'.repeat(41), '😀'.repeat(41)]) {
      assertProblem(await c.patch('/api/v1/me', { name }), 400, 'validation');
    }
    const ok = await c.patch('/api/v1/me', { name: '😀'.repeat(40) });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.name, '😀'.repeat(40));
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.statusMessage, '말'.repeat(60), 'refused patches changed nothing');
    await assertStillServes();
  });

  it('accepts avatarImageId: null, ignores unknown fields and refuses wrong types', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Avatar Ann' });
    const res = await c.patch('/api/v1/me', { avatarImageId: null });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.avatar, null);
    const unknown = await c.patch('/api/v1/me', { shoeSize: 42 });
    assert.equal(unknown.status, 200, unknown.text);
    assert.equal(unknown.body.name, 'Avatar Ann');
    assertProblem(await c.patch('/api/v1/me', { name: 42 }), 400, 'validation');
    assertProblem(await c.patch('/api/v1/me', { statusMessage: ['x'] }), 400, 'validation');
    assertProblem(await c.patch('/api/v1/me', { avatarImageId: 7 }), 400, 'validation');
    assertProblem(await c.request('PATCH', '/api/v1/me',
      { body: '[1,2]', headers: { 'Content-Type': 'application/json' } }), 400, 'validation');
    await assertStillServes();
  });
});

describe('GET /api/v1/users/{id}', () => {
  it("returns another user without the email, and the caller's own with it", async () => {
    const alice = new Client(url);
    await alice.signup({ name: 'Alice 앨리스' });
    const bob = new Client(url);
    await bob.signup({ name: 'Bob' });

    const res = await bob.get(`/api/v1/users/${encodeURIComponent(alice.user.id)}`);
    assert.equal(res.status, 200, res.text);
    assertCommonHeaders(res);
    assertUser(res.body, { own: false });
    assert.equal(res.body.id, alice.user.id);
    assert.equal(res.body.name, 'Alice 앨리스');
    assert.ok(!res.text.includes(alice.email), 'the email appears nowhere in the answer');

    const self = await alice.get(`/api/v1/users/${encodeURIComponent(alice.user.id)}`);
    assert.equal(self.status, 200, self.text);
    assert.equal(self.body.id, alice.user.id);
  });

  it('answers 404 not-found for an unknown id, and 401 without a session', async () => {
    const c = new Client(url);
    await c.signup({ name: 'Seeker' });
    assertProblem(await c.get('/api/v1/users/no-such-user-id'), 404, 'not-found');
    assertProblem(await c.get(`/api/v1/users/${'z'.repeat(64)}`), 404, 'not-found');
    assertProblem(await new Client(url).get(`/api/v1/users/${encodeURIComponent(c.user.id)}`), 401, 'unauthenticated');
    await assertStillServes();
  });
});

describe('login rate limit per email', () => {
  it('after 10 failures for one email (in any case), the next attempt gets 429 with Retry-After, even with the right password', async () => {
    const victim = new Client(url);
    await victim.signup({ name: 'Victim Vic' });
    const bystander = new Client(url);
    await bystander.signup({ name: 'Bystander Bea' });

    for (let i = 0; i < 10; i += 1) {
      const email = i % 2 ? victim.email.toUpperCase() : victim.email;
      const res = await new Client(url).post('/api/v1/auth/login', { email, password: `wrong password ${i}` });
      assertProblem(res, 401, 'unauthenticated');
    }
    const res = await new Client(url).post('/api/v1/auth/login', { email: victim.email, password: PASSWORD });
    assertProblem(res, 429, 'rate-limited');
    const ra = res.headers.get('retry-after');
    assert.match(ra || '', /^\d+$/, `Retry-After is whole seconds: ${ra}`);
    assert.ok(Number(ra) >= 1 && Number(ra) <= 15 * 60, `Retry-After within the 15-minute window: ${ra}`);
    assert.ok(!sessionCookieOf(res), 'a rate-limited login sets no cookie');

    // Still locked, in another case too.
    const again = await new Client(url).post('/api/v1/auth/login', { email: victim.email.toUpperCase(), password: PASSWORD });
    assertProblem(again, 429, 'rate-limited');

    // Other accounts from the same address are not affected.
    const other = await new Client(url).post('/api/v1/auth/login', { email: bystander.email, password: PASSWORD });
    assert.equal(other.status, 200, other.text);
    // The victim's existing session keeps working.
    assert.equal((await victim.get('/api/v1/me')).status, 200);
    await assertStillServes();
  });
});

describe('login rate limit per client address', () => {
  let limited;

  before(async () => {
    limited = await startServer({ args: ['--login-max-failures-per-address', '5', '--login-failure-window', '5s'] });
  });

  after(async () => {
    if (limited) await limited.stop();
  });

  it('after 5 failures from one address on different emails, further logins get 429 with Retry-After until the window has passed', async () => {
    const real = new Client(limited.url);
    await real.signup({ name: 'Real Ray' });
    for (let i = 0; i < 5; i += 1) {
      const res = await new Client(limited.url).post('/api/v1/auth/login',
        { email: uniqueEmail(`stranger${i}`), password: 'wrong password' });
      assertProblem(res, 401, 'unauthenticated');
    }
    const res = await new Client(limited.url).post('/api/v1/auth/login', { email: real.email, password: PASSWORD });
    assertProblem(res, 429, 'rate-limited');
    const ra = res.headers.get('retry-after');
    assert.match(ra || '', /^\d+$/, `Retry-After is whole seconds: ${ra}`);
    assert.ok(Number(ra) >= 1, `Retry-After is positive: ${ra}`);
    const health = await get(`${limited.url}/healthz`);
    assert.equal(health.status, 200);

    // Once the window (5 s here) has passed, the right password works again.
    // Wait as long as Retry-After says, and ask again (a few times at most).
    let last = res;
    for (let attempt = 0; attempt < 5 && last.status === 429; attempt += 1) {
      const wait = Number(last.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 5, `Retry-After within the 5 s window: ${wait}`);
      await delay(wait * 1000 + 200);
      last = await new Client(limited.url).post('/api/v1/auth/login', { email: real.email, password: PASSWORD });
    }
    assert.equal(last.status, 200, `login works again after the window: ${last.text}`);
  });
});

describe('login rate limit covers token minting', () => {
  it('a locked-out email cannot mint a bearer token with its password either (429)', async () => {
    const victim = new Client(url);
    await victim.signup({ name: 'Token Victim' });
    for (let i = 0; i < 10; i += 1) {
      const res = await new Client(url).post('/api/v1/auth/login', { email: victim.email, password: `nope ${i}` });
      assertProblem(res, 401, 'unauthenticated');
    }
    const res = await new Client(url).post('/api/v1/auth/tokens', { email: victim.email, password: PASSWORD });
    assertProblem(res, 429, 'rate-limited');
    await assertStillServes();
  });
});
