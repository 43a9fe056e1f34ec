-- Friends (one-way) and notifications. Times are Unix milliseconds.

-- user_id has added friend_id. The primary key answers "is B my friend",
-- adds and removes, and lists a user's friends (a prefix range on user_id).
CREATE TABLE friends (
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  friend_id  TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, friend_id),
  CHECK (user_id <> friend_id)
) STRICT, WITHOUT ROWID;
-- Who has added a user: what deleting that user's account cascades through
-- (without it, every delete would scan all friendships).
CREATE INDEX friends_by_friend ON friends (friend_id);

-- read_at NULL: unread. room_id only for room_invited.
CREATE TABLE notifications (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,  -- the recipient
  type       TEXT NOT NULL CHECK (type IN ('friend_added', 'room_invited')),
  actor_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  room_id    TEXT REFERENCES rooms(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  read_at    INTEGER,
  CHECK ((type = 'room_invited') = (room_id IS NOT NULL))
) STRICT;
-- Pages, newest first: a range of this index, never a scan of a user's rows.
CREATE INDEX notifications_by_user_time ON notifications (user_id, created_at, id);
-- Unread counts and "mark all read" touch only a user's unread rows.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
-- For the cascades when an actor's account or a room is deleted.
CREATE INDEX notifications_by_actor ON notifications (actor_id);
CREATE INDEX notifications_by_room ON notifications (room_id) WHERE room_id IS NOT NULL;
