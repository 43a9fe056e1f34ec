// The notification center: the unread count for the nav badge, a toast for
// each notification that arrives live, and the "Notifications" screen
// (notifications_view.js). One per signed-in session, made by the shell.
//
// The count starts from GET /notifications' unreadCount and goes up with
// each live 'notification' frame; opening the screen marks everything read
// (count 0), and while the screen is open new ones land in its list instead.

import './i18n_people.js';
import {markNotificationsRead, listNotifications} from './people_api.js';
import {mountNotificationsView} from './notifications_view.js';

const FIRST_PAGE = 30;

/**
 * ctx: the shell's context (realtime, toast, openRoom, navigate, ...).
 * Returns {start(), stop(), onCount(fn) -> off, count(), mountView(container) -> {unmount}}.
 * onCount(fn) calls fn(count) at once and after every change.
 */
export function createNotificationCenter(ctx) {
  let unread = 0;
  let offRealtime = null;
  let offStatus = null;
  let generation = 0; // bumps per count request and on stop(), so a late answer is dropped
  let view = null; // the mounted screen while it is open
  const countListeners = new Set();
  // Live ones that arrive while the first page is on its way: added to its
  // count unless the page already holds them.
  let arrivedDuringLoad = null;

  function setCount(n) {
    const next = Math.max(0, n);
    if (next === unread) return;
    unread = next;
    for (const fn of countListeners) fn(unread);
  }

  function start() {
    if (offRealtime) return;
    offRealtime = ctx.realtime.onUserEvent(onEvent);
    // Frames sent while the link was down (or before its first connect) are
    // lost: on every connect the server's count is the truth again.
    // (onStatus is the shell's realtime.js.)
    if (typeof ctx.realtime.onStatus === 'function') {
      offStatus = ctx.realtime.onStatus((status) => {
        if (status === 'online' && !view) refreshCount();
      });
    }
    refreshCount();
  }

  async function refreshCount() {
    const run = ++generation;
    arrivedDuringLoad = new Set();
    try {
      const page = await listNotifications({limit: FIRST_PAGE});
      if (run !== generation) return;
      const listed = new Set((page.notifications || []).map((n) => n.id));
      const extra = Array.from(arrivedDuringLoad).filter((id) => !listed.has(id)).length;
      if (!view) setCount((Number(page.unreadCount) || 0) + extra);
    } catch (err) {
      // The badge is a nicety: without it the screen still works.
      console.warn('notifications: unread count unavailable', err);
    } finally {
      if (run === generation) arrivedDuringLoad = null;
    }
  }

  function stop() {
    generation += 1;
    if (offRealtime) offRealtime();
    if (offStatus) offStatus();
    offRealtime = null;
    offStatus = null;
    arrivedDuringLoad = null;
  }

  function onEvent(event, body) {
    if (event !== 'notification' || !body || typeof body !== 'object' || !body.id || !body.actor) return;
    if (view) {
      // On screen already: shown, hence read.
      view.prepend(body);
      markNotificationsRead([body.id]).catch((err) => console.warn('notifications: mark read failed', err));
      return;
    }
    if (body.type === 'room_invited' && body.roomId && ctx.currentRoomId && ctx.currentRoomId() === body.roomId) {
      // Already looking at that chat: nothing to tell, nothing left unread.
      markNotificationsRead([body.id]).catch((err) => console.warn('notifications: mark read failed', err));
      return;
    }
    if (arrivedDuringLoad) arrivedDuringLoad.add(body.id);
    setCount(unread + 1);
    toastFor(body);
  }

  function toastFor(n) {
    const name = n.actor.name;
    const readIt = () => {
      markNotificationsRead([n.id]).then(() => setCount(unread - 1), (err) => console.warn('notifications: mark read failed', err));
    };
    if (n.type === 'room_invited' && n.roomId) {
      ctx.toast({
        title: {key: 'toast.inviteTitle'},
        text: {key: 'notif.roomInvited', params: {name}},
        user: n.actor,
        onClick: () => { readIt(); ctx.openRoom(n.roomId); },
      });
    } else if (n.type === 'friend_added') {
      ctx.toast({
        title: {key: 'toast.friendTitle'},
        text: {key: 'notif.friendAdded', params: {name}},
        user: n.actor,
        onClick: () => { readIt(); ctx.navigate('#/friends'); },
      });
    }
  }

  function mountView(container) {
    const mounted = mountNotificationsView(container, ctx, {
      onAllRead: () => setCount(0),
    });
    view = mounted;
    return {
      unmount() {
        if (view === mounted) view = null;
        mounted.unmount();
      },
    };
  }

  return {
    start,
    stop,
    onCount(fn) {
      countListeners.add(fn);
      fn(unread);
      return () => countListeners.delete(fn);
    },
    count: () => unread,
    mountView,
  };
}
