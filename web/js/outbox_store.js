// Text messages sent but not yet stored, kept in localStorage per user and
// room, so that a reload or a closed tab while offline does not lose them:
// the room sends them again when it next opens, with the same clientMsgId,
// which the server turns into one message however often it arrives (two
// tabs may both send them). Photos are not kept (their files are gone with
// the page). Signing out clears them all.

const PREFIX = 'chattwo.outbox.';
const MAX_ENTRIES = 50; // per room: a bound on what a page may pile up offline

function key(userId, roomId) {
  return `${PREFIX}${userId}.${roomId}`;
}

/** [{clientMsgId, text, createdAt}] kept for the room, oldest first. */
export function loadOutbox(userId, roomId) {
  try {
    const list = JSON.parse(localStorage.getItem(key(userId, roomId)) || '[]');
    return Array.isArray(list)
      ? list.filter((e) => e && typeof e.clientMsgId === 'string' && typeof e.text === 'string')
      : [];
  } catch {
    return []; // storage blocked or a damaged entry: nothing to resend
  }
}

/** Replaces what is kept for the room with these pending text sends. */
export function saveOutbox(userId, roomId, pendingTexts) {
  const entries = pendingTexts.slice(-MAX_ENTRIES)
    .map(({clientMsgId, text, createdAt}) => ({clientMsgId, text, createdAt}));
  try {
    if (entries.length) localStorage.setItem(key(userId, roomId), JSON.stringify(entries));
    else localStorage.removeItem(key(userId, roomId));
  } catch {
    // Storage full or blocked: the sends still go out while the page lives.
  }
}

/** Forgets every kept send (sign-out: the next person on this browser must not send them). */
export function clearOutboxes() {
  try {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const k = localStorage.key(i);
      if (k && k.startsWith(PREFIX)) localStorage.removeItem(k);
    }
  } catch {
    // nothing kept, or nothing we may touch
  }
}
