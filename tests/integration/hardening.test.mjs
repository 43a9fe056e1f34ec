// Defences found by review: parallel password guessing, DNS rebinding, two
// servers on one data dir, silent new connections, and 401 challenges.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Client, PASSWORD, ResponseReader, connect, rawRequest, uniqueEmail } from '../support/http.mjs';
import { makeTempDir, removeDir, runCli, startServer } from '../support/server.mjs';

const servers = [];
const dirs = [];
after(async () => {
  for (const s of servers) if (!s.exited()) await s.kill();
  for (const d of dirs) await removeDir(d);
});

describe('login limits under parallel guessing', () => {
  let s;
  before(async () => {
    // Many workers, so many guesses can be in flight at once.
    s = await startServer({ args: ['--workers', '8'] });
    servers.push(s);
  });

  it('lets at most the limit of parallel wrong guesses be checked', async () => {
    const owner = new Client(s.url);
    await owner.signup();
    const guesses = await Promise.all(Array.from({ length: 40 }, () =>
      new Client(s.url).post('/api/v1/auth/login', { email: owner.email, password: 'wrong-password' })));
    const checked = guesses.filter((r) => r.status === 401).length;
    const refused = guesses.filter((r) => r.status === 429).length;
    assert.equal(checked + refused, 40, guesses.map((r) => r.status).join(','));
    assert.ok(checked <= 10, `${checked} guesses were checked; the limit is 10`);
  });
});

describe('requests for other hosts', () => {
  let s;
  before(async () => { s = await startServer(); servers.push(s); });

  it('refuses a Host that is not a loopback name on a loopback server (DNS rebinding)', async () => {
    for (const target of ['/api/v1/auth/providers', '/metrics', '/']) {
      const res = await rawRequest(s.url, `GET ${target} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 400, `${target}: ${res.text}`);
    }
    const ok = await rawRequest(s.url, 'GET /api/v1/auth/providers HTTP/1.1\r\nHost: localhost:1\r\nConnection: close\r\n\r\n');
    assert.equal(ok.status, 200);
  });

  it('answers 401 with a WWW-Authenticate challenge', async () => {
    const res = await new Client(s.url).get('/api/v1/me');
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
  });
});

describe('the data dir', () => {
  it('refuses a second server on a data dir in use', async () => {
    const dir = await makeTempDir();
    dirs.push(dir);
    const first = await startServer({ dataDir: dir });
    servers.push(first);
    const second = await runCli(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir,
      '--argon2-memlimit', '8MiB', '--argon2-opslimit', '1']);
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /in use by another chattwo/);
    assert.equal(second.stderr.trim().split('\n').filter((l) => l.startsWith('chattwo:')).length, 1);
    const c = new Client(first.url);
    await c.signup({ email: uniqueEmail(), password: PASSWORD });
  });
});

describe('silent connections', () => {
  it('closes a new connection that sends nothing after the header timeout, not the idle timeout', async () => {
    const s = await startServer({ args: ['--header-timeout', '1s', '--idle-timeout', '10m'] });
    servers.push(s);
    const sock = await connect(s.url);
    const reader = new ResponseReader(sock);
    try {
      assert.ok(await reader.closed({ timeoutMs: 20_000 }), 'the server closed the silent connection');
    } finally {
      sock.destroy();
    }
  });
});
