-- Rooms, their members and their messages. Times are Unix milliseconds.

CREATE TABLE rooms (
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
  name             TEXT NOT NULL DEFAULT '',  -- 0-80 code points; '' for direct rooms
  -- Direct rooms only: the two members' ids, sorted, joined by a space (ids
  -- have none), so each pair of users has at most one direct room whichever
  -- of them opened it. NULL for group rooms.
  direct_key       TEXT UNIQUE,
  created_at       INTEGER NOT NULL,
  last_seq         INTEGER NOT NULL DEFAULT 0,  -- the newest message's seq; the next is last_seq + 1
  last_activity_at INTEGER NOT NULL,            -- created_at, then the newest message's: the room list's order
  CHECK ((kind = 'direct') = (direct_key IS NOT NULL))
) STRICT;

-- joined_seq: the first seq the member may see. last_read_seq starts at
-- joined_seq - 1 and only moves forward.
CREATE TABLE room_members (
  room_id       TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  joined_seq    INTEGER NOT NULL,
  last_read_seq INTEGER NOT NULL,
  joined_at     INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) STRICT;
-- A user's rooms (the room list, membership checks from the user's side).
CREATE INDEX room_members_by_user ON room_members (user_id, room_id);

-- sender_id NULL: a system message (invited, left). text is stored exactly
-- as sent ('' for images).
CREATE TABLE messages (
  id            TEXT PRIMARY KEY,
  room_id       TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
  seq           INTEGER NOT NULL,
  sender_id     TEXT REFERENCES users(id),
  type          TEXT NOT NULL CHECK (type IN ('text', 'image', 'system')),
  text          TEXT NOT NULL DEFAULT '',
  image_id      TEXT,
  client_msg_id TEXT,
  created_at    INTEGER NOT NULL,
  CHECK ((sender_id IS NULL) = (type = 'system'))
) STRICT;
-- History pages are ranges of seq within a room; seqs never repeat.
CREATE UNIQUE INDEX messages_by_room_seq ON messages (room_id, seq);
-- Sends are idempotent per sender (NULLs never collide: system messages
-- have no key).
CREATE UNIQUE INDEX messages_by_client_msg_id ON messages (sender_id, client_msg_id);
