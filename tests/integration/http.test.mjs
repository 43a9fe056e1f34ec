// The HTTP layer: common headers, errors as problem+json, size limits,
// malformed bodies, static files (and path traversal), and /metrics.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  Client, PASSWORD, ResponseReader, assertCommonHeaders, assertProblem, connect, get,
  rawGet, rawRequest, uniqueEmail,
} from '../support/http.mjs';
import { REPO_ROOT, startServer } from '../support/server.mjs';

const MiB = 1024 * 1024;
const WEB_DIR = path.join(REPO_ROOT, 'web');

let server;
let url;

before(async () => {
  server = await startServer({ args: ['--metrics-listen', '127.0.0.1:0'] });
  url = server.url;
});

after(async () => {
  if (server) await server.stop();
});

async function assertStillServes() {
  const res = await get(`${url}/healthz`);
  assert.equal(res.status, 200, `server still serves /healthz: ${res.status} ${res.text}`);
}

describe('operations endpoints and common headers', () => {
  it('answers /healthz and /readyz with 200', async () => {
    for (const p of ['/healthz', '/readyz']) {
      const res = await get(`${url}${p}`);
      assert.equal(res.status, 200, `${p}: ${res.text}`);
      assertCommonHeaders(res, p);
    }
  });

  it('puts X-Content-Type-Options: nosniff and a distinct X-Request-Id on every response', async () => {
    const c = new Client(url);
    const responses = [
      await c.get('/healthz'),
      await c.get('/'),
      await c.get('/vendor/bootstrap/bootstrap.min.css'),
      await c.get('/api/v1/me'), // 401
      await c.get('/api/v1/no-such-endpoint'), // 404
      await c.request('DELETE', '/api/v1/auth/session'), // 405
      await c.post('/api/v1/auth/login', { email: 'x' }), // 400
    ];
    const ids = new Set();
    for (const res of responses) {
      assertCommonHeaders(res, `(status ${res.status})`);
      ids.add(res.headers.get('x-request-id'));
    }
    assert.equal(ids.size, responses.length, 'each response has its own X-Request-Id');
  });

  it('serves /api/v1/openapi.yaml', async () => {
    const res = await get(`${url}/api/v1/openapi.yaml`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.text, /^openapi:\s*["']?3\.1/m);
    assertCommonHeaders(res);
  });
});

describe('errors', () => {
  it('answers an unknown API path with 404 not-found problem+json', async () => {
    const c = new Client(url);
    assertProblem(await c.get('/api/v1/no-such-endpoint'), 404, 'not-found');
    assertProblem(await c.get('/api/v2/me'), 404, 'not-found');
    assertProblem(await c.post('/api/v1/no-such-endpoint', { a: 1 }), 404, 'not-found');
    await assertStillServes();
  });

  it('answers a known path with another method with 405 method-not-allowed and Allow', async () => {
    const c = new Client(url);
    const cases = [
      ['DELETE', '/api/v1/me', ['GET', 'PATCH']],
      ['PUT', '/api/v1/me', ['GET', 'PATCH']],
      ['GET', '/api/v1/auth/login', ['POST']],
      ['GET', '/api/v1/auth/signup', ['POST']],
      ['POST', '/healthz', ['GET']],
    ];
    for (const [method, p, allowed] of cases) {
      const res = await c.request(method, p);
      assertProblem(res, 405, 'method-not-allowed');
      const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase());
      for (const m of allowed) assert.ok(allow.includes(m), `${method} ${p}: Allow (${allow}) includes ${m}`);
      assert.ok(!allow.includes(method), `${method} ${p}: Allow does not list ${method}`);
    }
    await assertStillServes();
  });

  it('answers malformed JSON with 400 validation, without internals in the detail', async () => {
    const c = new Client(url);
    const bad = ['{"email":', '{', 'not json', '{"email": "a@b.c", }', '', 'null', '"a string"', '[]', '42'];
    for (const body of bad) {
      const res = await c.request('POST', '/api/v1/auth/login', { body, headers: { 'Content-Type': 'application/json' } });
      const p = assertProblem(res, 400, 'validation');
      assert.doesNotMatch(p.detail, /\bat \S+\.(cpp|hpp|h):\d+|std::|boost::|terminate|SQL|sqlite/i,
        `detail carries no internals: ${p.detail}`);
    }
    await assertStillServes();
  });

  it('answers a malformed HTTP request with 400 problem+json carrying the common headers', async () => {
    for (const raw of ['GARBAGE\r\n\r\n', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\n\r\n']) {
      const res = await rawRequest(url, raw);
      assertProblem(res, 400, 'validation');
    }
    await assertStillServes();
  });

  it('answers a JSON body that is not valid UTF-8 with 400 validation', async () => {
    const c = new Client(url);
    const body = Buffer.concat([
      Buffer.from(`{"email":"${uniqueEmail('utf8')}","password":"${PASSWORD}","name":"bad `),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}'),
    ]);
    const res = await c.request('POST', '/api/v1/auth/signup', { body, headers: { 'Content-Type': 'application/json' } });
    assertProblem(res, 400, 'validation');
    await assertStillServes();
  });
});

describe('limits', () => {
  it('answers a JSON body over 1 MiB with 413 payload-too-large', async () => {
    const sock = await connect(url);
    const reader = new ResponseReader(sock);
    try {
      const length = MiB + 1;
      sock.write('POST /api/v1/auth/signup HTTP/1.1\r\nHost: localhost\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
      // Send the body only as fast as the server reads it, and stop as soon
      // as it answers (it should not need the body to know it is too long).
      (async () => {
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        while (sent < length && !reader.buf.length && !reader.ended) {
          const n = Math.min(chunk.length, length - sent);
          const ok = sock.write(chunk.subarray(0, n));
          sent += n;
          if (!ok) await Promise.race([new Promise((r) => sock.once('drain', r)), reader.closedPromise]);
        }
      })().catch(() => {});
      const res = await reader.next({ timeoutMs: 30_000 });
      assertProblem(res, 413, 'payload-too-large');
    } finally {
      sock.destroy();
    }
    await assertStillServes();
  });

  it('accepts a JSON body of exactly 1 MiB', async () => {
    const json = JSON.stringify({ email: uniqueEmail('mib'), password: PASSWORD, name: 'One Mebibyte' });
    const body = json + ' '.repeat(MiB - Buffer.byteLength(json));
    assert.equal(Buffer.byteLength(body), MiB);
    const res = await new Client(url).request('POST', '/api/v1/auth/signup',
      { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 201, res.text.slice(0, 500));
  });

  it('answers request headers over 16 KiB with 431', async () => {
    const big = 'a'.repeat(17 * 1024);
    const res = await rawRequest(url,
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${big}\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 431, `${res.status} ${res.text.slice(0, 300)}`);
    assertCommonHeaders(res);
    // Many small headers adding up to more than 16 KiB, too.
    let many = '';
    for (let i = 0; i < 400; i += 1) many += `X-H${i}: ${'b'.repeat(40)}\r\n`;
    const res2 = await rawRequest(url, `GET /healthz HTTP/1.1\r\nHost: localhost\r\n${many}Connection: close\r\n\r\n`);
    assert.equal(res2.status, 431, `${res2.status} ${res2.text.slice(0, 300)}`);
    await assertStillServes();
  });

  it('accepts request headers of 8 KiB', async () => {
    const res = await rawRequest(url,
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(8 * 1024)}\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, 200, `${res.status} ${res.text.slice(0, 300)}`);
  });

  it('serves several requests on one keep-alive connection', async () => {
    const sock = await connect(url);
    const reader = new ResponseReader(sock);
    try {
      for (let i = 0; i < 3; i += 1) {
        sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
        const res = await reader.next();
        assert.equal(res.status, 200);
      }
      // Pipelined.
      sock.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      assert.equal((await reader.next()).status, 200);
      assert.equal((await reader.next()).status, 200);
    } finally {
      sock.destroy();
    }
  });
});

describe('static files', () => {
  it("serves / as web/index.html with a CSP that has frame-ancestors 'none' and allows no inline script", async () => {
    const res = await get(`${url}/`);
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assertCommonHeaders(res);
    assert.match(res.headers.get('content-type') || '', /^text\/html\b/i);
    const onDisk = fs.readFileSync(path.join(WEB_DIR, 'index.html'));
    assert.ok(res.bytes.equals(onDisk), 'the body is web/index.html');
    const csp = res.headers.get('content-security-policy') || '';
    assert.match(csp, /frame-ancestors 'none'/, `CSP: ${csp}`);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean)
      .map((d) => { const [k, ...v] = d.split(/\s+/); return [k.toLowerCase(), v]; }));
    const scriptSrc = directives['script-src'] || directives['default-src'];
    assert.ok(scriptSrc, `CSP restricts scripts (script-src or default-src): ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-inline'"), `no 'unsafe-inline' scripts: ${csp}`);
    assert.ok(!scriptSrc.includes("'unsafe-eval'"), `no 'unsafe-eval': ${csp}`);
    assert.ok(!scriptSrc.includes('*'), `no wildcard script source: ${csp}`);
    assert.doesNotMatch(res.text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'index.html has no inline script');
  });

  it('answers a conditional GET with a matching ETag with 304', async () => {
    const first = await get(`${url}/`);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag');
    assert.ok(etag, 'ETag present');
    const second = await get(`${url}/`, { headers: { 'If-None-Match': etag } });
    assert.equal(second.status, 304, second.text.slice(0, 200));
    assert.equal(second.bytes.length, 0, '304 has no body');
    assertCommonHeaders(second, '(304)');
    const third = await get(`${url}/`, { headers: { 'If-None-Match': '"something-else"' } });
    assert.equal(third.status, 200);
  });

  it('serves /vendor/bootstrap/bootstrap.min.css as text/css, and the vendored STOMP client as JavaScript', async () => {
    const res = await get(`${url}/vendor/bootstrap/bootstrap.min.css`);
    assert.equal(res.status, 200);
    assertCommonHeaders(res);
    assert.match(res.headers.get('content-type') || '', /^text\/css\b/i);
    const onDisk = fs.readFileSync(path.join(WEB_DIR, 'vendor', 'bootstrap', 'bootstrap.min.css'));
    assert.ok(res.bytes.equals(onDisk), 'the body is the file');
    assert.ok(res.headers.get('etag'), 'ETag present');
    const js = await get(`${url}/vendor/stomp/stomp.umd.min.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') || '', /^(text|application)\/javascript\b/i);
  });

  it('answers a missing static file with 404', async () => {
    const res = await get(`${url}/no-such-file.css`);
    assert.equal(res.status, 404);
    assertCommonHeaders(res);
  });

  it('never serves a file outside the web directory (dot-dot, encoded, absolute paths)', async () => {
    const targets = [
      '/../etc/passwd',
      '/../../../../../../etc/passwd',
      '/vendor/../../etc/passwd',
      '/vendor/bootstrap/../../../CMakeLists.txt',
      '/../CMakeLists.txt',
      '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/%2E%2E/CMakeLists.txt',
      '/vendor/%2e%2e/%2e%2e/CMakeLists.txt',
      '/..%2f..%2f..%2f..%2fetc%2fpasswd',
      '/vendor/bootstrap/..%2f..%2f..%2fCMakeLists.txt',
      '/%2e%2e%2f%2e%2e%2fCMakeLists.txt',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      '/%2Fetc/passwd',
      '/..\\..\\etc\\passwd',
      '/index.html%00.css',
      '/%252e%252e/%252e%252e/etc/passwd',
    ];
    for (const target of targets) {
      const res = await rawGet(url, target);
      assert.ok([400, 404].includes(res.status), `${target}: expected 400 or 404, got ${res.status}`);
      assert.doesNotMatch(res.text, /root:.*:0:0:/, `${target}: /etc/passwd leaked`);
      assert.doesNotMatch(res.text, /cmake_minimum_required/i, `${target}: a repository file leaked`);
      assertCommonHeaders(res, target);
    }
    await assertStillServes();
  });
});

describe('metrics', () => {
  function assertPrometheus(res) {
    assert.equal(res.status, 200, res.text.slice(0, 300));
    assert.match(res.headers.get ? res.headers.get('content-type') : res.headers['content-type'], /^text\/plain\b/i);
    const text = res.text;
    assert.match(text, /^# TYPE chattwo_http_requests_total counter$/m);
    assert.match(text, /^chattwo_http_requests_total(\{[^}]*\})? \d+(\.\d+)?(e\+?\d+)?$/m);
    assert.match(text, /^# TYPE chattwo_http_request_duration_seconds histogram$/m);
    assert.match(text, /^chattwo_http_request_duration_seconds_bucket\{[^}]*le="\+Inf"[^}]*\} \d+/m);
    assert.match(text, /^chattwo_http_request_duration_seconds_count(\{[^}]*\})? \d+/m);
    assert.match(text, /^chattwo_build_info(\{[^}]*\})? 1(\.0)?$/m);
  }

  it('serves /metrics in Prometheus text format to loopback clients on the main port', async () => {
    await get(`${url}/healthz`);
    const res = await get(`${url}/metrics`);
    assertPrometheus(res);
    assertCommonHeaders(res);
  });

  it('serves /metrics on --metrics-listen too', async () => {
    assert.ok(server.metricsUrl, 'the metrics URL line was printed');
    assert.notEqual(server.metricsUrl, url);
    const res = await get(`${server.metricsUrl}/metrics`);
    assertPrometheus(res);
  });

  it('counts requests', async () => {
    const total = (text) => text.split('\n')
      .filter((l) => l.startsWith('chattwo_http_requests_total'))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const before = total((await get(`${server.metricsUrl}/metrics`)).text);
    for (let i = 0; i < 5; i += 1) await get(`${url}/healthz`);
    const afterText = (await get(`${server.metricsUrl}/metrics`)).text;
    assert.ok(total(afterText) >= before + 5, `requests_total grew by at least 5 (${before} -> ${total(afterText)})`);
  });
});
