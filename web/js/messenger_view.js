// The signed-in messenger: navigation, the screen on the left (friends,
// chats, notifications, profile), the open room on the right, the offline
// banner and toasts.
//
// Routes are hashes: #/friends, #/chats, #/chats/<roomId>, #/notifications,
// #/profile. On a wide screen the list and the room sit side by side; below
// 768 px one shows at a time (the room full-screen with a back button) and
// the navigation moves to a tab bar at the bottom.
//
// Every screen is mount(container, ctx) -> {unmount}; ctx is the one thing
// screens get from the shell (see makeContext). The screens other than the
// chats are imported when first shown, so a page opened on a room loads
// only what the room needs.

import * as api from './api.js';
import {h, replace, setText, svg, uid} from './dom.js';
import {closeAllDialogs} from './dialog.js';
import {clearOutboxes} from './outbox_store.js';
import {onLanguageChange, t} from './i18n.js';
import './i18n_chat.js';
import {mountChatsView} from './chats_view.js';
import {createRealtime} from './realtime.js';
import {createRoomList, messagePreview, roomTitle} from './room_list.js';
import {mountRoomView} from './room_view.js';

const SCREENS = {
  friends: () => import('./friends_view.js').then((m) => m.mountFriendsView),
  chats: async () => mountChatsView,
  notifications: null, // the notification center's own view
  profile: () => import('./profile_view.js').then((m) => m.mountProfileView),
};

const ICONS = {
  friends: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm0 2c-4.4 0-8 2.2-8 5v1h16v-1c0-2.8-3.6-5-8-5Z',
  chats: 'M12 3C6.5 3 2 6.6 2 11c0 2.6 1.6 4.9 4 6.4L5 21l4.3-2.4c.9.2 1.8.4 2.7.4 5.5 0 10-3.6 10-8s-4.5-8-10-8Z',
  notifications: 'M12 22a2.5 2.5 0 0 0 2.5-2.5h-5A2.5 2.5 0 0 0 12 22Zm7-6V11c0-3.3-2.1-6-5-6.8V3.5a2 2 0 0 0-4 0v.7C7.1 5 5 7.7 5 11v5l-2 2v1h18v-1l-2-2Z',
  profile: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 4a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7Zm0 14.2a8 8 0 0 1-6-2.8c.1-2 4-3.1 6-3.1s5.9 1.1 6 3.1a8 8 0 0 1-6 2.8Z',
};

function icon(name) {
  return svg('svg', {class: 'nav-icon', viewBox: '0 0 24 24', width: 24, height: 24, 'aria-hidden': 'true', focusable: 'false'},
    svg('path', {d: ICONS[name], fill: 'currentColor'}));
}

function parseRoute() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [screen, ...rest] = hash.split('/');
  let roomId = null;
  try {
    roomId = screen === 'chats' && rest.length ? decodeURIComponent(rest.join('/')) : null;
  } catch {
    roomId = null; // a mangled link: the chats list rather than a broken page
  }
  return {screen: Object.hasOwn(SCREENS, screen) ? screen : 'chats', roomId};
}

/**
 * Shows the messenger in root.
 * options: user, onSignedOut() once signed out, onSessionEnded() when the
 * server no longer knows the session, onSessionChanged() when the cookie now
 * signs in someone else (another tab), onUserChange(user).
 */
export function mountMessengerView(root, {user, onSignedOut, onSessionEnded, onSessionChanged, onUserChange = () => {}}) {
  const cleanups = [];
  const realtime = createRealtime({userId: user.id, onSessionEnded, onSessionChanged});
  cleanups.push(() => realtime.stop());
  const roomList = createRoomList(realtime);
  cleanups.push(() => roomList.stop());

  let screenName = null;
  let screen = null; // {unmount}
  let screenLoad = 0;
  let roomId = null;
  let room = null; // {unmount}
  let notificationCenter = null;

  // --- Layout --------------------------------------------------------------
  const badges = {};
  const links = {};
  const navList = h('ul', {class: 'nav-list'});
  const badgeTexts = {};
  for (const name of ['friends', 'chats', 'notifications', 'profile']) {
    // The count is the link's description, not part of its name: the link
    // stays "Chats" whatever the number.
    badges[name] = h('span', {class: 'nav-badge', hidden: true, 'aria-hidden': 'true'});
    badgeTexts[name] = h('span', {id: uid(`nav-${name}-count`), hidden: true});
    links[name] = h('a', {class: 'nav-link', href: `#/${name}`, 'aria-describedby': badgeTexts[name].id},
      icon(name), h('span', {class: 'nav-label', i18n: `nav.${name}`}), badges[name]);
    navList.append(h('li', {}, links[name], badgeTexts[name]));
  }
  const nav = h('nav', {class: 'side-nav', 'aria-label': 'ChatTwo', i18nAttrs: {'aria-label': 'nav.main'}},
    h('img', {class: 'nav-logo', src: '/favicon.svg', alt: '', width: 36, height: 36}), navList);
  const listPane = h('section', {class: 'list-pane'});
  const roomPane = h('section', {class: 'room-pane'});
  const offline = h('div', {class: 'offline-banner', role: 'status', hidden: true},
    h('span', {class: 'spinner-border spinner-border-sm', 'aria-hidden': 'true'}),
    h('span', {i18n: 'chat.offline'}));
  const shell = h('div', {class: 'messenger'}, nav, listPane, roomPane, offline);
  replace(root, shell);

  function setBadge(name, count, labelKey) {
    const el = badges[name];
    const text = badgeTexts[name];
    el.hidden = !count;
    setText(el, count > 99 ? '99+' : count ? String(count) : '');
    if (!count) {
      delete text.dataset.i18n;
      setText(text, '');
      return;
    }
    text.dataset.i18n = labelKey;
    text.dataset.i18nParams = JSON.stringify({count});
    setText(text, t(labelKey, {count}));
  }

  // --- Context for the screens ----------------------------------------------
  const ctx = {
    get user() { return user; },
    setUser(next) {
      user = next;
      onUserChange(next);
    },
    navigate(hash) {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    openRoom(id) {
      ctx.navigate(`#/chats/${encodeURIComponent(id)}`);
    },
    async openDirectChat(userId) {
      const created = await api.post('/rooms', {memberIds: [userId]});
      ctx.openRoom(created.id);
      return created;
    },
    realtime,
    rooms: roomList,
    toast(options) {
      import('./toasts.js').then((m) => m.showToast(options), (err) => console.warn('toasts unavailable', err));
    },
    async signOut() {
      await api.signOut();
      clearOutboxes(); // unsent messages are not sent for whoever signs in next
      onSignedOut();
    },
    currentRoomId: () => roomId,
    pickFriends(options) {
      return import('./friend_picker.js').then((m) => m.pickFriends(ctx, options));
    },
  };

  // --- Live state: connection, unread counts, toasts --------------------------
  cleanups.push(realtime.onStatus((status) => {
    offline.hidden = status !== 'offline';
    shell.classList.toggle('is-offline', status === 'offline');
  }));
  const showUnread = () => {
    const open = roomId && document.visibilityState === 'visible' ? roomList.get(roomId) : null;
    setBadge('chats', roomList.totalUnread() - (open ? open.unreadCount || 0 : 0), 'chat.unreadMessages');
  };
  cleanups.push(roomList.onChange(showUnread));
  cleanups.push(roomList.onArrival((r, message) => {
    if (message.senderId === null || message.senderId === user.id) return;
    if (r.id === roomId && document.visibilityState === 'visible') return;
    const sender = (r.members || []).find((m) => m.id === message.senderId) || null;
    ctx.toast({
      title: roomTitle(r),
      text: sender && r.kind === 'group' ? `${sender.name}: ${messagePreview(message, roomList.nameOf)}`
        : messagePreview(message, roomList.nameOf),
      user: sender,
      onClick: () => ctx.openRoom(r.id),
    });
  }));
  roomList.load().catch((err) => console.warn('room list', err));

  import('./notification_center.js').then((m) => {
    if (!root.contains(shell)) return;
    notificationCenter = m.createNotificationCenter(ctx);
    cleanups.push(notificationCenter.onCount((n) => setBadge('notifications', n, 'chat.unreadNotifications')));
    notificationCenter.start();
    cleanups.push(() => notificationCenter.stop());
    if (screenName === 'notifications') showScreen('notifications', true);
  }, (err) => console.warn('notifications unavailable', err));

  // --- Routing ------------------------------------------------------------------
  async function showScreen(name, force = false) {
    if (name === screenName && !force) return;
    if (screen) screen.unmount();
    screen = null;
    screenName = name;
    for (const [key, link] of Object.entries(links)) {
      if (key === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    shell.dataset.screen = name;
    const load = ++screenLoad;
    const container = h('div', {class: 'screen'});
    replace(listPane, container);
    let mount;
    try {
      if (name === 'notifications') {
        if (!notificationCenter) return; // mounted when the center arrives
        mount = (el) => notificationCenter.mountView(el);
      } else {
        mount = await SCREENS[name]();
      }
    } catch (err) {
      console.error('screen failed to load', err);
      replace(container, h('p', {class: 'screen-error', role: 'alert', i18n: 'chat.screenFailed'}));
      return;
    }
    if (load !== screenLoad) return;
    screen = mount(container, ctx);
  }

  function showRoom(id) {
    if (id === roomId && room) return;
    if (room) room.unmount();
    room = null;
    roomId = id;
    shell.classList.toggle('has-room', Boolean(id));
    if (!id) {
      replace(roomPane, h('div', {class: 'room-placeholder'},
        h('img', {src: '/favicon.svg', alt: '', width: 72, height: 72}),
        h('p', {i18n: 'chat.pickRoom'})));
      return;
    }
    const container = h('div', {class: 'room-container'});
    replace(roomPane, container);
    room = mountRoomView(container, ctx, id);
  }

  function route() {
    const {screen: name, roomId: id} = parseRoute();
    showScreen(name);
    showRoom(name === 'chats' ? id : roomId && window.matchMedia('(min-width: 768px)').matches ? roomId : null);
    showUnread();
  }
  window.addEventListener('hashchange', route);
  cleanups.push(() => window.removeEventListener('hashchange', route));
  document.addEventListener('visibilitychange', showUnread);
  cleanups.push(() => document.removeEventListener('visibilitychange', showUnread));
  route();

  cleanups.push(onLanguageChange(() => {
    showUnread();
  }));

  return {
    setUser(next) {
      user = next;
    },
    unmount() {
      // Nothing of this session outlives it: toasts, dialogs, the image
      // viewer, a screen still being imported.
      import('./toasts.js').then((m) => m.dismissAllToasts(), () => {});
      closeAllDialogs();
      for (const viewer of document.querySelectorAll('dialog.lightbox')) viewer.close();
      screenLoad += 1;
      if (screen) screen.unmount();
      if (room) room.unmount();
      for (const fn of cleanups.reverse()) fn();
      setText(offline, '');
    },
  };
}
