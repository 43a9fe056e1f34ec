// One server for a test file, and the chat steps its tests share: users
// (signed up, with a bearer token), group rooms and text messages over
// REST. Call useChatServer() at the top of a file; it registers the
// before/after hooks, and the steps use its server once it is up.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { startServer } from './server.mjs';
import { userWithToken } from './stomp.mjs';

export function useChatServer({ args = [] } = {}) {
  const chat = {
    server: null,
    url: null,
    stompClients: [],  // deactivated after the file's tests
    serial: 0,
    messages: 0,
    // A new user named `name N` (an http.mjs Client with `.token`).
    user(name = 'User') {
      chat.serial += 1;
      return userWithToken(chat.url, `${name} ${chat.serial}`);
    },
    // A group room made by `owner` with `others`; its id.
    async group(owner, others, name = '모임') {
      const res = await owner.post('/api/v1/rooms', { memberIds: others.map((o) => o.user.id), name });
      assert.equal(res.status, 201, res.text);
      return res.body.id;
    },
    // A text message from `c`, over REST; the Message.
    async send(c, roomId, text) {
      chat.messages += 1;
      const res = await c.post(`/api/v1/rooms/${roomId}/messages`,
        { clientMsgId: `m-${process.pid}-${chat.messages}`, type: 'text', text });
      assert.equal(res.status, 201, res.text);
      return res.body;
    },
  };
  before(async () => {
    chat.server = await startServer({ args: ['--max-send-rate', '0', ...args] });
    chat.url = chat.server.url;
  });
  after(async () => {
    for (const c of chat.stompClients) await c.deactivate().catch(() => {});
    if (chat.server) await chat.server.stop();
  });
  return chat;
}
