// A room's messages on screen: bubbles (the caller's on the right), grouped
// by sender and minute, a header for each day, system messages centred, the
// unread number and time beside each group's last bubble, images as
// thumbnails that open the full picture.
//
// Scrolling is the hard part of a chat log, so this file owns it:
// - Older pages are asked for (onNeedOlder) when a sentinel at the top comes
//   into view; after they are put in, the message that was on screen is put
//   back exactly where it was (the browser's own scroll anchoring is off, in
//   messenger.css, so that only one thing moves the view).
// - New messages keep the view at the bottom when it was there (or when they
//   are one's own); otherwise a "New messages" button offers the jump.
// Message elements are made once per message and reused on every render.

import {avatar} from './avatar.js';
import {h, replace, setText} from './dom.js';
import {t} from './i18n.js';
import {systemText} from './system_text.js';
import {clockTime, dayKey, dayLabel} from './time_format.js';

const AT_BOTTOM_PX = 80;
const THUMB_MAX_PX = 240;
const GROUP_WINDOW_MS = 60_000;

/** The size a thumbnail is shown at, fixed before it loads (no layout shift). */
function thumbSize(image) {
  const w = Number(image.width) || THUMB_MAX_PX;
  const hgt = Number(image.height) || THUMB_MAX_PX;
  const scale = Math.min(1, THUMB_MAX_PX / Math.max(w, hgt));
  return {width: Math.max(48, Math.round(w * scale)), height: Math.max(48, Math.round(hgt * scale))};
}

/**
 * timeline: RoomTimeline; members(): Map userId -> User; meId.
 * onNeedOlder(): Promise, loads the next older page into the timeline.
 * onAtBottom(): the reader has seen the newest message.
 * onRetry(pending), onDiscard(pending): actions on a failed send.
 */
export function createMessageList({timeline, members, meId, onNeedOlder, onAtBottom, onRetry, onDiscard}) {
  const list = h('ol', {class: 'msg-list'});
  const olderSpinner = h('span', {class: 'msg-older-spinner'},
    h('span', {class: 'spinner-border spinner-border-sm', 'aria-hidden': 'true'}),
    h('span', {class: 'visually-hidden', i18n: 'chat.loadingOlder'}));
  const olderRetry = h('button', {type: 'button', class: 'btn btn-soft btn-sm', hidden: true,
    on: {click: () => { olderFailed = false; loadOlder(); }}}, h('span', {i18n: 'chat.olderRetry'}));
  const older = h('div', {class: 'msg-older', hidden: true}, olderSpinner, olderRetry);
  const start = h('p', {class: 'msg-start', hidden: true, i18n: 'chat.startOfChat'});
  // aria-busy until the first page is in: a screen reader should not read
  // out fifty messages on opening a room.
  const scroller = h('div', {class: 'msg-scroller', role: 'log', 'aria-live': 'polite', 'aria-busy': 'true',
    tabindex: '0', i18nAttrs: {'aria-label': 'chat.messages'}}, older, start, list);
  const jumpCount = h('span', {class: 'msg-jump-count'});
  const jump = h('button', {type: 'button', class: 'msg-jump', hidden: true, on: {click: () => scrollToBottom(true)}},
    h('span', {i18n: 'chat.newMessages'}), jumpCount);
  const el = h('div', {class: 'msg-area'}, scroller, jump);

  const elements = new Map(); // key ('s<seq>' or 'p<clientMsgId>') -> {li, parts, state}
  let loadingOlder = false;
  let olderFailed = false; // shown as "Try again" until the reader asks
  let unseen = 0;
  let destroyed = false;

  // --- Older pages --------------------------------------------------------------
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) loadOlder();
  }, {root: scroller, rootMargin: '600px 0px 0px 0px'});
  observer.observe(older);

  async function loadOlder() {
    if (loadingOlder || olderFailed || !timeline.hasMoreBefore || destroyed) return;
    loadingOlder = true;
    olderSpinner.hidden = false;
    olderRetry.hidden = true;
    scroller.setAttribute('aria-busy', 'true');
    try {
      await onNeedOlder();
    } catch (err) {
      console.warn('older messages', err);
      olderFailed = true; // no retry loop: the reader retries with the button
      olderSpinner.hidden = true;
      olderRetry.hidden = false;
      return;
    } finally {
      loadingOlder = false;
      scroller.removeAttribute('aria-busy');
    }
    // Still at the top (a short page, a tall screen): keep going.
    if (!destroyed && timeline.hasMoreBefore && scroller.scrollTop < 600) requestAnimationFrame(loadOlder);
  }

  // --- Scrolling -----------------------------------------------------------------
  function atBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < AT_BOTTOM_PX;
  }

  function scrollToBottom(smooth = false) {
    scroller.scrollTo({top: scroller.scrollHeight, behavior: smooth ? 'smooth' : 'auto'});
    unseen = 0;
    jump.hidden = true;
    onAtBottom();
  }

  scroller.addEventListener('scroll', () => {
    if (atBottom()) {
      if (!jump.hidden) {
        unseen = 0;
        jump.hidden = true;
      }
      onAtBottom();
    }
  }, {passive: true});

  /** The first message at least partly on screen, and where it is. */
  function anchor() {
    const top = scroller.getBoundingClientRect().top;
    for (const li of list.children) {
      if (li.classList.contains('msg-day')) continue; // day headers move when older days arrive
      const r = li.getBoundingClientRect();
      if (r.bottom > top) return {li, top: r.top};
    }
    return null;
  }

  // --- One message ---------------------------------------------------------------
  function senderOf(message) {
    return members().get(message.senderId) || {id: message.senderId, name: t('chat.formerMember')};
  }

  function makeElement(message, pending) {
    const mine = pending || message.senderId === meId;
    if (!pending && message.type === 'system') {
      const words = h('span', {class: 'msg-system-text'});
      return {li: h('li', {class: 'msg msg-system'}, words), parts: {words}};
    }
    const parts = {
      who: h('div', {class: 'msg-who'}),
      bubble: h('div', {class: 'msg-bubble'}),
      unread: h('span', {class: 'msg-unread'}),
      time: h('time', {class: 'msg-time'}),
      status: h('span', {class: 'msg-status'}),
    };
    const meta = h('div', {class: 'msg-meta'}, parts.unread, parts.status, parts.time);
    const li = h('li', {class: ['msg', mine && 'mine', pending && 'is-pending']},
      parts.who,
      h('div', {class: 'msg-row'}, parts.bubble, meta));
    fillBody(parts.bubble, pending ? pending : message);
    return {li, parts};
  }

  function fillBody(bubble, message) {
    if (message.type === 'image' && (message.image || message.previewUrl)) {
      const image = message.image || {width: message.width, height: message.height};
      const size = thumbSize(image);
      const img = h('img', {class: 'msg-thumb', alt: '', width: size.width, height: size.height,
        loading: 'lazy', decoding: 'async',
        src: message.image ? timeline.localPreviews.get(message.seq) || message.image.thumbUrl : message.previewUrl,
        i18nAttrs: {alt: 'chat.image'}});
      img.style.width = `${size.width}px`;
      img.style.height = `${size.height}px`;
      bubble.classList.add('msg-bubble-image');
      if (message.image) {
        replace(bubble, h('button', {type: 'button', class: 'msg-image-open', on: {click: () => openImage(message.image)}},
          img, h('span', {class: 'visually-hidden', i18n: 'chat.openImage'})));
      } else {
        replace(bubble, img);
      }
    } else {
      bubble.classList.remove('msg-bubble-image');
      setText(bubble, message.text || '');
    }
  }

  function updatePending(entry, pending) {
    const {parts, li} = entry;
    li.classList.toggle('is-failed', pending.state === 'failed');
    replace(parts.status);
    if (pending.state === 'uploading') {
      const bar = h('div', {class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
        'aria-valuenow': String(Math.round(pending.progress * 100)), i18nAttrs: {'aria-label': 'chat.uploading'}});
      bar.style.width = `${Math.round(pending.progress * 100)}%`;
      parts.status.append(h('div', {class: 'progress msg-progress'}, bar));
    } else if (pending.state === 'failed') {
      parts.status.append(
        h('span', {class: 'msg-failed-text', i18n: pending.errorKey || 'chat.sendFailed', i18nParams: pending.errorParams || {}}),
        h('button', {type: 'button', class: 'btn btn-link btn-sm msg-retry', on: {click: () => onRetry(pending)}},
          h('span', {i18n: 'chat.retry'})),
        h('button', {type: 'button', class: 'btn btn-link btn-sm msg-discard', on: {click: () => onDiscard(pending)}},
          h('span', {i18n: 'chat.discard'})));
    } else {
      parts.status.append(h('span', {class: 'msg-sending', i18nAttrs: {title: 'chat.sending'}},
        h('span', {class: 'visually-hidden', i18n: 'chat.sending'}), h('span', {'aria-hidden': 'true', text: '◷'})));
    }
  }

  function openImage(image) {
    const img = h('img', {class: 'lightbox-img', src: image.url, alt: '', i18nAttrs: {alt: 'chat.image'}});
    const close = h('button', {type: 'button', class: 'btn-close btn-close-white lightbox-close', i18nAttrs: {'aria-label': 'chat.close'}});
    const dialog = h('dialog', {class: 'lightbox', i18nAttrs: {'aria-label': 'chat.image'}}, close, img);
    close.addEventListener('click', () => dialog.close());
    dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  // --- The whole list ----
  function senderKey(item) {
    return item.pending ? meId : item.message.senderId;
  }

  /** Bubbles of one sender within the same minute form a group (one avatar, one time). */
  function sameGroup(a, b) {
    if (!a || !b) return false;
    if ((a.message.type === 'system' && !a.pending) || (b.message.type === 'system' && !b.pending)) return false;
    if (senderKey(a) !== senderKey(b)) return false;
    const ta = new Date(a.message.createdAt);
    const tb = new Date(b.message.createdAt);
    return Math.abs(tb - ta) < GROUP_WINDOW_MS && clockTime(ta) === clockTime(tb) && dayKey(ta) === dayKey(tb);
  }

  // --- The whole list (helpers above) -------------------------------------------------------------
  /**
   * Puts the timeline on screen. reason: 'initial' (go to the bottom),
   * 'older' (keep the view where it is), 'new' (follow when at the bottom),
   * 'update' (numbers changed only). added: how many messages are new.
   */
  function render(reason = 'update', {mineAdded = false, added = 1} = {}) {
    const wasAtBottom = atBottom();
    const keep = reason === 'older' ? anchor() : null;

    const rows = [];
    const items = [
      ...timeline.messages().map((m) => ({key: `s${m.seq}`, message: m, pending: null})),
      ...timeline.pendingList().map((p) => ({key: `p${p.clientMsgId}`, message: p, pending: p})),
    ];
    const live = new Set();
    let lastDay = '';
    for (let i = 0; i < items.length; i += 1) {
      const item = items[i];
      const m = item.message;
      const day = dayKey(m.createdAt);
      if (day !== lastDay) {
        lastDay = day;
        const key = `d${day}`;
        live.add(key);
        let entry = elements.get(key);
        if (!entry) {
          entry = {li: h('li', {class: 'msg-day'}, h('span', {class: 'msg-day-label'}))};
          elements.set(key, entry);
        }
        setText(entry.li.firstChild, dayLabel(m.createdAt));
        rows.push(entry.li);
      }
      live.add(item.key);
      let entry = elements.get(item.key);
      if (!entry) {
        entry = makeElement(m, item.pending);
        elements.set(item.key, entry);
      }
      if (m.type === 'system' && !item.pending) {
        // Worded at each render: names arrive later, the language changes.
        const words = systemText(m, (id) => (members().get(id) || {}).name || null);
        if (entry.parts.words.textContent !== words) setText(entry.parts.words, words);
      } else {
        const sender = senderKey(item);
        const first = !sameGroup(items[i - 1], item) || rows.length === 0 || rows[rows.length - 1].classList.contains('msg-day');
        const last = !sameGroup(item, items[i + 1]);
        entry.li.classList.toggle('group-first', first);
        entry.li.classList.toggle('group-last', last);
        const {parts} = entry;
        if (sender !== meId) {
          // Refilled when the sender becomes known (a member just invited)
          // or changes name or picture.
          const user = first ? senderOf(m) : null;
          const whoKey = user ? JSON.stringify([user.id, user.name, user.avatar && user.avatar.id]) : '';
          if (parts.whoKey !== whoKey) {
            parts.whoKey = whoKey;
            if (user) replace(parts.who, avatar(user, {size: 'md'}), h('span', {class: 'msg-name', text: user.name}));
            else replace(parts.who);
          }
        }
        if (item.pending) {
          updatePending(entry, item.pending);
          setText(parts.time, '');
        } else {
          const unread = timeline.unreadOf(m);
          if (entry.unread !== unread) {
            entry.unread = unread;
            replace(parts.unread);
            if (unread > 0) {
              parts.unread.append(h('span', {'aria-hidden': 'true', text: String(unread)}),
                h('span', {class: 'visually-hidden', i18n: 'chat.unread', i18nParams: {count: unread}}));
            }
          }
          setText(parts.time, last ? clockTime(m.createdAt) : '');
          parts.time.setAttribute('datetime', m.createdAt);
        }
      }
      rows.push(entry.li);
    }
    for (const key of elements.keys()) if (!live.has(key)) elements.delete(key);
    // Reuse: only nodes that moved are touched.
    rows.forEach((li, i) => {
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
    while (list.children.length > rows.length) list.lastElementChild.remove();

    older.hidden = !timeline.hasMoreBefore;
    start.hidden = timeline.hasMoreBefore || timeline.messages().length === 0;

    if (reason === 'initial') {
      scroller.removeAttribute('aria-busy');
      scrollToBottom();
    } else if (keep && keep.li.isConnected) {
      scroller.scrollTop += keep.li.getBoundingClientRect().top - keep.top;
    } else if (reason === 'new') {
      if (wasAtBottom || mineAdded) {
        scrollToBottom();
      } else {
        unseen += added;
        setText(jumpCount, unseen > 1 ? String(unseen) : '');
        jump.hidden = false;
      }
    } else if (wasAtBottom) {
      scroller.scrollTop = scroller.scrollHeight;
    }
  }

  return {
    el,
    render,
    atBottom,
    scrollToBottom,
    destroy() {
      destroyed = true;
      observer.disconnect();
    },
  };
}
