// One open room: its header (name, members, Invite, Leave room), the
// messages and the composer, kept live over the room's STOMP topic.
//
// The order of things on opening matters: the topic is subscribed first,
// then the room and its newest page are read, so nothing sent in between is
// missed (a message seen both ways is kept once: the timeline is keyed by
// seq). After a reconnect ('resync'), and whenever a live message skips a
// seq, the gap is read with ?after= until nothing is left.
//
// Sends are optimistic: a pending bubble at once, replaced by the stored
// message when it comes back; an image is uploaded first (with a progress
// bar) and then sent by its id. A send interrupted by a disconnect is
// retried by the real-time link with the same clientMsgId.

import * as api from './api.js';
import {createComposer} from './composer.js';
import {confirmDialog, promptDialog} from './dialog.js';
import {h, replace, setText, svg} from './dom.js';
import {describeError} from './errors.js';
import {alertBox} from './forms.js';
import {onLanguageChange, t} from './i18n.js';
import {createMessageList} from './message_list.js';
import {roomAvatar} from './chats_view.js';
import {loadOutbox, saveOutbox} from './outbox_store.js';
import {SendRejected} from './realtime.js';
import {roomTitle} from './room_list.js';
import {RoomTimeline} from './room_timeline.js';
import {uploadImage} from './upload.js';

const PAGE = 50;
const CATCH_UP_PAGE = 100;
const READ_DELAY_MS = 150;

function newClientMsgId() {
  if (crypto.randomUUID) return crypto.randomUUID(); // secure contexts only (https, localhost)
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function imageSize(file) {
  return createImageBitmap(file).then((bitmap) => {
    const size = {width: bitmap.width, height: bitmap.height};
    bitmap.close();
    return size;
  }, () => ({width: 0, height: 0}));
}

function headerIcon(d) {
  return svg('svg', {viewBox: '0 0 24 24', width: 22, height: 22, 'aria-hidden': 'true', focusable: 'false'},
    svg('path', {d, fill: 'currentColor'}));
}

const ICON_BACK = 'M15.4 4.6 14 3.2 5.2 12l8.8 8.8 1.4-1.4L8 12z';
const ICON_INVITE = 'M15 12a4 4 0 1 0-4-4 4 4 0 0 0 4 4Zm-9-2V7H4v3H1v2h3v3h2v-3h3v-2Zm9 4c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4Z';
const ICON_LEAVE = 'M10 17l1.4-1.4L8.8 13H20v-2H8.8l2.6-2.6L10 7l-5 5zM4 5h8V3H4a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h8v-2H4z';
const ICON_RENAME = 'M3 17.2V21h3.8l11-11-3.8-3.8zM20.7 7a1 1 0 0 0 0-1.4l-2.3-2.3a1 1 0 0 0-1.4 0l-1.8 1.8 3.8 3.8z';

export function mountRoomView(container, ctx, roomId) {
  const me = ctx.user;
  const cleanups = [];
  const timeline = new RoomTimeline(me.id);
  const users = new Map(); // userId -> User, every member we have seen
  let room = null;
  let loaded = false;
  let destroyed = false;
  let lastMarked = 0;
  let readTimer = 0;
  let catchingUp = null;
  let resyncAfterLoad = false; // a 'resync' came while the first page was loading
  let sendQueue = Promise.resolve(); // sends go out in the order they were made
  const uploads = new Set(); // AbortControllers of uploads under way
  const askedUsers = new Set(); // senders no longer members, looked up once

  // --- Layout --------------------------------------------------------------------
  const title = h('h1', {class: 'room-header-title'});
  const subtitle = h('p', {class: 'room-header-sub'});
  const avatarSlot = h('span', {class: 'room-header-avatar'});
  const iconButton = (iconPath, key, onClick) => h('button', {type: 'button', class: 'btn btn-icon', on: {click: onClick},
    i18nAttrs: {title: key}}, headerIcon(iconPath), h('span', {class: 'visually-hidden', i18n: key}));
  const renameButton = iconButton(ICON_RENAME, 'chat.rename', rename);
  renameButton.hidden = true;
  const header = h('header', {class: 'room-header'},
    h('a', {class: 'btn btn-icon room-back', href: '#/chats', i18nAttrs: {title: 'chat.back'}},
      headerIcon(ICON_BACK), h('span', {class: 'visually-hidden', i18n: 'chat.back'})),
    avatarSlot,
    h('div', {class: 'room-header-text'}, title, subtitle),
    h('div', {class: 'room-header-actions'},
      renameButton,
      iconButton(ICON_INVITE, 'chat.invite', invite),
      iconButton(ICON_LEAVE, 'chat.leaveRoom', leave)));
  const alerts = h('div', {class: 'room-alerts', 'aria-live': 'polite'});
  const list = createMessageList({
    timeline,
    members: () => users,
    meId: me.id,
    onNeedOlder: loadOlder,
    onAtBottom: () => markReadSoon(),
    onRetry: (p) => enqueue(p, p.imageId || p.type === 'text' ? null : upload(p)),
    onDiscard: (p) => {
      if (p.previewUrl) URL.revokeObjectURL(p.previewUrl);
      timeline.removePending(p.clientMsgId);
      persistOutbox();
      list.render('update');
    },
  });
  const view = h('div', {class: 'room-view'}, header, alerts, list.el);
  const composer = createComposer({onSend: send, dropTarget: view});
  view.append(composer.el);
  replace(container, view);
  cleanups.push(() => list.destroy(), () => composer.destroy());

  /** Keeps the unsent texts across a reload (outbox_store.js). */
  function persistOutbox() {
    saveOutbox(me.id, roomId, timeline.pendingList().filter((p) => p.type === 'text'));
  }

  /** Texts a previous page left unsent: shown as pending and sent again. */
  function restoreOutbox() {
    let restored = 0;
    for (const e of loadOutbox(me.id, roomId)) {
      if (timeline.hasClientMsgId(e.clientMsgId) || timeline.pending.has(e.clientMsgId)) continue;
      const pending = {clientMsgId: e.clientMsgId, type: 'text', text: e.text,
        createdAt: e.createdAt || new Date().toISOString(), state: 'sending'};
      timeline.addPending(pending);
      enqueue(pending, null);
      restored += 1;
    }
    persistOutbox(); // drops what turned out to be stored already
    if (restored) list.render('new', {mineAdded: true, added: restored});
  }

  function showError(err) {
    const {key, params} = describeError(err);
    replace(alerts, alertBox('danger', key, params));
  }

  // --- The room -----------------------------------------------------------------
  function applyRoom(next) {
    room = next;
    for (const m of room.members) users.set(m.user.id, m.user);
    timeline.setMembers(room.members);
    renderHeader();
  }

  function renderHeader() {
    setText(title, roomTitle(room, me.id));
    setText(subtitle, room.kind === 'group' ? t('chat.members', {count: room.members.length}) : '');
    subtitle.hidden = room.kind !== 'group';
    renameButton.hidden = room.kind !== 'group';
    const others = room.members.map((m) => m.user).filter((u) => u.id !== me.id);
    replace(avatarSlot, roomAvatar({id: room.id, name: room.name, members: others}));
    document.title = `${roomTitle(room, me.id)} · ${t('app.name')}`;
  }

  async function reloadRoom() {
    const next = await api.get(`/rooms/${encodeURIComponent(roomId)}`);
    if (destroyed) return;
    applyRoom(next);
    // Our own mark as the server has it: a read frame lost in a disconnect
    // is sent again by markReadSoon().
    const mine = next.members.find((m) => m.user.id === me.id);
    if (mine && mine.lastReadSeq < lastMarked) lastMarked = mine.lastReadSeq;
  }

  /** Senders who have left are not in the room's members: ask for their names once. */
  function lookUpSenders(messages) {
    const ids = [];
    for (const m of messages) {
      if (m.senderId) ids.push(m.senderId);
      if (m.system) ids.push(m.system.actorId, ...(m.system.userIds || []));
    }
    for (const id of ids) {
      if (!id || users.has(id) || askedUsers.has(id)) continue;
      askedUsers.add(id);
      api.get(`/users/${encodeURIComponent(id)}`).then((user) => {
        if (destroyed || users.has(id)) return;
        users.set(id, user);
        list.render('update');
      }, () => {});
    }
  }

  let loading = false;
  async function load() {
    loading = true;
    try {
      const [info, page] = await Promise.all([
        api.get(`/rooms/${encodeURIComponent(roomId)}`),
        api.get(`/rooms/${encodeURIComponent(roomId)}/messages`, {query: {limit: PAGE}}),
      ]);
      if (destroyed) return;
      replace(alerts);
      applyRoom(info);
      timeline.add(page.messages);
      timeline.hasMoreBefore = page.hasMore;
      loaded = true;
      list.render('initial');
      restoreOutbox();
      lookUpSenders(page.messages);
      markReadSoon();
      // On a phone, focusing would raise the keyboard over the messages.
      if (window.matchMedia('(min-width: 768px)').matches) composer.focus();
      // The link connected while we were reading, or live messages came
      // past a hole: read what we may have missed.
      if (resyncAfterLoad || timeline.contiguousSeq < timeline.newestSeq) catchUp();
      resyncAfterLoad = false;
    } catch (err) {
      if (destroyed) return;
      if (err instanceof api.ApiError && err.status === 404) {
        replace(view, h('div', {class: 'room-missing'},
          h('p', {i18n: 'chat.roomMissing'}),
          h('a', {class: 'btn btn-soft', href: '#/chats'}, h('span', {i18n: 'chat.back'}))));
        ctx.rooms.remove(roomId);
        return;
      }
      showError(err); // the next connect ('resync') tries again
    } finally {
      loading = false;
    }
  }

  async function loadOlder() {
    if (!loaded || !timeline.hasMoreBefore) return;
    const page = await api.get(`/rooms/${encodeURIComponent(roomId)}/messages`,
      {query: {before: timeline.oldestSeq, limit: PAGE}});
    if (destroyed) return;
    timeline.add(page.messages);
    timeline.hasMoreBefore = page.hasMore;
    list.render('older');
    lookUpSenders(page.messages);
  }

  /**
   * Reads everything after the last message we hold without a hole, page by
   * page. Asked for again while running, it runs once more afterwards (the
   * new request may be about messages the running one has already passed).
   */
  let catchUpAgain = false;
  function catchUp() {
    if (!loaded) {
      if (!loading) return load(); // the first read failed (offline): again
      resyncAfterLoad = true; // load() runs it once the first page is in
      return Promise.resolve();
    }
    if (catchingUp) {
      catchUpAgain = true;
      return catchingUp;
    }
    catchingUp = (async () => {
      try {
        do {
          catchUpAgain = false;
          await reloadRoom();
          for (;;) {
            const page = await api.get(`/rooms/${encodeURIComponent(roomId)}/messages`,
              {query: {after: timeline.contiguousSeq, limit: CATCH_UP_PAGE}});
            if (destroyed) return;
            const added = timeline.add(page.messages);
            persistOutbox();
            if (added) {
              list.render('new', {added});
              lookUpSenders(page.messages);
            }
            if (!page.hasMore || !page.messages.length) break;
          }
        } while (catchUpAgain && !destroyed);
        markReadSoon();
      } catch (err) {
        if (!destroyed && !(err instanceof api.ApiError && err.status === 0)) showError(err);
      } finally {
        catchingUp = null;
      }
    })();
    return catchingUp;
  }

  // --- Live events ----------------------------------------------------------------
  cleanups.push(ctx.realtime.subscribeRoom(roomId, (event, body) => {
    if (destroyed) return;
    if (event === 'resync') {
      catchUp();
      return;
    }
    if (event === 'message') {
      const gap = loaded && body.seq > timeline.contiguousSeq + 1 && !timeline.has(body.seq - 1);
      // A sender we do not know yet was just invited: read the room again.
      if (body.senderId && !users.has(body.senderId)) reloadRoom().then(() => list.render('update'), () => {});
      const added = timeline.add([body]);
      if (body.senderId === me.id) persistOutbox();
      if (!loaded) return;
      if (body.system) lookUpSenders([body]);
      if (!added) {
        list.render('update'); // a repeat; its pending bubble may have gone
        return;
      }
      list.render('new', {mineAdded: body.senderId === me.id});
      if (gap) catchUp();
      markReadSoon();
    } else if (event === 'read') {
      if (timeline.applyRead(body) && loaded) list.render('update');
    } else if (event === 'member') {
      if (body.action === 'left' && (body.userIds || []).includes(me.id)) {
        ctx.rooms.remove(roomId);
        ctx.navigate('#/chats');
        return;
      }
      reloadRoom().then(() => list.render('update'), () => {});
    }
  }));

  // --- Reading --------------------------------------------------------------------
  function markReadSoon() {
    if (!loaded || document.visibilityState !== 'visible') return;
    if (timeline.newestSeq <= lastMarked) return;
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
      const seq = timeline.newestSeq;
      if (seq <= lastMarked || destroyed) return;
      lastMarked = seq;
      if (!ctx.realtime.markRead(roomId, seq)) {
        api.post(`/rooms/${encodeURIComponent(roomId)}/read`, {seq}).catch(() => { lastMarked = 0; });
      }
      if (timeline.raiseMark(me.id, seq)) list.render('update');
      ctx.rooms.clearUnread(roomId);
    }, READ_DELAY_MS);
  }
  const onVisible = () => markReadSoon();
  document.addEventListener('visibilitychange', onVisible);
  cleanups.push(() => document.removeEventListener('visibilitychange', onVisible), () => clearTimeout(readTimer));

  // --- Sending ---------------------------------------------------------------------
  function send({text, files}) {
    replace(alerts);
    const now = () => new Date().toISOString();
    for (const file of files) {
      const pending = {clientMsgId: newClientMsgId(), type: 'image', createdAt: now(), state: 'uploading',
        progress: 0, file, previewUrl: URL.createObjectURL(file), width: 0, height: 0};
      timeline.addPending(pending);
      // Uploads run side by side; the sends still go out in order (enqueue).
      const uploaded = imageSize(file).then((size) => {
        Object.assign(pending, size);
        list.render('new', {mineAdded: true});
        return upload(pending);
      });
      enqueue(pending, uploaded);
    }
    if (text) {
      const pending = {clientMsgId: newClientMsgId(), type: 'text', text, createdAt: now(), state: 'sending'};
      timeline.addPending(pending);
      persistOutbox();
      list.render('new', {mineAdded: true});
      enqueue(pending, null);
    }
  }

  /**
   * Sends pending once `ready` (its upload, or null) is done and every send
   * made before it has gone out, so messages keep the order they were made
   * in: a text typed under a photo is not stored before the photo.
   */
  function enqueue(pending, ready) {
    sendQueue = sendQueue.then(() => ready).then(
      (ok) => { if (ok !== false && !destroyed) deliver(pending); },
      () => {});
  }

  let progressFrame = 0;
  function renderProgress() {
    if (progressFrame) return;
    progressFrame = requestAnimationFrame(() => {
      progressFrame = 0;
      if (!destroyed) list.render('update');
    });
  }

  /** Uploads a pending image; resolves true when it has its imageId, false when it failed. */
  async function upload(pending) {
    pending.state = 'uploading';
    pending.progress = 0;
    list.render('update');
    const abort = new AbortController();
    uploads.add(abort);
    try {
      const image = await uploadImage(pending.file, {signal: abort.signal, onProgress: (f) => {
        pending.progress = f;
        renderProgress();
      }});
      pending.imageId = image.id;
      return true;
    } catch (err) {
      fail(pending, err);
      return false;
    } finally {
      uploads.delete(abort);
    }
  }

  function deliver(pending) {
    pending.state = 'sending';
    list.render('update');
    const body = pending.type === 'image'
      ? {clientMsgId: pending.clientMsgId, type: 'image', imageId: pending.imageId}
      : {clientMsgId: pending.clientMsgId, type: 'text', text: pending.text};
    ctx.realtime.sendMessage(roomId, body).then(async () => {
      // Stored. Its event normally arrives first; if not (a retry of a
      // message stored before the disconnect is not published again), read it.
      if (destroyed) return;
      if (!timeline.hasClientMsgId(pending.clientMsgId)) await catchUp();
      // Still pending: it was stored long ago, before the messages on screen
      // (an outbox entry from an earlier page). Nothing more to show.
      if (!destroyed && timeline.pending.has(pending.clientMsgId)) {
        timeline.removePending(pending.clientMsgId);
        persistOutbox();
        list.render('update');
      }
    }, (err) => fail(pending, err));
  }

  function fail(pending, err) {
    if (destroyed || (err && err.name === 'AbortError')) return;
    const status = err instanceof SendRejected || err instanceof api.ApiError ? err.status : 0;
    pending.state = 'failed';
    pending.errorKey = {413: 'chat.imageTooLarge', 415: 'chat.notAnImage', 429: 'chat.slowDown'}[status] || 'chat.sendFailed';
    pending.errorParams = {name: pending.file ? pending.file.name : ''};
    list.render('update');
  }

  // --- Header actions ----------------------------------------------------------------
  async function invite() {
    if (!room) return;
    const memberIds = room.members.map((m) => m.user.id);
    const picked = await ctx.pickFriends({titleKey: 'chat.inviteTitle', confirmKey: 'chat.invite', excludeIds: memberIds});
    if (!picked || !picked.userIds.length) return;
    try {
      if (room.kind === 'group') {
        applyRoom(await api.post(`/rooms/${encodeURIComponent(roomId)}/members`, {userIds: picked.userIds}));
      } else {
        // A 1:1 chat stays 1:1: inviting starts a group with everyone.
        const others = memberIds.filter((id) => id !== me.id);
        const group = await api.post('/rooms', {memberIds: [...others, ...picked.userIds]});
        ctx.openRoom(group.id);
      }
    } catch (err) {
      showError(err);
    }
  }

  async function leave() {
    const ok = await confirmDialog({titleKey: 'chat.leaveTitle', bodyKey: 'chat.leaveBody', confirmKey: 'chat.leaveRoom',
      cancelKey: 'chat.cancel', danger: true});
    if (!ok) return;
    try {
      await api.del(`/rooms/${encodeURIComponent(roomId)}/members/me`);
      ctx.rooms.remove(roomId);
      ctx.navigate('#/chats');
    } catch (err) {
      showError(err);
    }
  }

  async function rename() {
    if (!room || room.kind !== 'group') return;
    const name = await promptDialog({titleKey: 'chat.renameTitle', labelKey: 'chat.roomName', value: room.name,
      maxLength: 80, confirmKey: 'chat.save', cancelKey: 'chat.cancel'});
    if (name === null || name === room.name) return;
    try {
      applyRoom(await api.patch(`/rooms/${encodeURIComponent(roomId)}`, {name}));
    } catch (err) {
      showError(err);
    }
  }

  cleanups.push(onLanguageChange(() => {
    if (room) renderHeader(); // not applyRoom: its marks are older than the events since
    list.render('update');
  }));

  load();

  return {
    unmount() {
      destroyed = true;
      cancelAnimationFrame(progressFrame);
      for (const abort of uploads) abort.abort();
      for (const url of timeline.localPreviews.values()) URL.revokeObjectURL(url);
      for (const p of timeline.pendingList()) if (p.previewUrl) URL.revokeObjectURL(p.previewUrl);
      for (const fn of cleanups) fn();
      document.title = t('app.name');
    },
  };
}
