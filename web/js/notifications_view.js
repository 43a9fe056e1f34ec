// The "Notifications" screen: newest first, unread ones marked, each with
// who did it and when ("3 min ago"). An invitation opens its chat; "X added
// you" offers "Add friend" back while X is not my friend. Opening the screen
// marks everything read; new ones arriving meanwhile go on top.

import './i18n_people.js';
import {ApiError} from './api.js';
import {avatar} from './avatar.js';
import {h, replace, setText} from './dom.js';
import {describeError} from './errors.js';
import {alertBox} from './forms.js';
import {onLanguageChange} from './i18n.js';
import {addFriend, listFriends, listNotifications, markAllNotificationsRead} from './people_api.js';
import {emptyState, friendBadge, listSpinner} from './person_row.js';
import {fullTime, sentenceWithName, timeAgo} from './people_text.js';

const PAGE_SIZE = 30;
const CLOCK_TICK_MS = 30 * 1000; // "just now" becomes "1 min ago" without a reload

/**
 * Mounts the screen. onAllRead() is called once the server has marked
 * everything read. Returns {prepend(notification), unmount()}.
 */
export function mountNotificationsView(container, ctx, {onAllRead = () => {}} = {}) {
  const items = []; // Notification, newest first
  const seen = new Set();
  const rows = new Map(); // notification id -> <li>
  let friendIds = null; // Set once known; null: unknown, so "Add friend" is offered
  let hasMore = false;
  let loading = false;
  let loadError = null;
  let controller = null;
  let unmounted = false;

  const alerts = h('div', {class: 'people-alerts'});
  const list = h('ul', {class: 'notif-list'});
  const footer = h('div', {class: 'notif-footer'});
  const screen = h('div', {class: 'people-screen notif-screen'},
    h('header', {class: 'people-header'}, h('h1', {class: 'people-title', i18n: 'notif.title'})),
    alerts, list, footer);
  replace(container, screen);

  const clock = setInterval(refreshTimes, CLOCK_TICK_MS);
  const offLanguage = onLanguageChange(rerenderAll);
  firstLoad();

  async function firstLoad() {
    controller = new AbortController();
    const {signal} = controller;
    listFriends({signal}).then((friends) => {
      friendIds = new Set((friends || []).map((f) => f.id));
      if (!unmounted) rerenderAll();
    }, () => {}); // unknown friends: "Add friend" stays offered, and PUT is idempotent
    await loadPage();
    if (unmounted || loadError) return;
    try {
      await markAllNotificationsRead();
      onAllRead();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) console.warn('notifications: mark all read failed', err);
    }
  }

  async function loadPage() {
    if (loading) return;
    loading = true;
    loadError = null;
    renderFooter();
    const before = items.length ? items[items.length - 1].id : undefined;
    try {
      const page = await listNotifications({before, limit: PAGE_SIZE, signal: controller.signal});
      for (const n of page.notifications || []) add(n, 'end');
      hasMore = Boolean(page.hasMore);
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      loadError = err;
    } finally {
      loading = false;
    }
    if (!unmounted) renderFooter();
  }

  function add(n, where) {
    if (!n || !n.id || !n.actor || seen.has(n.id)) return;
    seen.add(n.id);
    const li = renderItem(n);
    rows.set(n.id, li);
    if (where === 'start') {
      items.unshift(n);
      list.prepend(li);
    } else {
      items.push(n);
      list.append(li);
    }
  }

  function renderItem(n) {
    const when = h('time', {class: 'notif-time', datetime: n.createdAt, title: fullTime(n.createdAt), text: timeAgo(n.createdAt)});
    const words = h('span', {class: 'notif-words'},
      h('span', {class: 'notif-sentence'},
        sentenceWithName(n.type === 'room_invited' ? 'notif.roomInvited' : 'notif.friendAdded', n.actor.name)),
      when);
    const unreadMark = n.read ? null : h('span', {class: 'notif-dot'}, h('span', {class: 'visually-hidden', i18n: 'notif.unread'}));
    const content = [h('span', {class: 'notif-avatar'}, avatar(n.actor, {size: 'md'}), unreadMark), words];
    const li = h('li', {class: ['notif-item', n.read ? '' : 'is-unread'], tabindex: '-1', dataset: {id: n.id}});
    if (n.type === 'room_invited' && n.roomId) {
      li.append(h('button', {type: 'button', class: 'notif-open', on: {click: () => ctx.openRoom(n.roomId)}}, content));
    } else {
      li.append(h('div', {class: 'notif-open'}, content), friendAction(n.actor));
    }
    return li;
  }

  function friendAction(actor) {
    const isFriend = friendIds && friendIds.has(actor.id);
    if (isFriend) return h('span', {class: 'notif-action'}, friendBadge());
    const spinner = h('span', {class: 'spinner-border spinner-border-sm me-1', 'aria-hidden': 'true', hidden: true});
    const button = h('button', {type: 'button', class: 'btn btn-primary btn-sm person-add'},
      spinner, h('span', {i18n: 'people.addFriend'}));
    button.addEventListener('click', async () => {
      if (button.disabled) return;
      button.disabled = true;
      spinner.hidden = false;
      replace(alerts);
      try {
        await addFriend(actor.id);
        if (!friendIds) friendIds = new Set();
        friendIds.add(actor.id);
        if (unmounted) return;
        const li = button.closest('li');
        rerenderActor(actor.id);
        // The button is gone; keep focus on its notification.
        const again = li && rows.get(li.dataset.id);
        if (again) again.focus();
      } catch (err) {
        button.disabled = false;
        spinner.hidden = true;
        if (err instanceof ApiError && err.status === 401) return;
        const {key, params} = describeError(err);
        replace(alerts, alertBox('danger', key, params));
      }
    });
    return h('span', {class: 'notif-action'}, button);
  }

  function rerenderActor(actorId) {
    for (const n of items) if (n.actor.id === actorId) rerender(n);
  }

  function rerender(n) {
    const old = rows.get(n.id);
    const next = renderItem(n);
    rows.set(n.id, next);
    if (old) old.replaceWith(next);
  }

  function rerenderAll() {
    for (const n of items) rerender(n);
    renderFooter();
  }

  function refreshTimes() {
    for (const el of list.querySelectorAll('time.notif-time')) setText(el, timeAgo(el.getAttribute('datetime')));
  }

  function renderFooter() {
    if (loading) {
      replace(footer, listSpinner('notif.loading'));
    } else if (loadError) {
      const {key, params} = describeError(loadError);
      replace(footer, h('div', {class: 'people-error'}, alertBox('danger', key, params),
        h('button', {type: 'button', class: 'btn btn-soft btn-sm', on: {click: loadPage}}, h('span', {i18n: 'app.retry'}))));
    } else if (hasMore) {
      replace(footer, h('button', {type: 'button', class: 'btn btn-soft notif-more', on: {click: loadMore}},
        h('span', {i18n: 'notif.loadMore'})));
    } else if (items.length === 0) {
      replace(footer, emptyState('bell', 'notif.empty', 'notif.emptyHint'));
    } else {
      replace(footer);
    }
  }

  async function loadMore() {
    const count = items.length;
    await loadPage();
    // Keyboard users continue at the first new notification.
    const first = items[count] && rows.get(items[count].id);
    if (first && !unmounted) first.focus();
  }

  return {
    prepend(n) {
      if (unmounted) return;
      add({...n, read: false}, 'start'); // seen now, but marked new for this visit
      renderFooter();
    },
    unmount() {
      unmounted = true;
      clearInterval(clock);
      offLanguage();
      if (controller) controller.abort();
    },
  };
}
