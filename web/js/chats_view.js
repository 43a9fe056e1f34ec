// The chats screen: every room of the user, newest activity first, with the
// members' avatars (a group shows up to four), its name or the members'
// names, the last message and its time, and the unread badge. It renders the
// shell's RoomList, which `room` events keep live, and starts group chats.

import {avatar} from './avatar.js';
import {describeError} from './errors.js';
import {alertBox} from './forms.js';
import {h, replace, setText} from './dom.js';
import {onLanguageChange} from './i18n.js';
import {messagePreview, roomTitle} from './room_list.js';
import {listTime} from './time_format.js';
import * as api from './api.js';

/** Up to four avatars in a square, as KakaoTalk draws a group. */
export function roomAvatar(room) {
  const people = (room.members || []).slice(0, 4);
  if (people.length <= 1) {
    return h('span', {class: 'room-avatar room-avatar-1'}, avatar(people[0] || {id: room.id, name: room.name || '?'}));
  }
  return h('span', {class: `room-avatar room-avatar-${people.length}`}, people.map((u) => avatar(u, {size: 'sm'})));
}

export function mountChatsView(container, ctx) {
  const cleanups = [];
  const list = h('ul', {class: 'room-list', 'aria-labelledby': 'chats-heading'});
  const empty = h('div', {class: 'list-empty', hidden: true},
    h('p', {class: 'list-empty-title', i18n: 'chat.noRooms'}),
    h('p', {class: 'list-empty-hint', i18n: 'chat.noRoomsHint'}));
  const loading = h('div', {class: 'list-loading'}, h('span', {class: 'spinner-border', role: 'status'},
    h('span', {class: 'visually-hidden', i18n: 'app.loading'})));
  const alerts = h('div', {'aria-live': 'polite'});
  const newChat = h('button', {type: 'button', class: 'btn btn-icon', on: {click: startGroup}},
    h('span', {'aria-hidden': 'true', text: '＋'}), h('span', {class: 'visually-hidden', i18n: 'chat.newChat'}));
  newChat.setAttribute('title', '');
  replace(container,
    h('header', {class: 'pane-header'},
      h('h1', {id: 'chats-heading', class: 'pane-title', i18n: 'nav.chats'}), newChat),
    alerts, loading, empty, list);

  const rows = new Map(); // roomId -> {li, parts}

  function rowFor(room) {
    let row = rows.get(room.id);
    if (!row) {
      const parts = {
        avatar: h('span'),
        title: h('span', {class: 'room-title'}),
        count: h('span', {class: 'room-count'}),
        time: h('time', {class: 'room-time'}),
        preview: h('span', {class: 'room-preview'}),
        badge: h('span', {class: 'room-badge'}),
      };
      const link = h('a', {class: 'room-link', href: `#/chats/${encodeURIComponent(room.id)}`},
        parts.avatar,
        h('span', {class: 'room-main'},
          h('span', {class: 'room-line'}, parts.title, parts.count, parts.time),
          h('span', {class: 'room-line'}, parts.preview, parts.badge)));
      row = {li: h('li', {class: 'room-item'}, link), link, parts, key: ''};
      rows.set(room.id, row);
    }
    return row;
  }

  function fill(row, room) {
    const {parts} = row;
    parts.avatar.replaceWith(parts.avatar = roomAvatar(room));
    setText(parts.title, roomTitle(room));
    setText(parts.count, room.kind === 'group' ? String(room.memberCount) : '');
    parts.count.hidden = room.kind !== 'group';
    const last = room.lastMessage;
    setText(parts.time, last ? listTime(last.createdAt) : '');
    if (last) parts.time.setAttribute('datetime', last.createdAt);
    setText(parts.preview, messagePreview(last, (id) => {
      if (id === ctx.user.id) return ctx.user.name;
      return ctx.rooms.nameOf(id);
    }));
    // The room on screen is being read: its badge would only flicker
    // between an event computed before our read and the one after it.
    const reading = room.id === ctx.currentRoomId() && document.visibilityState === 'visible';
    const unread = reading ? 0 : room.unreadCount || 0;
    parts.badge.hidden = !unread;
    replace(parts.badge);
    if (unread) {
      parts.badge.append(h('span', {'aria-hidden': 'true', text: unread > 999 ? '999+' : String(unread)}),
        h('span', {class: 'visually-hidden', i18n: 'chat.unread', i18nParams: {count: unread}}));
    }
    row.li.classList.toggle('is-open', room.id === ctx.currentRoomId());
    if (room.id === ctx.currentRoomId()) row.link.setAttribute('aria-current', 'true');
    else row.link.removeAttribute('aria-current');
  }

  function render() {
    const rooms = ctx.rooms.all();
    loading.hidden = ctx.rooms.loaded();
    empty.hidden = !ctx.rooms.loaded() || rooms.length > 0;
    const seen = new Set();
    const items = rooms.map((room) => {
      seen.add(room.id);
      const row = rowFor(room);
      const key = JSON.stringify(room);
      const open = room.id === ctx.currentRoomId() && document.visibilityState === 'visible';
      if (row.key !== key || row.open !== open) {
        row.key = key;
        row.open = open;
        fill(row, room);
      }
      return row.li;
    });
    for (const id of rows.keys()) if (!seen.has(id)) rows.delete(id);
    // Moves only what moved, so focus and hover stay put.
    items.forEach((li, i) => {
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
    while (list.children.length > items.length) list.lastElementChild.remove();
  }

  async function startGroup() {
    const picked = await ctx.pickFriends({titleKey: 'chat.newChatTitle', confirmKey: 'chat.create', askName: true});
    if (!picked || !picked.userIds.length) return;
    replace(alerts);
    try {
      const body = {memberIds: picked.userIds};
      if (picked.name) body.name = picked.name;
      // One friend and no name is the 1:1 chat; otherwise a group.
      const room = await api.post('/rooms', body);
      ctx.openRoom(room.id);
      ctx.rooms.load().catch(() => {});
    } catch (err) {
      const {key, params} = describeError(err);
      replace(alerts, alertBox('danger', key, params));
    }
  }

  cleanups.push(ctx.rooms.onChange(render));
  const onHash = () => render();
  window.addEventListener('hashchange', onHash);
  document.addEventListener('visibilitychange', onHash);
  cleanups.push(() => window.removeEventListener('hashchange', onHash),
    () => document.removeEventListener('visibilitychange', onHash));
  cleanups.push(onLanguageChange(() => {
    for (const row of rows.values()) row.key = '';
    render();
  }));
  // Relative times ("Yesterday") move on at midnight; once a minute is plenty.
  const timer = setInterval(() => {
    for (const row of rows.values()) row.key = '';
    render();
  }, 60_000);
  cleanups.push(() => clearInterval(timer));
  render();
  if (!ctx.rooms.loaded()) {
    ctx.rooms.load().catch((err) => {
      loading.hidden = true;
      const {key, params} = describeError(err);
      replace(alerts, alertBox('danger', key, params));
    });
  }

  return {
    unmount() {
      for (const fn of cleanups) fn();
    },
  };
}
