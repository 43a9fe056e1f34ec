// User search (GET /api/v1/users?q=): names in any script (Korean, emoji,
// ASCII in either case), exact emails, SQL wildcards taken literally, the
// caller left out, limits, every 400 and 401, and never anyone's email.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, assertProblem, assertUser } from '../support/http.mjs';
import { startServer } from '../support/server.mjs';

let server;
let url;

before(async () => { server = await startServer(); url = server.url; });
after(async () => { if (server) await server.stop(); });

// A tag no other test's names contain, so each test sees only its own users.
let serial = 0;
function tag() {
  serial += 1;
  return `t${process.pid.toString(36)}x${serial}`;
}

async function user(name, email) {
  const c = new Client(url);
  await c.signup(email ? { name, email } : { name });
  return c;
}

function search(c, q, limit) {
  const params = new URLSearchParams({ q });
  if (limit !== undefined) params.set('limit', String(limit));
  return c.get(`/api/v1/users?${params}`);
}

// The ids found, after checking the answer's shape: public Users only.
function found(res) {
  assert.equal(res.status, 200, res.text);
  assert.ok(Array.isArray(res.body), 'the answer is an array');
  for (const u of res.body) assertUser(u, { own: false });
  assert.doesNotMatch(res.text, /@example\.test/, 'no email anywhere in the answer');
  return res.body.map((u) => u.id);
}

describe('GET /api/v1/users?q=', () => {
  it('finds names containing the text, ASCII in either case, by name, without the caller', async () => {
    const t = tag();
    const me = await user(`Kim ${t} me`);
    const a = await user(`kimchi ${t}`);
    const b = await user(`Minji KIM ${t}`);
    await user(`Lee ${t}`);
    assert.deepEqual(found(await search(me, `KIM`)).filter((id) => [a.user.id, b.user.id].includes(id)),
      [a.user.id, b.user.id]);
    assert.deepEqual(found(await search(me, `kimchi ${t.toUpperCase()}`)), [a.user.id]);
    assert.deepEqual(found(await search(b, `  kim ${t} ME `)), [me.user.id], 'trimmed');
    assert.ok(!found(await search(me, t)).includes(me.user.id), 'never the caller');
  });

  it('finds Korean and emoji names by exact substrings', async () => {
    const t = tag();
    const me = await user(`나 ${t}`);
    const minji = await user(`김민지 ${t}`);
    const minsu = await user(`박민수 🐶 ${t}`);
    const cats = await user(`🐱🐱 ${t}`);
    assert.deepEqual(found(await search(me, `민지 ${t}`)), [minji.user.id]);
    assert.deepEqual(found(await search(me, `민수 🐶 ${t}`)), [minsu.user.id]);
    assert.deepEqual(found(await search(me, `🐱 ${t}`)), [cats.user.id]);
    const both = found(await search(me, t));
    assert.deepEqual(both, [minji.user.id, minsu.user.id, cats.user.id], 'by name: 김 < 박 < 🐱');
    const res = await search(me, `민지 ${t}`);
    assert.equal(res.body[0].name, `김민지 ${t}`, 'the name round-trips exactly');
    assert.deepEqual(found(await search(me, `김민수 ${t}`)), []);
  });

  it('finds a user by their exact email in any case, without showing it', async () => {
    const t = tag();
    const me = await user(`Finder ${t}`);
    const email = `Hidden.${t}@Example.test`;
    const target = await user(`Hidden ${t}`, email);
    const res = await search(me, `  ${email.toUpperCase()} `);
    assert.deepEqual(found(res), [target.user.id]);
    assert.ok(!('email' in res.body[0]));
    assert.deepEqual(found(await search(me, `hidden.${t}@example`)), [], 'a part of an email is no email match');
    assert.deepEqual(found(await search(target, email)), [], 'not oneself, even by email');
  });

  it('takes % and _ literally', async () => {
    const t = tag();
    const me = await user(`me ${t}`);
    const pct = await user(`50% ${t}`);
    await user(`500 ${t}`);
    const under = await user(`a_b ${t}`);
    await user(`axb ${t}`);
    assert.deepEqual(found(await search(me, `0% ${t}`)), [pct.user.id]);
    assert.deepEqual(found(await search(me, `a_b ${t}`)), [under.user.id]);
    assert.deepEqual(found(await search(me, `%`)).filter((id) => id === under.user.id), []);
  });

  it('answers at most limit users: 20 by default, never more than 50', async () => {
    const t = tag();
    const me = await user(`me ${t}`);
    const others = [];
    for (let i = 0; i < 52; i += 1) others.push(await user(`crowd ${t} ${String(i).padStart(2, '0')}`));
    const ids = others.map((o) => o.user.id);
    assert.deepEqual(found(await search(me, `crowd ${t}`, 3)), ids.slice(0, 3));
    assert.deepEqual(found(await search(me, `crowd ${t}`)), ids.slice(0, 20));
    assert.deepEqual(found(await search(me, `crowd ${t}`, 50)), ids.slice(0, 50));
    assert.deepEqual(found(await search(me, `crowd ${t}`, 1000)), ids.slice(0, 50));
  });

  it('refuses a missing, blank, over-long or malformed q and a bad limit with 400', async () => {
    const me = await user('Asker');
    const cases = [
      ['/api/v1/users', 'q'],
      ['/api/v1/users?q=', 'q'],
      ['/api/v1/users?q=%20%E3%80%80', 'q'],
      [`/api/v1/users?q=${'a'.repeat(255)}`, 'q'],
      [`/api/v1/users?q=${encodeURIComponent('가'.repeat(255))}`, 'q'],
      ['/api/v1/users?q=%zz', 'q'],
      ['/api/v1/users?q=%FF%FE', 'q'],
      ['/api/v1/users?q=a&limit=0', 'limit'],
      ['/api/v1/users?q=a&limit=-3', 'limit'],
      ['/api/v1/users?q=a&limit=ten', 'limit'],
    ];
    for (const [path, field] of cases) {
      const p = assertProblem(await me.get(path), 400, 'validation');
      assert.equal(p.field, field, path);
    }
    // At the limit is fine: 254 code points (the longest email).
    assert.equal((await search(me, '가'.repeat(254))).status, 200);
  });

  it('needs a signed-in caller', async () => {
    assertProblem(await new Client(url).get('/api/v1/users?q=kim'), 401, 'unauthenticated');
  });

  it('keeps GET /api/v1/users/{id} as it was, with the email only for oneself', async () => {
    const t = tag();
    const me = await user(`me ${t}`);
    const other = await user(`other ${t}`);
    const mine = await me.get(`/api/v1/users/${me.user.id}`);
    assertUser(mine.body, { own: true });
    const theirs = await me.get(`/api/v1/users/${other.user.id}`);
    assertUser(theirs.body, { own: false });
  });
});
