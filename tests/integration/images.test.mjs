// Images end to end over HTTP against the real server: each accepted
// format round-trips with its dimensions, the type is decided by the bytes,
// limits (10 MiB, 50 megapixels) and bad bodies get their problem+json,
// EXIF/GPS never come back, orientation is applied, who may fetch what,
// ETag/Range/304, image messages and avatars. Run once with the folder
// store and once with S3 (s3rver) when CHATTWO_TEST_S3_ENDPOINT is set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertProblem } from '../support/http.mjs';
import { makeImage, pixelFloodPng, withExifOrientationAndGps } from '../support/images.mjs';
import { startServer } from '../support/server.mjs';
import { collect, connectStomp, userWithToken } from '../support/stomp.mjs';

const s3 = process.env.CHATTWO_TEST_S3_ENDPOINT;
const backends = [['folder', []]];
if (s3) {
  backends.push(['s3', [
    '--images-store', 's3', '--images-s3-endpoint', s3, '--images-s3-bucket', process.env.CHATTWO_TEST_S3_BUCKET || 'chattwo-test',
    '--images-s3-path-style', 'true', '--images-s3-access-key-id', 'S3RVER', '--images-s3-secret-access-key', 'S3RVER',
  ]]);
} else if (process.env.CHATTWO_REQUIRE_SERVICES) {
  throw new Error('CHATTWO_TEST_S3_ENDPOINT is not set: start s3rver (scripts/services/s3rver-start)');
}

for (const [backend, args] of backends) {
  describe(`images (${backend})`, () => {
    let server;
    let url;
    const stompClients = [];
    before(async () => { server = await startServer({ args: [...args, '--max-send-rate', '0'] }); url = server.url; });
    after(async () => {
      for (const c of stompClients) await c.deactivate().catch(() => {});
      if (server) await server.stop();
    });

    let serial = 0;
    const user = (name = 'Photographer') => userWithToken(url, `${name} ${++serial}`);

    async function upload(u, bytes, { field = 'file', filename = 'photo.bin', type = 'application/octet-stream' } = {}) {
      const form = new FormData();
      form.append(field, new Blob([bytes], { type }), filename);
      const res = await fetch(new URL('/api/v1/images', url), {
        method: 'POST', body: form, headers: { Authorization: `Bearer ${u.token}` },
      });
      const text = await res.text();
      let body = null;
      try { body = JSON.parse(text); } catch { /* not JSON */ }
      return { status: res.status, headers: res.headers, text, body };
    }

    // GET with a bearer token; follows a redirect to S3 without sending the token there.
    async function fetchImage(u, path, headers = {}) {
      let res = await fetch(new URL(path, url), { headers: { ...headers, ...(u ? { Authorization: `Bearer ${u.token}` } : {}) }, redirect: 'manual' });
      let redirected = false;
      if (res.status === 302) {
        redirected = true;
        res = await fetch(res.headers.get('location'), { headers });
      }
      return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()), redirected };
    }

    it('stores a PNG, a JPEG, a WebP and a GIF with their dimensions and a thumbnail, whatever their names say', async () => {
      const u = await user();
      for (const [format, type] of [['png', 'image/png'], ['jpg', 'image/jpeg'], ['webp', 'image/webp'], ['gif', 'image/gif']]) {
        const res = await upload(u, makeImage(format, 800, 600), { filename: 'notes.txt', type: 'text/plain' });
        assert.equal(res.status, 201, `${format}: ${res.text}`);
        assert.deepEqual(Object.keys(res.body).sort(), ['contentType', 'height', 'id', 'thumbUrl', 'url', 'width']);
        assert.equal(res.body.contentType, type);
        assert.equal(res.body.width, 800);
        assert.equal(res.body.height, 600);
        assert.equal(res.headers.get('location'), res.body.url);
        const full = await fetchImage(u, res.body.url);
        assert.equal(full.status, 200);
        assert.equal(full.headers.get('content-type'), type);
        const thumb = await fetchImage(u, res.body.thumbUrl);
        assert.equal(thumb.status, 200);
        assert.ok(thumb.bytes.length > 0 && thumb.bytes.length < full.bytes.length + 1024);
      }
    });

    it('applies the orientation and serves no EXIF or GPS', async () => {
      const u = await user();
      const res = await upload(u, withExifOrientationAndGps(makeImage('jpg', 800, 600, '[Q=90]')), { type: 'image/jpeg' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.width, 600, 'turned upright');
      assert.equal(res.body.height, 800);
      for (const path of [res.body.url, res.body.thumbUrl]) {
        const got = await fetchImage(u, path);
        assert.equal(got.status, 200);
        assert.equal(got.bytes.indexOf('Exif'), -1, `${path} carries EXIF`);
        assert.equal(got.bytes.indexOf('GPS'), -1, `${path} carries GPS`);
      }
    });

    it('refuses what is not an image, too big, or a pixel flood, and bad bodies', async () => {
      const u = await user();
      assertProblem(await upload(u, Buffer.from('just some text'), { filename: 'cat.png', type: 'image/png' }), 415, 'unsupported-media-type');
      const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x42);
      assertProblem(await upload(u, big, { type: 'image/jpeg' }), 413, 'payload-too-large');
      assertProblem(await upload(u, pixelFloodPng(), { type: 'image/png' }), 413, 'payload-too-large');
      assertProblem(await upload(u, makeImage('png', 10, 10), { field: 'other' }), 400, 'validation');
      const json = await fetch(new URL('/api/v1/images', url), {
        method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${u.token}` },
      });
      assert.equal(json.status, 415);
      const anonymous = new FormData();
      anonymous.append('file', new Blob([makeImage('png', 10, 10)]), 'a.png');
      assert.equal((await fetch(new URL('/api/v1/images', url), { method: 'POST', body: anonymous })).status, 401);
      // And the server still serves.
      assert.equal((await upload(u, makeImage('png', 20, 20))).status, 201);
    });

    it('lets the uploader and the members of a room where it was posted fetch it; strangers get 404', async () => {
      const a = await user('A');
      const b = await user('B');
      const stranger = await user('S');
      const image = (await upload(a, makeImage('png', 64, 64))).body;
      assert.equal((await fetchImage(b, image.url)).status, 404, 'not posted yet');
      const room = await a.post('/api/v1/rooms', { memberIds: [b.user.id], name: '사진방' });
      assert.equal(room.status, 201, room.text);

      const { client } = await connectStomp(url, { bearer: b.token });
      stompClients.push(client);
      const feed = collect(client, `/topic/rooms.${room.body.id}`, { receipt: 'sub' });
      await new Promise((r) => client.watchForReceipt('sub', r));

      const refused = await b.post(`/api/v1/rooms/${room.body.id}/messages`, { clientMsgId: 'b-1', type: 'image', imageId: image.id });
      assertProblem(refused, 400, 'validation');
      assert.equal(refused.body.field, 'imageId', 'only one\'s own uploads');

      const sent = await a.post(`/api/v1/rooms/${room.body.id}/messages`, { clientMsgId: 'a-1', type: 'image', imageId: image.id });
      assert.equal(sent.status, 201, sent.text);
      assert.equal(sent.body.type, 'image');
      assert.deepEqual(sent.body.image, image);
      assert.ok(!('text' in sent.body));
      const [event] = await feed.until(1);
      assert.deepEqual(JSON.parse(event.body).image, image);
      const page = await b.get(`/api/v1/rooms/${room.body.id}/messages`);
      assert.deepEqual(page.body.messages.at(-1).image, image);

      assert.equal((await fetchImage(b, image.url)).status, 200);
      assert.equal((await fetchImage(b, image.thumbUrl)).status, 200);
      assert.equal((await fetchImage(stranger, image.url)).status, 404);
      assert.equal((await fetchImage(null, image.url)).status, 401);
    });

    it('shows an avatar to anyone signed in', async () => {
      const a = await user('A');
      const other = await user('O');
      const image = (await upload(a, makeImage('webp', 300, 300))).body;
      const refused = await other.patch('/api/v1/me', { avatarImageId: image.id });
      assertProblem(refused, 404, 'not-found');
      const set = await a.patch('/api/v1/me', { avatarImageId: image.id });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.body.avatar, image);
      const seen = await other.get(`/api/v1/users/${a.user.id}`);
      assert.deepEqual(seen.body.avatar, image);
      assert.equal((await fetchImage(other, image.url)).status, 200);
      const removed = await a.patch('/api/v1/me', { avatarImageId: null });
      assert.equal(removed.body.avatar, null);
    });

    if (backend === 'folder') {
      it('serves ETag, 304, ranges and HEAD', async () => {
        const u = await user();
        const image = (await upload(u, makeImage('png', 400, 300))).body;
        const whole = await fetchImage(u, image.url);
        const etag = whole.headers.get('etag');
        assert.match(etag, /^"[^"]+"$/);
        assert.match(whole.headers.get('cache-control'), /private/);
        assert.match(whole.headers.get('cache-control'), /immutable/);
        assert.equal((await fetchImage(u, image.url, { 'If-None-Match': etag })).status, 304);
        const part = await fetchImage(u, image.url, { Range: 'bytes=0-9' });
        assert.equal(part.status, 206);
        assert.deepEqual(part.bytes, whole.bytes.subarray(0, 10));
        assert.equal(part.headers.get('content-range'), `bytes 0-9/${whole.bytes.length}`);
        assert.equal((await fetchImage(u, image.url, { Range: `bytes=${whole.bytes.length}-` })).status, 416);
        const head = await fetch(new URL(image.url, url), { method: 'HEAD', headers: { Authorization: `Bearer ${u.token}` } });
        assert.equal(head.status, 200);
        assert.equal(Number(head.headers.get('content-length')), whole.bytes.length);
      });
    } else {
      it('redirects to a presigned S3 URL', async () => {
        const u = await user();
        const image = (await upload(u, makeImage('jpg', 200, 100))).body;
        const res = await fetch(new URL(image.url, url), { headers: { Authorization: `Bearer ${u.token}` }, redirect: 'manual' });
        assert.equal(res.status, 302);
        assert.match(res.headers.get('location'), /X-Amz-Signature=/);
        const got = await fetchImage(u, image.url);
        assert.equal(got.redirected, true);
        assert.equal(got.status, 200);
        assert.equal(got.bytes.subarray(0, 2).toString('hex'), 'ffd8');
      });
    }
  });
}
