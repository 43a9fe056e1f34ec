// The real-time link: one STOMP 1.2 session over SockJS at /ws for the whole
// signed-in page (@stomp/stompjs and sockjs-client, loaded as the globals
// StompJs and SockJS by index.html).
//
// - Reconnects by itself with exponential backoff (0.5 s doubling to 15 s,
//   reset once connected) after a network drop or a server restart; status
//   listeners hear 'connecting' / 'online' / 'offline' for the banner.
// - Subscriptions are kept here, not in the views: on every connect (the
//   first too: the views read over REST before it) each room subscription is
//   made and its listeners get a 'resync' event, their cue to catch up with
//   GET …/messages?after=.
// - A connection is only used for the user the page was opened for: if the
//   cookie now belongs to someone else (signed in as another user in another
//   tab), the link stops and onSessionChanged() lets the app start over.
// - sendMessage() publishes with a receipt header and resolves on the
//   RECEIPT, which the server sends only once the message is durable. A send
//   cut off by a disconnect stays queued and goes out again, with the same
//   clientMsgId, as soon as the session is back: the server answers a retry
//   with the original message, so nothing is sent twice.
// - Rejections arrive on /user/queue/errors carrying the receipt id and the
//   clientMsgId; the matching send is rejected with the problem.

import {getSession} from './api.js';

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 15000;
const HEARTBEAT_MS = 10000;
const CONNECT_TIMEOUT_MS = 10000;
// A send published on a live connection whose RECEIPT (or rejection) has not
// come by then fails, so that it can be retried (same clientMsgId) rather
// than show "Sending…" for ever. A disconnect restarts the wait.
const RECEIPT_TIMEOUT_MS = 30000;

export class SendRejected extends Error {
  constructor(problem) {
    super(problem && problem.detail ? problem.detail : 'message rejected');
    this.name = 'SendRejected';
    this.problem = problem || {};
    this.status = typeof this.problem.status === 'number' ? this.problem.status : 400;
  }
}

/**
 * Starts the link for userId. onSessionEnded() is called when the server
 * refuses the session (signed out elsewhere): the app then shows the sign-in
 * screen; onSessionChanged() when the session is someone else's now.
 * Returns the Realtime object; stop() ends it for good.
 */
export function createRealtime({userId, onSessionEnded = () => {}, onSessionChanged = () => {}}) {
  const {Client, ReconnectionTimeMode} = window.StompJs;
  const statusListeners = new Set();
  const userListeners = new Set();
  const rooms = new Map(); // roomId -> {listeners: Set, subscription}
  const pending = new Map(); // receiptId -> {roomId, body, resolve, reject, sent}
  let status = 'connecting';
  let receiptSerial = 0;
  let stopped = false;

  const client = new Client({
    webSocketFactory: () => new window.SockJS('/ws', null, {transports: ['websocket', 'xhr-streaming', 'xhr-polling']}),
    reconnectDelay: RECONNECT_FIRST_MS,
    maxReconnectDelay: RECONNECT_MAX_MS,
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    heartbeatIncoming: HEARTBEAT_MS,
    heartbeatOutgoing: HEARTBEAT_MS,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    // localStorage['chattwo.debug'] = '1' logs every frame (for support and tests).
    debug: debugEnabled() ? (line) => console.debug(`[stomp] ${line}`) : () => {},
  });

  function setStatus(next) {
    if (next === status) return;
    status = next;
    for (const fn of statusListeners) fn(status);
  }

  client.onConnect = (frame) => {
    if (frame.headers['user-name'] !== userId) {
      stop();
      onSessionChanged();
      return;
    }
    setStatus('online');
    client.subscribe('/user/queue/notifications', (frame) => {
      const body = parse(frame.body);
      if (!body) return;
      for (const fn of userListeners) fn(frame.headers.event, body);
    });
    client.subscribe('/user/queue/errors', (frame) => rejectPending(parse(frame.body)));
    for (const [roomId, entry] of rooms) {
      entry.subscription = subscribeTopic(roomId, entry);
      for (const fn of entry.listeners) fn('resync', null);
    }
    // Sends made while offline or cut off by the disconnect, in the order
    // they were made.
    for (const [receiptId, send] of pending) {
      if (!send.sent) publish(receiptId, send);
    }
  };

  client.onWebSocketClose = () => {
    if (stopped) return;
    for (const entry of rooms.values()) entry.subscription = null;
    for (const send of pending.values()) {
      send.sent = false;
      clearTimeout(send.timer);
    }
    setStatus('offline');
    // A refused session closes the socket too: ask the REST API whether we
    // are still signed in before trying forever.
    getSession().then((session) => {
      if (stopped) return;
      if (!session) {
        stop();
        onSessionEnded();
      } else if (session.user.id !== userId) {
        stop();
        onSessionChanged();
      }
    }, () => {});
  };

  client.onStompError = () => {
    // The server follows an ERROR with a close; onWebSocketClose handles it.
  };

  function subscribeTopic(roomId, entry) {
    return client.subscribe(`/topic/rooms.${roomId}`, (frame) => {
      const body = parse(frame.body);
      if (!body) return;
      for (const fn of entry.listeners) fn(frame.headers.event, body);
    });
  }

  function publish(receiptId, send) {
    send.sent = true;
    clearTimeout(send.timer);
    send.timer = setTimeout(() => {
      if (pending.get(receiptId) !== send) return;
      pending.delete(receiptId);
      send.reject(new SendRejected({status: 0, detail: 'no receipt from the server'}));
    }, RECEIPT_TIMEOUT_MS);
    watch(receiptId); // receipt watchers live in the STOMP session: set again on each
    client.publish({
      destination: `/app/rooms.${send.roomId}.messages`,
      headers: {receipt: receiptId, 'content-type': 'application/json'},
      body: JSON.stringify(send.body),
    });
  }

  client.onUnhandledReceipt = () => {};
  function watch(receiptId) {
    client.watchForReceipt(receiptId, () => {
      const send = pending.get(receiptId);
      if (!send) return;
      pending.delete(receiptId);
      clearTimeout(send.timer);
      send.resolve();
    });
  }

  function rejectPending(problem) {
    if (!problem) return;
    for (const [receiptId, send] of pending) {
      const sameReceipt = problem.receiptId && problem.receiptId === receiptId;
      const sameMessage = problem.clientMsgId && problem.clientMsgId === send.body.clientMsgId;
      if (sameReceipt || sameMessage) {
        pending.delete(receiptId);
        clearTimeout(send.timer);
        send.reject(new SendRejected(problem));
        return;
      }
    }
  }

  function stop() {
    stopped = true;
    for (const send of pending.values()) {
      clearTimeout(send.timer);
      send.reject(new DOMException('signed out', 'AbortError'));
    }
    pending.clear();
    client.deactivate();
  }

  client.activate();

  return {
    /** 'connecting' before the first connect, then 'online' or 'offline'. */
    status: () => status,
    onStatus(fn) {
      statusListeners.add(fn);
      return () => statusListeners.delete(fn);
    },
    /** fn(event, body) for /user/queue/notifications: 'notification' or 'room'. */
    onUserEvent(fn) {
      userListeners.add(fn);
      return () => userListeners.delete(fn);
    },
    /**
     * fn(event, body) for the room's topic ('message', 'read', 'member'), and
     * fn('resync', null) after each reconnect. Returns off().
     */
    subscribeRoom(roomId, fn) {
      let entry = rooms.get(roomId);
      if (!entry) {
        entry = {listeners: new Set(), subscription: null};
        rooms.set(roomId, entry);
        if (client.connected) entry.subscription = subscribeTopic(roomId, entry);
      }
      entry.listeners.add(fn);
      return () => {
        entry.listeners.delete(fn);
        if (entry.listeners.size || rooms.get(roomId) !== entry) return;
        rooms.delete(roomId);
        if (entry.subscription && client.connected) entry.subscription.unsubscribe();
      };
    },
    /**
     * Sends {clientMsgId, type, text|imageId} to the room. Resolves once the
     * server has stored it; waits through disconnects (resending with the
     * same clientMsgId); rejects with SendRejected when refused.
     */
    sendMessage(roomId, body) {
      return new Promise((resolve, reject) => {
        receiptSerial += 1;
        const receiptId = `send-${receiptSerial}`;
        const send = {roomId, body, resolve, reject, sent: false};
        pending.set(receiptId, send);
        if (client.connected) publish(receiptId, send);
      });
    },
    /** Moves the read mark; false when offline (the caller may use REST). */
    markRead(roomId, seq) {
      if (!client.connected) return false;
      client.publish({
        destination: `/app/rooms.${roomId}.read`,
        headers: {'content-type': 'application/json'},
        body: JSON.stringify({seq}),
      });
      return true;
    },
    stop,
  };
}

function debugEnabled() {
  try {
    return localStorage.getItem('chattwo.debug') === '1';
  } catch {
    return false;
  }
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
