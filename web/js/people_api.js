// The REST calls of the people screens (friends, user search,
// notifications, sign-in providers), on top of api.js's request(): the one
// place in the UI that spells these paths. Each resolves with the parsed
// body and rejects with api.ApiError (or an AbortError when signal fires).

import * as api from './api.js';

const path = (prefix, id) => `${prefix}/${encodeURIComponent(id)}`;

/** My friends, [User] sorted by name. */
export function listFriends({signal} = {}) {
  return api.get('/friends', {signal});
}

/** Users whose name contains q or whose email is q, me excluded: [User]. */
export function searchUsers(q, {limit = 20, signal} = {}) {
  return api.get('/users', {query: {q, limit}, signal});
}

/** Adds a friend (one-way); resolves with their User. Already a friend is fine. */
export function addFriend(userId) {
  return api.put(path('/friends', userId));
}

/** Removes a friend; not being one is fine too. */
export function removeFriend(userId) {
  return api.del(path('/friends', userId));
}

/** {notifications: [Notification] newest first, unreadCount, hasMore}. */
export function listNotifications({before, limit = 30, signal} = {}) {
  return api.get('/notifications', {query: {before, limit}, signal});
}

export function markAllNotificationsRead() {
  return api.post('/notifications/read', {all: true});
}

export function markNotificationsRead(ids) {
  return api.post('/notifications/read', {ids});
}

/** {local, oidc: [{id, name, startUrl}]}: how one may sign in here. */
export function getAuthProviders({signal} = {}) {
  return api.get('/auth/providers', {signal});
}
