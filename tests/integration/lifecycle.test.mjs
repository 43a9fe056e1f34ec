// The process: command line, startup errors, configuration from the
// environment, persistence across a restart, slow clients, and the graceful
// drain on SIGTERM/SIGINT.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  Client, PASSWORD, ResponseReader, connect, get, hostPort, rawGet, tryConnect, waitServerHasRead,
} from '../support/http.mjs';
import {
  delay, makeTempDir, removeDir, runCli, startServer, waitUntil,
} from '../support/server.mjs';

// Every server this file starts; whatever a failing test leaves running is
// killed here.
const servers = [];
const tempDirs = [];

async function start(opts) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

async function tempDir() {
  const d = await makeTempDir();
  tempDirs.push(d);
  return d;
}

after(async () => {
  for (const s of servers) if (!s.exited()) await s.kill();
  for (const d of tempDirs) await removeDir(d);
});

// A fresh connection each time (these servers close idle ones quickly).
async function assertServes(s) {
  const res = await rawGet(s.url, '/healthz');
  assert.equal(res.status, 200, `server still serves /healthz: ${res.status} ${res.text}`);
}

const STACK_TRACE = /terminate called|Aborted|core dumped|^\s+at \S|^#\d+\s+0x|Segmentation fault|AddressSanitizer/m;

function nonEmptyLines(s) {
  return s.split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('command line', () => {
  it('chattwo --version prints "chattwo <version>"', async () => {
    const r = await runCli(['--version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), /^chattwo \S+$/);
  });

  it('chattwo serve --help lists the settings and exits 0', async () => {
    const r = await runCli(['serve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout + r.stderr;
    for (const flag of ['--listen', '--data-dir', '--config', '--allowed-origins', '--metrics-listen',
      '--header-timeout', '--idle-timeout', '--body-timeout', '--drain-grace',
      '--login-max-failures-per-email', '--login-max-failures-per-address', '--login-failure-window',
      '--argon2-memlimit', '--argon2-opslimit']) {
      assert.ok(text.includes(flag), `--help mentions ${flag}`);
    }
  });

  it('an unknown flag is a one-line error and a non-zero exit', async () => {
    const dir = await tempDir();
    const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data-dir', dir, '--no-such-flag', 'x']);
    assert.notEqual(r.code, 0, 'non-zero exit');
    assert.equal(r.signal, null, 'exits, is not killed by a signal');
    const lines = nonEmptyLines(r.stderr);
    assert.equal(lines.length, 1, `one line on stderr: ${JSON.stringify(r.stderr)}`);
    assert.match(lines[0], /no-such-flag/, 'the error names the flag');
    assert.doesNotMatch(r.stdout, /listening on/);
  });

  it('a port already in use is a one-line error and a non-zero exit, not a stack trace', async () => {
    const blocker = net.createServer();
    await new Promise((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(0, '127.0.0.1', resolve);
    });
    const { port } = blocker.address();
    try {
      const dir = await tempDir();
      const r = await runCli(['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dir,
        '--argon2-memlimit', '8MiB', '--argon2-opslimit', '1']);
      assert.notEqual(r.code, 0, 'non-zero exit');
      assert.equal(r.signal, null, 'exits, is not killed by a signal');
      assert.doesNotMatch(r.stderr, STACK_TRACE, `no stack trace: ${r.stderr}`);
      const errLines = nonEmptyLines(r.stderr).filter((l) => l.includes(String(port)) || /in use/i.test(l));
      assert.equal(errLines.length, 1, `one line names the port or says "in use": ${r.stderr}`);
      assert.doesNotMatch(r.stdout, /listening on/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a data dir that cannot be written is a one-line error and a non-zero exit', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'a-regular-file');
    fs.writeFileSync(file, 'not a directory\n');
    const bad = path.join(file, 'data');
    const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data-dir', bad,
      '--argon2-memlimit', '8MiB', '--argon2-opslimit', '1']);
    assert.notEqual(r.code, 0, 'non-zero exit');
    assert.equal(r.signal, null, 'exits, is not killed by a signal');
    assert.doesNotMatch(r.stderr, STACK_TRACE, `no stack trace: ${r.stderr}`);
    const errLines = nonEmptyLines(r.stderr).filter((l) => l.includes(bad) || l.includes(file));
    assert.equal(errLines.length, 1, `one line names the data dir: ${r.stderr}`);
  });

  it('takes --listen and --data-dir from CHATTWO_LISTEN and CHATTWO_DATA_DIR, and a flag beats the environment', async () => {
    const dir = await tempDir();
    const s = await start({ defaults: false, env: { CHATTWO_LISTEN: '127.0.0.1:0', CHATTWO_DATA_DIR: dir } });
    const c = new Client(s.url);
    await c.signup({ name: 'Env Eve' });
    assert.ok(fs.readdirSync(dir).length > 0, 'the data went to CHATTWO_DATA_DIR');
    const stopped = await s.stop();
    assert.equal(stopped.code, 0);

    // The flag wins: the environment names a port that is taken.
    const blocker = net.createServer();
    await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const s2 = await start({
        defaults: false,
        args: ['--listen', '127.0.0.1:0', '--data-dir', dir],
        env: { CHATTWO_LISTEN: `127.0.0.1:${blocker.address().port}`, CHATTWO_DATA_DIR: '/nonexistent/chattwo' },
      });
      const again = new Client(s2.url);
      await again.login({ email: c.email, password: PASSWORD });
      assert.equal((await s2.stop()).code, 0);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('persistence', () => {
  it('keeps accounts, sessions and tokens across a restart on the same data dir', async () => {
    const dir = await tempDir();
    const s1 = await start({ dataDir: dir });
    const c = new Client(s1.url);
    await c.signup({ name: '재시작 Restart 🔁' });
    const patched = await c.patch('/api/v1/me', { statusMessage: '다시 만나요 👋' });
    assert.equal(patched.status, 200, patched.text);
    const cookie = c.cookieHeader();
    const tok = await c.request('POST', '/api/v1/auth/tokens');
    assert.equal(tok.status, 201, tok.text);

    const exit1 = await s1.stop();
    assert.deepEqual(exit1, { code: 0, signal: null }, 'SIGTERM ends the server with exit code 0');

    const s2 = await start({ dataDir: dir });
    // The session cookie from before the restart still works.
    const viaCookie = new Client(s2.url);
    const me = await viaCookie.get('/api/v1/me', { headers: { Cookie: cookie } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.id, c.user.id);
    assert.equal(me.body.name, '재시작 Restart 🔁');
    assert.equal(me.body.statusMessage, '다시 만나요 👋');
    assert.equal(me.body.email, c.email);
    // And its CSRF token.
    const p2 = await viaCookie.patch('/api/v1/me', { statusMessage: 'after restart' },
      { headers: { Cookie: cookie }, csrf: c.csrfToken });
    assert.equal(p2.status, 200, p2.text);
    // The bearer token too.
    const b = new Client(s2.url);
    b.bearer = tok.body.token;
    assert.equal((await b.get('/api/v1/me')).status, 200);
    // And the password.
    const again = new Client(s2.url);
    const login = await again.login({ email: c.email, password: PASSWORD });
    assert.equal(login.body.user.id, c.user.id);

    assert.deepEqual(await s2.stop(), { code: 0, signal: null });
  });
});

describe('slow and idle clients', () => {
  let s;

  before(async () => {
    s = await start({ args: ['--header-timeout', '1s', '--body-timeout', '1s', '--idle-timeout', '2s'] });
  });

  after(async () => {
    if (s && !s.exited()) assert.equal((await s.stop()).code, 0);
  });

  it('closes a connection whose headers stop arriving (slowloris)', async () => {
    const sock = await connect(s.url);
    const reader = new ResponseReader(sock);
    try {
      sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
      assert.ok(await reader.closed({ timeoutMs: 15_000 }), 'the server closed the connection');
    } finally {
      sock.destroy();
    }
    await assertServes(s);
  });

  it('closes a connection that trickles header bytes without ever finishing them', async () => {
    const sock = await connect(s.url);
    const reader = new ResponseReader(sock);
    let i = 0;
    const trickle = setInterval(() => {
      if (!sock.destroyed && !reader.ended) sock.write(`X-T${i++}: y\r\n`);
    }, 200);
    try {
      sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
      assert.ok(await reader.closed({ timeoutMs: 15_000 }),
        'the header timeout counts from the start of the request, not from the last byte');
    } finally {
      clearInterval(trickle);
      sock.destroy();
    }
    await assertServes(s);
  });

  it('closes a connection whose body stops arriving', async () => {
    const sock = await connect(s.url);
    const reader = new ResponseReader(sock);
    try {
      sock.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 40\r\n\r\n{"email":"a@b.c"');
      assert.ok(await reader.closed({ timeoutMs: 15_000 }), 'the server closed the connection');
    } finally {
      sock.destroy();
    }
    await assertServes(s);
  });

  it('closes an idle keep-alive connection after --idle-timeout', async () => {
    const sock = await connect(s.url);
    const reader = new ResponseReader(sock);
    try {
      sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      assert.equal((await reader.next()).status, 200);
      assert.ok(await reader.closed({ timeoutMs: 15_000 }), 'the server closed the idle connection');
    } finally {
      sock.destroy();
    }
    await assertServes(s);
  });
});

describe('graceful drain', () => {
  it('SIGTERM: readyz 503 during the grace; a second SIGTERM closes the listener, finishes the request in flight with Connection: close, and exits 0', async () => {
    const s = await start({ args: ['--drain-grace', '30s', '--body-timeout', '120s', '--header-timeout', '120s', '--idle-timeout', '120s'] });
    const { port } = hostPort(s.url);

    s.signal('SIGTERM');
    await waitUntil(async () => {
      const r = await get(`${s.url}/readyz`);
      return r.status === 503;
    }, { timeoutMs: 20_000, message: '/readyz to answer 503 after SIGTERM' });
    assert.equal(s.exited(), false, 'still running during the grace');
    // Still serving during the grace.
    await assertServes(s);

    // An idle keep-alive connection.
    const idle = await connect(s.url);
    const idleReader = new ResponseReader(idle);
    idle.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.equal((await idleReader.next()).status, 200);

    // A request in flight: headers and half the body.
    const sock = await connect(s.url);
    const reader = new ResponseReader(sock);
    try {
      await new Promise((resolve) => sock.write(
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n' +
        '{"email":"', resolve));
      if (!(await waitServerHasRead(port, sock.localPort))) await delay(1000);

      s.signal('SIGTERM');
      await waitUntil(async () => (await tryConnect(s.url)) === 'refused',
        { timeoutMs: 30_000, message: 'new connections to be refused after the second SIGTERM' });
      assert.ok(await idleReader.closed({ timeoutMs: 15_000 }), 'the idle keep-alive connection was closed');

      sock.write('x@y.zz"}  ');
      const res = await reader.next({ timeoutMs: 15_000 });
      assert.ok(res.status >= 200 && res.status < 600, `a complete response (${res.status})`);
      assert.match(res.headers.connection || '', /close/i, 'the response carries Connection: close');
      assert.ok(await reader.closed({ timeoutMs: 15_000 }), 'the server closed the connection after the response');
    } finally {
      sock.destroy();
      idle.destroy();
    }
    assert.deepEqual(await s.waitExit(30_000), { code: 0, signal: null }, 'exit code 0');
  });

  it('SIGINT drains like SIGTERM and exits 0', async () => {
    const s = await start({ args: ['--drain-grace', '30s'] });
    s.signal('SIGINT');
    await waitUntil(async () => (await get(`${s.url}/readyz`)).status === 503,
      { timeoutMs: 20_000, message: '/readyz to answer 503 after SIGINT' });
    await assertServes(s);
    s.signal('SIGINT');
    assert.deepEqual(await s.waitExit(30_000), { code: 0, signal: null });
    assert.equal(await tryConnect(s.url), 'refused');
  });
});
