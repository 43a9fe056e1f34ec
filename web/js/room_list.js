// The signed-in user's rooms as the chats list shows them, kept live.
//
// Loaded once with GET /api/v1/rooms (newest activity first), then kept up
// to date by the `room` events of /user/queue/notifications: each carries
// the same RoomSummary the list would give now, so an event simply replaces
// its room's entry. A room with a new last message moves to the top; a
// change without one (a rename, one's own read) stays where it is.
//
// The shell owns one RoomList for the page: the chats screen renders it,
// the nav shows its total unread count, and message toasts come from it.

import * as api from './api.js';
import {t} from './i18n.js';
import {systemText} from './system_text.js';

export function createRoomList(realtime) {
  let rooms = [];
  let loaded = false;
  let loading = null; // the GET in flight
  let heldEvents = []; // events that came while it was in flight
  const removedWhileLoading = new Set();
  // Names of everyone seen in a room, kept after they leave, so that
  // "Bob left" can be worded in the page's language in the list.
  const names = new Map();

  function remember(list) {
    for (const room of list) for (const u of room.members || []) if (u && u.id) names.set(u.id, u.name);
  }
  const listeners = new Set();
  const arrivalListeners = new Set();

  function emit() {
    for (const fn of listeners) fn(rooms);
  }

  function upsert(room, {fromEvent = false} = {}) {
    const index = rooms.findIndex((r) => r.id === room.id);
    const before = index >= 0 ? rooms[index] : null;
    const seqBefore = before && before.lastMessage ? before.lastMessage.seq : 0;
    const seqNow = room.lastMessage ? room.lastMessage.seq : 0;
    if (seqNow < seqBefore) return; // an older view of the room than the one shown
    remember([room]);
    const next = rooms.slice();
    if (index >= 0) next.splice(index, 1);
    if (!before || seqNow > seqBefore) {
      // By the time of its last message, not by arrival: one coalesced
      // round of events may bring two rooms in any order. (RFC 3339 UTC
      // strings of one format compare as times.)
      const at = room.lastMessage
        ? next.findIndex((r) => !r.lastMessage || r.lastMessage.createdAt <= room.lastMessage.createdAt)
        : 0;
      next.splice(at < 0 ? next.length : at, 0, room);
    } else {
      next.splice(index, 0, room);
    }
    rooms = next;
    emit();
    if (fromEvent && seqNow > seqBefore && room.lastMessage) {
      for (const fn of arrivalListeners) fn(room, room.lastMessage);
    }
  }

  const offEvents = realtime.onUserEvent((event, body) => {
    if (event === 'room_removed' && body && body.roomId) {
      // Left on another device (or here): gone from the list everywhere.
      rooms = rooms.filter((r) => r.id !== body.roomId);
      heldEvents = heldEvents.filter((r) => r.id !== body.roomId);
      if (loading) removedWhileLoading.add(body.roomId); // the answer may still have it
      emit();
      return;
    }
    if (event !== 'room' || !body || !body.room || !body.room.id) return;
    if (loading) heldEvents.push(body.room);
    else upsert(body.room, {fromEvent: true});
  });
  // Events of a gap (offline, or before the first connect) are gone: read
  // the list again on every connect.
  const offStatus = realtime.onStatus((status) => {
    if (status === 'online') load().catch(() => {});
  });

  /**
   * Reads the whole list. Events that arrive meanwhile are held and applied
   * after it when they are news to it (a newer last message, or a room it
   * does not have): the answer may have been read before them.
   */
  function load() {
    if (loading) return loading;
    heldEvents = [];
    removedWhileLoading.clear();
    loading = (async () => {
      try {
        const list = await api.get('/rooms');
        rooms = (Array.isArray(list) ? list : []).filter((r) => !removedWhileLoading.has(r.id));
        remember(rooms);
        loaded = true;
        const held = heldEvents;
        heldEvents = [];
        for (const room of held) {
          const known = rooms.find((r) => r.id === room.id);
          const seq = (r) => (r && r.lastMessage ? r.lastMessage.seq : 0);
          if (!known || seq(room) > seq(known)) upsert(room, {fromEvent: true});
        }
        emit();
        return rooms;
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  return {
    load,
    loaded: () => loaded,
    all: () => rooms,
    get: (roomId) => rooms.find((r) => r.id === roomId) || null,
    /** The name of someone seen in any of the rooms (null if never seen). */
    nameOf: (userId) => names.get(userId) ?? null,
    upsert,
    remove(roomId) {
      rooms = rooms.filter((r) => r.id !== roomId);
      emit();
    },
    /** Marks a room read locally at once (the server's event follows). */
    clearUnread(roomId) {
      const room = rooms.find((r) => r.id === roomId);
      if (!room || !room.unreadCount) return;
      rooms = rooms.map((r) => (r.id === roomId ? {...r, unreadCount: 0} : r));
      emit();
    },
    totalUnread: () => rooms.reduce((sum, r) => sum + (r.unreadCount || 0), 0),
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** fn(room, message) when a room's last message is new (from a live event). */
    onArrival(fn) {
      arrivalListeners.add(fn);
      return () => arrivalListeners.delete(fn);
    },
    stop() {
      offEvents();
      offStatus();
      listeners.clear();
      arrivalListeners.clear();
    },
  };
}

/**
 * What a room is called: its name, else the other members' names. Takes a
 * RoomSummary (members are Users, the caller excluded) or a Room (members
 * are {user, ...}, the caller included: meId leaves them out).
 */
export function roomTitle(room, meId = null) {
  if (room.name) return room.name;
  const names = (room.members || []).map((m) => m.user || m)
    .filter((u) => u && u.id !== meId).map((u) => u.name).filter(Boolean);
  if (!names.length) return t('chat.emptyRoom');
  const shown = names.slice(0, 4).join(', ');
  const total = typeof room.memberCount === 'number' ? Math.max(room.memberCount - 1, names.length) : names.length;
  return total > 4 ? t('chat.titleMore', {names: shown, count: total - 4}) : shown;
}

/**
 * One line for a message in a list or a toast. nameOf(userId) names the
 * people of a system message (else its English text is shown).
 */
export function messagePreview(message, nameOf = () => null) {
  if (!message) return '';
  if (message.type === 'image') return t('chat.previewImage');
  if (message.type === 'system') return systemText(message, nameOf).replace(/\s+/g, ' ').trim();
  return String(message.text || '').replace(/\s+/g, ' ').trim();
}
